"""A learner's folder, notebook or script, read the way Jupyter and the book's repository read it.

Runs in the child process (`open_layout` in loaders.py), behind the boundary: every
file is untrusted input, parsed here and never in the grader's process.

What is read: every notebook and Python file of the folder (folder.py says which, and
what each defines). Given one notebook or script, that file alone is graded; its folder
and the repository around it are still there to import from.

Where each definition runs. A notebook is its own module, named after its path
(`C02/note.ipynb` and `C03/note.ipynb` never meet), its cells run in order, definitions
only (cells.py), with the notebook's folder as the working directory and that folder
and the repository's root (the nearest folder up holding `common/` or `dataset/`) on
`sys.path` (kernel.py). A definition is graded as it was made: the component comes from
the notebook's namespace as it stood right after its defining cell (a class defined after
`from common.layers import *` sees what that import bound), completed with the names only
later cells define (the learner ran those before calling it). A statement that fails
costs what it binds, with a note; an unreadable notebook or cell costs itself, with a note.
A book file (`common/layers.py`) is imported whole, as the book's scripts import it; the
chapter scripts the book runs as demos are read definitions only, as is any other file.

Which definition is graded, for a component and the chapter being checked:
1. the learner's own before a copy of the book's published code lying in a file (copies.py; a
   notebook cell is what the learner ran, even when they typed the book's code exactly);
2. a book file, a notebook cell, or a book notebook's cell holding a book file
   (`# common/layers.py`) before other files (a chapter script's variant, a helper); another
   file counts as the learner's own only where its layout lacks the book's file for the
   component (`Chapter5/Layer/Affine.py` beside a downloaded `samples/common/`);
3. one from a source of that chapter (`ch04/`, `chapter4`, `4章`, a heading
   `## 第4章` or a book notebook's marker), then one without a chapter (`common/`,
   `Untitled.ipynb`), then the latest earlier chapter, then the nearest later one;
4. a real file before a notebook cell holding the same file, before a learner's cell;
   then path order, the later cell of a notebook first.
Where a check asks what the book adds after the component's first listing (an extension:
§4.4.2's any-shape numerical_gradient, listings.py), only a definition that has it is a
candidate; the first listing is graded where the book prints it.
A definition that cannot be loaded gives way to the next. The learner's other definitions of the
component (one per file or notebook: the last it makes; not a copy where the book keeps the file,
nor a chapter script's variant) are graded too, each as it was made (`variants`): a bug in a draft
in ch3/ or in a ch05 notebook's copy of the ch04 function is theirs as much as the chosen one's
correctness is (an extension's case only on those that have it). When none is found, the
book's files are imported whole and the component taken from whatever they bind (a
name re-exported by an import). `provenance(name, chapter)` says which file and cell
was graded, what else was found and why it was not graded; `report()` adds the notes.
"""

import ast
import json
import os
import re
import sys
from pathlib import Path

from . import copies
from .book_layout import SCRIPT_FILES, restore_numpy_aliases
from .chapters import owner
from .cells import MAX_CELL_CHARS, CellError, bound_names, parse_code
from .folder import MAX_DEPTH, Definition, Folder, Source, Statement, has_learner_work, mount_of, statements_of
from .kernel import Contexts, VirtualModules, format_error, new_module, run_statement
from .listings import has_form
from .missing import MissingName
from .tracebacks import learner_traceback

__all__ = ["Workspace", "has_learner_work", "kind_of_name", "mount_of"]



_DEFINITION_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_NODE_KINDS = {"class": (ast.ClassDef,), "function": (ast.FunctionDef, ast.AsyncFunctionDef)}


def kind_of_name(name):
    """"class" or "function" as the book's names say it (PEP 8: `Relu`, `TwoLayerNet` / `relu`, `im2col`);
    None for a name in capitals, which the book uses for both (the gates `AND`, the optimizer `SGD`)."""
    if not name:
        return None
    if name[0].isupper() and any(char.islower() for char in name):
        return "class"
    if not any(char.isupper() for char in name):
        return "function"
    return None


class _Failed(Exception):
    pass


try:  # read at import, before the child's audit hook closes the grader's folders
    from .book_fingerprints import BOOK_PATHS
except ImportError:  # noqa: SIM105 - absent until the fingerprints are built
    BOOK_PATHS = frozenset()


def _chapter_script(source):
    """True for one of the book's own chapter scripts (`ch04/gradient_2d.py`, whose numerical_gradient is a
    row-by-row variant) or a file under `common/` that is not the component's home (a helper package):
    these give way to the book's file for the component. A file of the learner's own naming
    (`ch3/softmax.py`, `lib/softmax.py`) is their version of it, even beside a downloaded copy of common/."""
    if source.kind != "file":
        return True
    relative = os.path.relpath(source.path, source.root).replace(os.sep, "/")
    # `chapter4/gradient_2d.py` is the book's ch04/gradient_2d.py in a renamed chapter folder (its home)
    return relative in BOOK_PATHS or source.home in BOOK_PATHS or relative.startswith("common/")


def _written_before(definition, row, chapter):
    """True for a definition written in a chapter before the one whose extension is checked.

    A later chapter asks more of some components (chapter 7's 4-D input to Affine, chapter 6's
    label targets to SoftmaxWithLoss): those cases are the contract of that chapter, graded on a
    definition written for it (in that chapter or later, or in no chapter: `common/layers.py`),
    never on §5.6's Affine of a ch05 notebook, which the book itself writes for 2-D input.
    """
    own = row.get("chapter")
    return (chapter is not None and own is not None and chapter > own
            and definition.chapter is not None and definition.chapter < chapter)


def _written_for(definition, row, extension):
    """True for a definition that has `extension` (listings.py), or is written in the later chapter asking for it.

    A definition in chapter 7 is an Affine for chapter 7, whatever it looks like: checked there.
    """
    section = row.get("extensions", {}).get(extension, {}).get("section") or ""
    match = re.match(r"§(\d+)", section)
    asked, own = (int(match.group(1)) if match else None), row.get("chapter")
    if asked is not None and own is not None and asked > own and definition.chapter is not None \
            and definition.chapter >= asked:
        return True
    return has_form(extension, definition.node)


class Workspace:
    """The components of a learner's folder (or one notebook or script in it); see the module doc.

    Args:
        path: the folder the child may read (the learner's folder, or the repository around `entry`).
        components: {component: {"chapter": int, "names": [book name, spellings…], "homes": [book files],
            "kind": "class" or "function" (optional: else the book name's case says it, `kind_of_name`)}}.
        entry: a notebook or script inside `path` to grade alone (relative), or None for the whole folder.
        state_dir: a folder the child may write, where it remembers a load that never finished
            (a hang or crash costs that notebook cell or file once, not each component loaded from it).
    """

    def __init__(self, path, components, entry=None, state_dir=None):
        path = Path(os.path.realpath(path))
        if path.is_file():
            path, entry = path.parent, path.name
        self.top = path
        self.shown_root = path
        self.label = "your folder" if entry is None else entry
        self.single = entry is not None  # one notebook or script graded alone: only its own definitions count
        self.components = components
        self._by_spelling = {}
        for name, row in components.items():
            for spelling in [name, *row.get("names", ())]:
                self._by_spelling.setdefault(spelling, []).append(name)
        self.notes = []
        self._note_keys = set()
        self._resolved = {}  # (component, chapter) -> (object or MissingName, provenance)
        self._variants = {}  # (component, chapter) -> [Definition]: the learner's others, graded too
        self._snapshots = {}
        self._files = {}
        self._copies = {}
        self.contexts = Contexts(path)
        self.virtual = VirtualModules(self.contexts)
        self.virtual.install()
        restore_numpy_aliases()
        self._state = Path(state_dir) if state_dir else None
        self._loading = []
        self.unfinished = self._read_unfinished()
        folder = Folder(path, entry, self._by_spelling, self.note)
        self.sources = folder.sources
        self.definitions = folder.definitions  # name -> [Definition]
        self._roots = set(folder.roots)
        for root in folder.roots:
            if not os.path.isfile(os.path.join(root, "dataset", "mnist.py")):
                self.virtual.provide(root, "dataset.mnist", _mnist_stand_in)
        for source, cell in folder.markers:
            self._provide_marker(source, cell)

    # -- notes ------------------------------------------------------------------------------
    def note(self, kind, **fields):
        key = (kind, *sorted((k, str(v)) for k, v in fields.items() if k != "error"))
        if key not in self._note_keys:
            self._note_keys.add(key)
            self.notes.append({"kind": kind, **fields})

    # -- what never finished loading -----------------------------------------------------------
    def _read_unfinished(self):
        if self._state is None:
            return set()
        loading, done = self._state / "loading.json", self._state / "unfinished.jsonl"
        try:
            if loading.is_file():
                with open(done, "a", encoding="utf-8") as out:
                    out.write(loading.read_text(encoding="utf-8").strip() + "\n")
                loading.unlink()
        except OSError:
            pass
        found = set()
        try:
            lines = done.read_text(encoding="utf-8").splitlines() if done.is_file() else []
        except OSError:
            lines = []
        for line in lines:
            try:
                item = json.loads(line)
                found.add((item["file"], item["cell"]))
            except (ValueError, KeyError, TypeError):
                continue
        return found

    def _mark(self):
        if self._state is None:
            return
        try:
            path = self._state / "loading.json"
            if self._loading:
                path.write_text(json.dumps({"file": self._loading[-1][0], "cell": self._loading[-1][1]}),
                                encoding="utf-8")
            elif path.exists():
                path.unlink()
        except OSError:
            pass

    def _begin(self, relative, cell):
        self._loading.append((relative, cell))
        self._mark()

    def _end(self):
        self._loading.pop()
        self._mark()

    def _skipped_unfinished(self, relative, cell):
        if (relative, cell) in self.unfinished:
            self.note("unfinished", file=relative, cell=cell)
            return True
        return False

    def _provide_marker(self, source, cell):
        folder, _, filename = cell.marker.partition("/")
        if os.path.exists(os.path.join(source.root, cell.marker)):
            return  # the real file is what an import gets
        stem = filename[:-3]
        name = f"{folder}.{stem}" if folder in ("common", "dataset") else stem

        def fill(module, source=source, until=cell.number):
            # as the kernel had it once every cell ran: the book's common.ipynb uses im2col in its
            # layers cell and defines it in a later one
            module.__file__ = f"{source.path}, cell {until}"
            self._run_cells(source, module.__dict__, until)
            self._complete(source, module.__dict__, until)

        self.virtual.provide(source.root, name, fill)

    # -- running -----------------------------------------------------------------------------------
    def _compile(self, statement, filename):
        if statement.code is None:
            try:
                statement.code = compile(ast.Module(body=[statement.node], type_ignores=[]), filename, "exec",
                                         dont_inherit=True)
            except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
                statement.code = error
        return statement.code

    def _run(self, source, cell, statement, namespace, filename):
        code = self._compile(statement, filename)
        if isinstance(code, BaseException):
            error = code
        else:
            error = run_statement(code, namespace)
        if error is not None and not _quiet(statement):
            self.note("statement_failed", file=source.relative, cell=cell, line=statement.line,
                      statement=statement.text, error=format_error(error), names=list(statement.names))
        return error

    def _run_cells(self, source, namespace, until=None):
        """Run the notebook's kept statements in order up to cell `until`; {(cell, line): error} of those that failed."""
        failed = {}
        for cell in source.cells:
            if until is not None and cell.number > until:
                break
            if self._skipped_unfinished(source.relative, cell.number):
                continue
            self._begin(source.relative, cell.number)
            try:
                for statement in cell.statements:
                    error = self._run(source, cell.number, statement, namespace, cell.filename)
                    if error is not None:
                        failed[(cell.number, statement.line)] = error
            finally:
                self._end()
        return failed

    def _complete(self, source, namespace, after):
        """What only later cells define, added to a snapshot (the learner ran them before calling it)."""
        for cell in source.cells:
            if cell.number <= after or (source.relative, cell.number) in self.unfinished:
                continue
            self._begin(source.relative, cell.number)
            try:
                for statement in cell.statements:
                    node = statement.node
                    if isinstance(node, ast.Expr):
                        continue
                    if isinstance(node, (ast.Import, ast.ImportFrom)):
                        star = isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names)
                        if star:
                            scratch = {"__name__": namespace.get("__name__"), "__builtins__": __builtins__}
                            if self._run(source, cell.number, statement, scratch, cell.filename) is None:
                                for key, value in scratch.items():
                                    if not key.startswith("_") and key not in namespace:
                                        namespace[key] = value
                            continue
                        names = [a for a in node.names if (a.asname or a.name).split(".")[0] not in namespace]
                        if not names:
                            continue
                        if len(names) != len(node.names):
                            node = type(node)(**{**{f: getattr(node, f) for f in node._fields}, "names": names})
                            ast.copy_location(node, statement.node)
                            partial = Statement(node, bound_names(node), statement.line, statement.text)
                            self._run(source, cell.number, partial, namespace, cell.filename)
                            continue
                    elif any(name in namespace for name in statement.names) or not statement.names:
                        continue
                    self._run(source, cell.number, statement, namespace, cell.filename)
            finally:
                self._end()

    def _snapshot(self, source, cell):
        """The notebook's namespace right after `cell` ran (completed with later-only names), and what failed."""
        key = (source.relative, cell)
        if key not in self._snapshots:
            module = new_module(f"{source.module_name}_cell{cell}", source.path)
            sys.modules[module.__name__] = module
            with self.contexts.active(source.root, source.folder):
                failed = self._run_cells(source, module.__dict__, cell)
                self._complete(source, module.__dict__, cell)
            self._snapshots[key] = (module, failed)
        return self._snapshots[key]

    def _file_module(self, source):
        """A file as the book's scripts import it (whole), or definitions only (a demo script, any other file).

        A book file whose import fails is read again definitions only, one statement at a time,
        so that one failing import costs only what depends on it. Returns (module, problems):
        what went wrong on the way, as the learner reads it.
        """
        if source.relative in self._files:
            return self._files[source.relative]
        if self._skipped_unfinished(source.relative, None):
            raise _Failed(f"{source.relative} did not finish loading earlier (it hung or stopped the process)")
        # whole only where the book's repository has the file (its scripts import it whole); a file of the
        # learner's own naming in a chapter folder (Ch04/4.5.1.py, whose top level runs a numerical gradient
        # of a 784-100-10 network) is "any other file": definitions only, as the module doc says
        whole = source.home is not None and source.home not in SCRIPT_FILES \
            and (not BOOK_PATHS or source.home in BOOK_PATHS)
        name = "book_" + re.sub(r"\W", "_", source.relative[:-3])
        problems = []
        package, above = _package_of(source.path)
        self._begin(source.relative, None)
        try:
            with self.contexts.active(source.root, source.folder, above):
                if whole:
                    module, error = self._import_whole(name, source.path, package)
                    if error is None:
                        self._files[source.relative] = (module, problems)
                        return self._files[source.relative]
                    problems.append(f"{source.relative} failed to import:\n{learner_traceback(error, self.top)}")
                    self.note("file_failed", file=source.relative, error=format_error(error))
                module = new_module(name, source.path)
                module.__package__ = package  # `from .functions import softmax` inside a package
                sys.modules[name] = module
                if not source.statements:
                    source.statements = self._file_statements(source, problems)
                for statement in source.statements:
                    error = self._run(source, None, statement, module.__dict__, source.path)
                    if error is not None and not whole and not _quiet(statement):
                        how = " (its definitions only: the script's top-level work is not run)" \
                            if source.home in SCRIPT_FILES else ""
                        problems.append(f"{source.relative} failed to import{how}:\n"
                                        f"{learner_traceback(error, self.top)}")
        finally:
            self._end()
        self._files[source.relative] = (module, problems)
        return self._files[source.relative]

    def _file_statements(self, source, problems):
        try:
            code = Path(source.path).read_bytes()[:MAX_CELL_CHARS + 1].decode("utf-8-sig", errors="replace")
            tree = parse_code(code, source.path)
        except OSError as error:
            problems.append(f"{source.relative} could not be read ({format_error(error)})")
            return []
        except CellError as error:
            where = "" if error.line is None else f" (line {error.line})"
            problems.append(f"{source.relative} is not valid Python{where}: {error.detail}")
            return []
        return statements_of(tree, code.splitlines())

    @staticmethod
    def _import_whole(name, path, package):
        import importlib.util

        try:
            spec = importlib.util.spec_from_file_location(name, path)
            module = importlib.util.module_from_spec(spec)
            module.__package__ = package
            sys.modules[name] = module
            spec.loader.exec_module(module)
            return module, None
        except BaseException as error:  # noqa: BLE001 - report, never crash the grader
            sys.modules.pop(name, None)
            return None, error

    # -- choosing ------------------------------------------------------------------------------------
    def _row(self, name):
        row = self.components.get(name)
        if row is None:
            owners = self._by_spelling.get(name)
            if owners:
                return owners[0], self.components[owners[0]]
            raise MissingName(name, "the book's repository has no home for this component")
        return name, row

    def _is_copy(self, book_name, definition):
        key = (book_name, id(definition.node))
        if key not in self._copies:
            self._copies[key] = copies.is_book_copy(book_name, definition.node)
        return self._copies[key]

    def _bindings(self, row, statically):
        """A Definition for each book file of the component that exists but defines none of its names itself
        (`from common.dlfs_copy.layers import Affine`, `from common.layers import *`): what it binds is a candidate."""
        if self.single:
            return []
        found = []
        # a home reached through a symlink (`ch01/common -> ../common`) is the file it points to: that
        # file's own definition is the candidate, not a second, nameless one from another chapter
        real = {os.path.realpath(source.path) for source in self.sources if source.relative in statically}
        for root in sorted(self._roots, key=lambda root: (len(Path(root).parts), root)):
            for home in row.get("homes", ()):
                path = os.path.join(root, home)
                if not os.path.isfile(path):
                    continue
                relative = os.path.relpath(path, self.top).replace(os.sep, "/")
                if relative in statically or os.path.realpath(path) in real:
                    continue
                source = next((s for s in self.sources if s.relative == relative), None) \
                    or Source(relative, path, "file", root, home)
                found.append(Definition(None, source, None, None, None))
        return found

    def _owner(self, definition, name, row):
        """Which of the components sharing a name `definition` is (`chapters.owner`); None: either."""
        rivals = [other for spelling in row.get("names", ()) for other in self._by_spelling.get(spelling, ())]
        rows = {candidate: self.components[candidate] for candidate in dict.fromkeys([name, *rivals])}
        return owner(definition.node, definition.chapter, rows) if len(rows) > 1 else name

    def _candidates(self, name, row, chapter, extension=None, keys=False):
        """[(definition, is a copy)] for the component, best first (the module doc's order); `keys`:
        [(rank key, definition, is a copy, is the learner's own)].

        A definition from a chapter nearer another component of the same name is that one's:
        a ch05 notebook's TwoLayerNet is never graded as the chapter-4 TwoLayerNet. A function is
        never a class component (`def ReLU(x)` is not the Relu layer), nor a class a function one.
        `extension`: a form (listings.py) the definition must have.
        """
        names = list(row.get("names", ()))
        book_name = names[0] if names else None
        homes = set(row.get("homes", ()))
        wanted = _NODE_KINDS.get(row.get("kind") or kind_of_name(book_name), _DEFINITION_NODES)
        definitions = [(rank, d) for rank, spelling in enumerate(names) for d in self.definitions.get(spelling, ())
                       if isinstance(d.node, wanted) and self._owner(d, name, row) in (name, None)
                       and not _written_before(d, row, chapter)]
        statically = {d.source.relative for _, d in definitions if d.cell is None}
        definitions += [(len(names), d) for d in self._bindings(row, statically)]
        if extension is not None:
            definitions = [(rank, d) for rank, d in definitions if _written_for(d, row, extension)]
        ranked = []
        for spelling_rank, definition in definitions:
            copy = bool(book_name) and definition.node is not None and self._is_copy(book_name, definition)
            if definition.cell is None:
                kind = 0 if definition.source.home in homes else 4
            elif definition.cell.marker:
                kind = 1 if definition.cell.marker in homes else 3
            else:
                kind = 2
            own = definition.chapter
            if own == chapter:
                closeness = (0, 0)
            elif own is None:
                closeness = (1, 0)
            elif chapter is not None and own < chapter:
                closeness = (2, -own)
            else:
                closeness = (3, own)
            # a copy lying in a file (or a copied book notebook) gives way; a learner's cell is what they ran,
            # even when they typed the book's code exactly (their earlier draft is not better for it). A file
            # that is not where the book keeps the component gives way too when its own layout has that
            # book file: there it is a chapter script's variant or a helper (gradient_2d.py's
            # numerical_gradient), not the learner's version of the component
            aside = kind >= 3 and _chapter_script(definition.source) \
                and any(os.path.isfile(os.path.join(definition.source.root, home)) for home in homes)
            key = ((copy and kind != 2) or aside, kind >= 3, closeness, kind, spelling_rank, definition.source.relative,
                   -(definition.cell.number if definition.cell else 0), -(definition.line or 0))
            # the learner's own work, graded besides the chosen definition (`variants`): not a chapter script's
            # variant, nor a copy where the book keeps that file (a downloaded common/); a copy typed into a
            # notebook cell or into a file of the learner's own naming (ch6/dropout.py) is their work
            own = not aside and definition.node is not None and (
                not copy or kind == 2 or (definition.cell is None and definition.source.home not in BOOK_PATHS))
            ranked.append((key, definition, copy, own))
        ranked.sort(key=lambda item: item[0])
        # §7.4.3 and §7.4.4 print Convolution's and Pooling's forward alone (backward is in common/layers.py):
        # a class as those listings have it gives way to a definition that has backward, and is graded
        # besides it on what it defines (`variants`: "forward_only")
        if any(_forward_only(definition.node) is False for _, definition, _copy, _own in ranked):
            ranked.sort(key=lambda item: bool(_forward_only(item[1].node)))
        return ranked if keys else [(definition, copy) for _, definition, copy, _own in ranked]

    def _load(self, definition):
        source = definition.source
        if definition.cell is None:
            module, problems = self._file_module(source)
            names = [definition.spelling] if definition.spelling else self._names
            for spelling in names:
                if spelling in module.__dict__:
                    definition.spelling = definition.spelling or spelling
                    return module.__dict__[spelling]
            if problems:
                raise _Failed("; ".join(problems))
            if definition.spelling is None:
                raise _Failed(f"{source.relative} defines none of {', '.join(self._names)}")
            raise _Failed(f"{source.relative}: {definition.spelling} was not defined")
        if self._skipped_unfinished(source.relative, definition.cell.number):
            raise _Failed(f"{source.relative}, cell {definition.cell.number} did not finish loading earlier "
                          "(it hung or stopped the process)")
        module, failed = self._snapshot(source, definition.cell.number)
        error = failed.get((definition.cell.number, definition.line))
        if error is not None:
            raise _Failed(f"{source.relative}, cell {definition.cell.number}: {format_error(error)}")
        if definition.spelling not in module.__dict__:
            raise _Failed(f"{source.relative}, cell {definition.cell.number}: {definition.spelling} was not defined")
        return module.__dict__[definition.spelling]

    def _absent(self, row):
        """Why the book's files did not help: the ones missing from the learner's folder."""
        if self.single:
            return []
        return [f"{home} does not exist in {self.label}" for home in row.get("homes", ())
                if not any(os.path.isfile(os.path.join(root, home)) for root in self._roots | {str(self.top)})]

    def resolve(self, name, chapter=None, extension=None, variant=None):
        """The component `name` as checked for `chapter` (None: the component's own chapter) and, when given,
        for the `extension` of it a later section asks for (module doc); MissingName if none.

        `variant`: the index of one of the learner's other definitions (`variants`) instead of the chosen one.
        """
        name, row = self._row(name)
        chapter = row.get("chapter") if chapter is None else chapter
        key = (name, chapter, extension)
        if variant is not None:
            return self._variant(name, row, chapter, variant, extension)
        if key not in self._resolved:
            self._resolved[key] = self._choose(name, row, chapter, extension)
        value, _record = self._resolved[key]
        if isinstance(value, MissingName):
            raise value
        return value

    def variants(self, name, chapter=None):
        """Where the learner's other definitions of `name` are ([{"file", "cell", "line", "chapter"}]), each graded
        for `chapter` besides the one `resolve` chose: a component defined in several files or notebooks (a draft
        in ch3/softmax_func.py beside common/functions.py, a ch05 notebook's numerical_gradient beside the ch04
        one) is graded as each of them, as it was made. One per file or notebook: its last definition, which is
        what that file or notebook defines; never a copy where the book keeps the file, nor a chapter script's
        variant (`_candidates`). Empty when the component was not found."""
        name, row = self._row(name)
        chapter = row.get("chapter") if chapter is None else chapter
        key = (name, chapter)
        if key not in self._variants:
            self._variants[key] = self._others(name, row, chapter)
        return [self._variant_where(d) for d in self._variants[key]]

    @staticmethod
    def _variant_where(definition):
        where = {**definition.where, "chapter": definition.chapter}
        if _forward_only(definition.node):
            where["forward_only"] = True  # the checks it cannot answer (backward) are not at stake for it
        return where

    def _others(self, name, row, chapter):
        try:
            self.resolve(name, chapter)
        except MissingName:
            return []
        record = self._resolved[(name, chapter, None)][1]
        chosen = next((s for s in self.sources if s.relative == record.get("file")), None)
        seen = {record.get("file")}
        real = {os.path.realpath(chosen.path)} if chosen is not None else set()
        ranked = self._candidates(name, row, chapter, keys=True)
        last = {}  # a file's or notebook's last definition of the component is what it defines
        for _, definition, _copy, _own in ranked:
            if definition.node is not None:
                place = (definition.cell.number if definition.cell else 0, definition.line or 0)
                last[definition.source.relative] = max(last.get(definition.source.relative, place), place)
        found = []
        for _, definition, _copy, own in ranked:
            source = definition.source
            if definition.node is None or source.relative in seen:
                continue
            if (definition.cell.number if definition.cell else 0, definition.line or 0) != last[source.relative]:
                continue
            seen.add(source.relative)
            path = os.path.realpath(source.path)
            if not own or path in real:
                continue
            real.add(path)
            found.append(definition)
        return found

    def _variant(self, name, row, chapter, index, extension=None):
        self.variants(name, chapter)
        others = self._variants[(name, chapter)]
        if not isinstance(index, int) or not 0 <= index < len(others):
            raise MissingName(name, f"no other definition number {index} of {name}")
        self._names = list(row.get("names", ())) or [name]
        definition = others[index]
        if extension is not None and not _written_for(definition, row, extension):
            asked = row.get("extensions", {}).get(extension, {})
            raise MissingName(name, f"no {self._names[0]} written for {asked.get('section')} ({asked.get('what')}): "
                                    f"{_where(definition)} is {asked.get('listing')}, graded where the book prints it")
        try:
            value = self._load(definition)
        except _Failed as failed:
            raise MissingName(name, str(failed)) from None
        record = self._resolved[(name, chapter, None)][1]  # what the notes say was graded besides the chosen one
        graded = record.setdefault("variants", [])
        if self._variant_where(definition) not in graded:
            graded.append(self._variant_where(definition))
        return value

    def _choose(self, name, row, chapter, extension=None):
        self._names = list(row.get("names", ())) or [name]
        candidates = self._candidates(name, row, chapter, extension)
        failures = []
        for index, (definition, copy) in enumerate(candidates):
            try:
                value = self._load(definition)
            except _Failed as failed:
                failures.append({**definition.where, "error": str(failed)})
                continue
            except Exception as error:  # noqa: BLE001 - a folder the child cannot enter, … : the next one
                failures.append({**definition.where, "error": format_error(error)})
                continue
            others = [self._other(d, c, definition, copy, chapter) for d, c in candidates[index + 1:]]
            record = {"component": name, "chapter": chapter, "extension": extension, "status": "found", **definition.where,
                      "spelling": definition.spelling, "source_chapter": definition.chapter, "copy": copy,
                      "origin": self._origin(definition), "others": others, "failed": failures}
            return value, record
        reasons = []
        for reason in [f"{f['file']}{'' if f['cell'] is None else ', cell %d' % f['cell']}: {f['error']}"
                       if not f["error"].startswith(f["file"]) else f["error"] for f in failures] + self._absent(row):
            if reason not in reasons:
                reasons.append(reason)
        earlier = sorted({(d.chapter, d.source.relative) for spelling in self._names
                          for d in self.definitions.get(spelling, ()) if _written_before(d, row, chapter)})
        if earlier and not failures:
            reasons = [f"no {self._names[0]} written for chapter {chapter}, which asks more of it than chapter "
                       f"{earlier[-1][0]} ({earlier[-1][1]}, graded for its own chapter)"]
        narrower = self._without(name, row, chapter, extension)
        # a book file that defines none of the names (a learner's common/functions.py without it) is no
        # attempt at the extension: the learner's own definition is the narrower listing, said as such
        if narrower and all("defines none of" in str(failure.get("error")) for failure in failures):
            asked = row.get("extensions", {}).get(extension, {})
            reasons = [f"no {self._names[0]} written for {asked.get('section')} ({asked.get('what')}): "
                       f"{', '.join(narrower[:3])} is {asked.get('listing')}, graded where the book prints it"]
        if not reasons:
            spellings = ", ".join(self._names)
            where = " or ".join(row.get("homes", ())) or "its chapter's files"
            reasons = [f"no definition of {spellings} was found (the book keeps it in {where})"]
        missing = MissingName(name, "; ".join(reasons))
        record = {"component": name, "chapter": chapter, "extension": extension, "status": "missing", "file": None,
                  "cell": None,
                  "line": None, "spelling": None, "source_chapter": None, "copy": False, "origin": None,
                  "others": [], "failed": failures, "detail": missing.detail}
        return missing, record

    def _without(self, name, row, chapter, extension):
        """Where the definitions set aside for lacking `extension` are ("ch04.ipynb, cell 18"), best first."""
        if extension is None:
            return []
        return [_where(d) for d, _copy in self._candidates(name, row, chapter) if not _written_for(d, row, extension)]

    @staticmethod
    def _origin(definition):
        if definition.node is None and definition.cell is None:
            return "imported"  # a book file binding the name by an import
        if definition.cell is None:
            return "book_file" if definition.source.home is not None else "file"
        return "book_notebook" if definition.cell.marker else "notebook"

    @staticmethod
    def _other(definition, copy, chosen, chosen_copy, chapter):
        if copy and not chosen_copy:
            why = "copy"
        elif definition.chapter != chosen.chapter:
            why = "chapter"
        elif definition.source is chosen.source:
            why = "earlier"
        else:
            why = "order"
        return {**definition.where, "copy": copy, "chapter": definition.chapter, "why": why}

    # -- what the judge is told ---------------------------------------------------------------------
    def provenance(self, name, chapter=None, extension=None):
        """The record of where `name` (checked for `chapter`, and `extension`) came from, or None before it was resolved."""
        try:
            name, row = self._row(name)
        except MissingName:
            return None
        chapter = row.get("chapter") if chapter is None else chapter
        found = self._resolved.get((name, chapter, extension))
        return None if found is None else found[1]

    def report(self):
        """{"notes": [...], "resolved": [...], "defined": [...]}: plain records for the judge (see provenance);
        "defined" lists the components some notebook or file defines, whether or not they were asked for."""
        defined = sorted(name for name, row in self.components.items() if self._candidates(name, row, row.get("chapter")))
        return {"notes": list(self.notes), "resolved": [record for _, record in self._resolved.values()],
                "defined": defined}




def _where(definition):
    cell = definition.cell
    return definition.source.relative if cell is None else f"{definition.source.relative}, cell {cell.number}"


def _forward_only(node):
    """True for a class with `forward` and no `backward` (§7.4's listings: listings.py's `backward_method`),
    False for one with `backward`, None for anything else."""
    if not isinstance(node, ast.ClassDef):
        return None
    if has_form("backward_method", node):
        return False
    methods = {item.name for item in node.body if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))}
    return True if "forward" in methods else None


def _package_of(path):
    """(dotted package a file is in, or "", the folder that package is importable from, or None)."""
    parts = []
    folder = Path(path).parent
    while (folder / "__init__.py").is_file() and folder.parent != folder and len(parts) < MAX_DEPTH:
        parts.insert(0, folder.name)
        folder = folder.parent
    if not parts or not all(part.isidentifier() for part in parts):
        return "", None
    return ".".join(parts), str(folder)


def _quiet(statement):
    """Aliases (`x = y.z`) read names the dropped top level may never have bound: their failure is no news."""
    node = statement.node
    return isinstance(node, ast.Assign) and not isinstance(node.value, ast.Constant) \
        and isinstance(node.value, (ast.Name, ast.Attribute))


def _mnist_stand_in(module):
    """`dataset.mnist` when the learner has none: the grader's verified copy of MNIST (the book's signature)."""
    from data import load_mnist

    module.load_mnist = load_mnist
