"""A learner's folder, notebook or script, read the way Jupyter and the book's repository read it.

Runs in the child process (`open_layout` in loaders.py), behind the boundary: every
file is untrusted input, parsed here and never in the grader's process.

What is read. In a folder: every notebook (`.ipynb`) and every Python file, at any
depth up to MAX_DEPTH (not hidden folders, `.ipynb_checkpoints`, `__pycache__`, virtual
environments, nor a folder holding another volume of the series: its `common/` has
`time_layers.py`, `gridworld.py`…). Given one notebook or script, that file alone is
graded; its folder and the repository around it are still there to import from.

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
A definition that cannot be loaded gives way to the next. When none is found, the
book's files are imported whole and the component taken from whatever they bind (a
name re-exported by an import). `provenance(name, chapter)` says which file and cell
was graded, what else was found and why it was not graded; `report()` adds the notes.
"""

import ast
import hashlib
import json
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import copies
from .book_layout import SCRIPT_FILES, restore_numpy_aliases
from .cells import (MARKER, MAX_CELL_CHARS, MAX_NOTEBOOK_BYTES, CellError, Unreadable, bound_names, cell_to_python, is_kept,
                    parse_code, read_notebook)
from .chapters import chapter_of_heading, chapter_of_part, chapter_of_path
from .kernel import Contexts, VirtualModules, format_error, new_module, register_source, run_statement
from .missing import MissingName
from .tracebacks import learner_traceback

__all__ = ["Workspace", "MAX_DEPTH", "MAX_FILES", "MAX_NOTEBOOKS", "has_learner_work", "kind_of_name", "mount_of"]

MAX_DEPTH = 8
MAX_NOTEBOOKS = 200
MAX_FILES = 2000  # Python files looked at
NOTEBOOK_BYTES = MAX_NOTEBOOK_BYTES  # the largest notebook read
MAX_TOTAL_BYTES = 256 << 20  # read in all, notebooks and files
SCAN_SECONDS = 15.0  # under the 30 s the judge gives a child to start
_SKIPPED_FOLDERS = {"__pycache__", "site-packages", "node_modules"}  # and virtual environments (pyvenv.cfg)
# Files of `common/` only the other volumes of the series have (2: NLP, 3: DeZero, 4: RL).
_OTHER_VOLUME_FILES = {"time_layers.py", "base_model.py", "np.py", "gridworld.py", "gridworld_render.py"}
_OTHER_VOLUME_NAME = re.compile(r"(?i)^(?:vol(?:ume)?|book|deep[-_ ]?learning[-_ ]?from[-_ ]?scratch)[-_ ]?0*([2-5])$")


def mount_of(path, levels=3):
    """The folder a child grading the notebook or script `path` alone may read: the nearest one up
    (at most `levels` above the file's own) holding `common/` or `dataset/`, else the file's own."""
    folder = Path(path).resolve().parent
    current = folder
    for _ in range(levels + 1):
        if (current / "common").is_dir() or (current / "dataset").is_dir():
            return current
        if current.parent == current:
            break
        current = current.parent
    return folder


def has_learner_work(folder, limit=MAX_DEPTH, entries=20000):
    """Whether `folder` holds a notebook, or a chapter or common/ folder a few levels down (`book_1/ch04/`,
    `Chapter3/`): not hidden, at most `limit` folders down; a bounded look."""
    pending = [(Path(folder), 0)]
    while pending and entries > 0:
        current, depth = pending.pop()
        try:
            with os.scandir(current) as found:
                for entry in found:
                    entries -= 1
                    if entries <= 0:
                        break
                    if entry.name.startswith(".") or entry.name in _SKIPPED_FOLDERS:
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        if depth < 3 and (entry.name == "common" or chapter_of_part(entry.name) is not None):
                            return True
                        if depth + 1 < limit:
                            pending.append((Path(entry.path), depth + 1))
                    elif entry.name.endswith(".ipynb") and entry.is_file(follow_symlinks=False):
                        return True
        except OSError:
            continue
    return False


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


@dataclass
class Statement:
    node: ast.stmt
    names: list
    line: int
    text: str  # its first line, for notes
    code: object = None  # compiled on first use


@dataclass
class ParsedCell:
    number: int  # 1-based, as Jupyter numbers nothing but a reader counts
    chapter: object  # int or None
    marker: object  # the book file a book notebook's cell holds ("common/layers.py"), or None
    filename: str  # "<notebook path>, cell N": what tracebacks show
    statements: list = field(default_factory=list)


@dataclass
class Definition:
    spelling: object  # the name it is defined under; None: whichever of the component's names a book file binds
    source: "Source"
    cell: object  # ParsedCell or None (a file)
    line: object
    node: object  # its syntax tree (None for a name a book file binds by importing it)

    @property
    def chapter(self):
        return self.cell.chapter if self.cell is not None else self.source.chapter

    @property
    def where(self):
        return {"file": self.source.relative, "cell": self.cell.number if self.cell is not None else None,
                "line": self.line}


class Source:
    """One notebook or Python file of the learner's folder."""

    def __init__(self, relative, path, kind, root, home):
        self.relative = relative  # posix path inside the learner's folder
        self.path = path  # absolute
        self.kind = kind  # "notebook" or "file"
        self.root = root  # the repository root it imports from
        self.folder = os.path.dirname(path)
        self.home = home  # its place in the book's layout ("ch05/two_layer_net.py"), or None
        self.chapter = chapter_of_path(relative)
        self.cells = []
        self.statements = []  # a file's kept statements
        digest = hashlib.sha1(relative.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        self.module_name = "dlfs_src_" + re.sub(r"\W", "_", relative)[-60:] + "_" + digest


class _Failed(Exception):
    pass


def _first_line(lines, node):
    index = getattr(node, "lineno", 1) - 1
    return lines[index].strip()[:120] if 0 <= index < len(lines) else type(node).__name__


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
        self.sources = []
        self.definitions = {}  # spelling -> [Definition]
        self._roots = set()
        self._scan(entry)

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

    # -- scanning ------------------------------------------------------------------------------
    def _root_of(self, folder, limit):
        """The nearest folder from `folder` up to `limit` holding common/ or dataset/, else the one
        holding a chapter folder, else `limit`."""
        folder = Path(folder)
        chapters = None
        current = folder
        while True:
            if (current / "common").is_dir() or (current / "dataset").is_dir():
                return str(current)
            if chapters is None and self._has_chapter_folder(current):
                chapters = str(current)
            if current == limit or current.parent == current:
                break
            current = current.parent
        return chapters or str(limit)

    @staticmethod
    def _has_chapter_folder(folder):
        try:
            with os.scandir(folder) as entries:
                return any(entry.is_dir(follow_symlinks=False) and chapter_of_part(entry.name) is not None
                           and not entry.name.startswith(".") for entry in entries)
        except OSError:
            return False

    @staticmethod
    def _other_volume(folder, name):
        if _OTHER_VOLUME_NAME.match(name):
            return True
        common = folder / "common"
        return common.is_dir() and any((common / marker).is_file() for marker in _OTHER_VOLUME_FILES)

    def _walk(self):
        """(notebooks, Python files) under the folder, bounded, sorted."""
        notebooks, files = [], []
        pending = [(self.top, 0)]
        deadline = time.monotonic() + SCAN_SECONDS
        while pending:
            folder, depth = pending.pop()
            try:
                with os.scandir(folder) as entries:
                    entries = sorted(entries, key=lambda entry: entry.name)
            except OSError:
                continue
            for entry in entries:
                if time.monotonic() > deadline:
                    self.note("scan_limit", reason="time", limit=SCAN_SECONDS)
                    return notebooks, files
                name = entry.name
                if name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    if name in _SKIPPED_FOLDERS or os.path.isfile(os.path.join(entry.path, "pyvenv.cfg")):
                        continue
                    if self._other_volume(Path(entry.path), name):
                        self.note("other_volume", folder=Path(entry.path).relative_to(self.top).as_posix())
                        continue
                    if depth + 1 < MAX_DEPTH:
                        pending.append((Path(entry.path), depth + 1))
                    continue
                if not entry.is_file(follow_symlinks=False):
                    continue
                if name.endswith(".ipynb"):
                    if len(notebooks) < MAX_NOTEBOOKS:
                        notebooks.append(Path(entry.path))
                    else:
                        self.note("scan_limit", reason="notebooks", limit=MAX_NOTEBOOKS)
                elif name.endswith(".py"):
                    if len(files) < MAX_FILES:
                        files.append(Path(entry.path))
                    else:
                        self.note("scan_limit", reason="files", limit=MAX_FILES)
        return sorted(notebooks), sorted(files)

    def _home_of(self, path, root):
        """The book file `path` stands for under `root` (`Chapter5/two_layer_net.py` → `ch05/two_layer_net.py`)."""
        try:
            parts = Path(path).relative_to(root).parts
        except ValueError:
            return None
        if len(parts) != 2:
            return None
        folder, name = parts
        if folder not in ("common", "dataset"):
            chapter = chapter_of_part(folder)
            if chapter is None:
                return None
            folder = f"ch0{chapter}"
        return f"{folder}/{name}"

    def _source(self, path, kind, limit):
        relative = path.relative_to(self.top).as_posix()
        root = self._root_of(path.parent, limit)
        self._add_root(root)
        home = self._home_of(path, root) if kind == "file" else None
        return Source(relative, str(path), kind, root, home)

    def _add_root(self, root):
        if root in self._roots:
            return
        self._roots.add(root)
        if not os.path.isfile(os.path.join(root, "dataset", "mnist.py")):
            self.virtual.provide(root, "dataset.mnist", _mnist_stand_in)

    def _scan(self, entry):
        budget = [MAX_TOTAL_BYTES]
        if entry is not None:
            path = self.top / entry
            sources = [self._source(path, "notebook" if path.suffix == ".ipynb" else "file", self.top)]
        else:
            notebooks, files = self._walk()
            sources = [self._source(p, "file", self.top) for p in files] + \
                      [self._source(p, "notebook", self.top) for p in notebooks]
        if not self._roots:
            self._add_root(str(self.top))
        for source in sources:
            try:
                if source.kind == "notebook":
                    self._read_notebook(source, budget)
                else:
                    self._read_file(source, budget)
            except _Skip:
                continue
            except Exception as error:  # noqa: BLE001 - one unreadable file never costs the others
                self.note("unreadable", file=source.relative, reason="error", detail=format_error(error))
                continue
            self.sources.append(source)

    def _read_bytes(self, source, budget, limit):
        flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(source.path, flags)
        try:
            size = os.fstat(fd).st_size
            if size > limit:
                raise Unreadable("too_large", f"{size >> 20} MB, more than {limit >> 20} MB")
            if size > budget[0]:
                raise Unreadable("budget", f"more than {MAX_TOTAL_BYTES >> 20} MB read in all")
            chunks, total = [], 0
            while total <= limit:
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
            budget[0] -= total
            return b"".join(chunks)
        finally:
            os.close(fd)

    def _parse(self, source, code, filename, cell=None):
        """(tree, lines) of one cell or file; None (with a note) when it cannot be parsed."""
        try:
            return parse_code(code, filename)
        except CellError as error:
            self.note("cell_skipped" if cell is not None else "file_skipped", file=source.relative, cell=cell,
                      line=error.line, reason=error.reason, detail=error.detail)
            return None

    def _statements(self, tree, lines):
        return [Statement(node, bound_names(node), getattr(node, "lineno", 1), _first_line(lines, node))
                for node in tree.body if is_kept(node)]

    def _collect(self, source, tree, cell):
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) \
                    and node.name in self._by_spelling:
                found = self.definitions.setdefault(node.name, [])
                if cell is None:  # a module's last definition of a name is what it binds
                    found[:] = [d for d in found if d.source is not source]
                found.append(Definition(node.name, source, cell, node.lineno, node))

    def _read_file(self, source, budget):
        try:
            data = self._read_bytes(source, budget, MAX_CELL_CHARS)
            code = data.decode("utf-8-sig")
        except (OSError, Unreadable, UnicodeDecodeError) as error:
            reason = error.reason if isinstance(error, Unreadable) else "error"
            self.note("unreadable", file=source.relative, reason=reason, detail=format_error(error))
            raise _Skip() from None
        tree = self._parse(source, code, source.path)
        if tree is None:
            return
        self._collect(source, tree, None)
        if any(d.source is source for found in self.definitions.values() for d in found):
            source.statements = self._statements(tree, code.splitlines())

    def _read_notebook(self, source, budget):
        try:
            cells, how = read_notebook(self._read_bytes(source, budget, NOTEBOOK_BYTES))
        except (OSError, Unreadable) as error:
            reason = error.reason if isinstance(error, Unreadable) else "error"
            detail = error.detail if isinstance(error, Unreadable) else format_error(error)
            self.note("unreadable", file=source.relative, reason=reason, detail=detail)
            raise _Skip() from None
        if how == "script":
            self.note("read_as_script", file=source.relative)
        elif how.startswith("future_format:"):
            self.note("future_format", file=source.relative, version=int(how.split(":")[1]))
        marker = None
        heading = None
        for cell in cells:
            if cell.kind == "markdown":
                text = cell.source.strip()
                first = text.splitlines()[0] if text else ""
                match = MARKER.match(first)
                if match:
                    marker = match.group(1)
                else:
                    heading = chapter_of_heading(text) or heading
                continue
            code = cell_to_python(cell.source)
            filename = f"{source.path}, cell {cell.number}"
            chapter = chapter_of_path(marker) if marker else heading or source.chapter
            parsed = ParsedCell(cell.number, chapter, marker, filename)
            marker = None
            tree = self._parse(source, code, filename, cell.number)
            if tree is None:
                continue
            register_source(filename, code)
            parsed.statements = self._statements(tree, code.splitlines())
            source.cells.append(parsed)
            self._collect(source, tree, parsed)
            if parsed.marker:
                self._provide_marker(source, parsed)

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
        whole = source.home is not None and source.home not in SCRIPT_FILES
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
        return self._statements(tree, code.splitlines())

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
        for root in sorted(self._roots, key=lambda root: (len(Path(root).parts), root)):
            for home in row.get("homes", ()):
                path = os.path.join(root, home)
                if not os.path.isfile(path):
                    continue
                relative = os.path.relpath(path, self.top).replace(os.sep, "/")
                if relative in statically:
                    continue
                source = next((s for s in self.sources if s.relative == relative), None) \
                    or Source(relative, path, "file", root, home)
                found.append(Definition(None, source, None, None, None))
        return found

    def _siblings(self, name, row):
        """Chapters of the other components the book calls by one of this one's names (the ch04 and ch05 TwoLayerNet)."""
        return [self.components[other].get("chapter") for spelling in row.get("names", ())
                for other in self._by_spelling.get(spelling, ()) if other != name
                and self.components[other].get("chapter") is not None]

    def _candidates(self, name, row, chapter):
        """[(definition, is a copy)] for the component, best first (the module doc's order).

        A definition from a chapter nearer another component of the same name is that one's:
        a ch05 notebook's TwoLayerNet is never graded as the chapter-4 TwoLayerNet. A function is
        never a class component (`def ReLU(x)` is not the Relu layer), nor a class a function one.
        """
        names = list(row.get("names", ()))
        book_name = names[0] if names else None
        homes = set(row.get("homes", ()))
        own_chapter, siblings = row.get("chapter"), self._siblings(name, row)
        wanted = _NODE_KINDS.get(row.get("kind") or kind_of_name(book_name), _DEFINITION_NODES)
        definitions = [(rank, d) for rank, spelling in enumerate(names) for d in self.definitions.get(spelling, ())
                       if isinstance(d.node, wanted) and (
                           d.chapter is None or own_chapter is None
                           or not any(abs(d.chapter - other) < abs(d.chapter - own_chapter) for other in siblings))]
        statically = {d.source.relative for _, d in definitions if d.cell is None}
        definitions += [(len(names), d) for d in self._bindings(row, statically)]
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
            aside = kind >= 3 and any(os.path.isfile(os.path.join(definition.source.root, home)) for home in homes)
            key = ((copy and kind != 2) or aside, kind >= 3, closeness, kind, spelling_rank, definition.source.relative,
                   -(definition.cell.number if definition.cell else 0), -(definition.line or 0))
            ranked.append((key, definition, copy))
        ranked.sort(key=lambda item: item[0])
        return [(definition, copy) for _, definition, copy in ranked]

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

    def resolve(self, name, chapter=None):
        """The component `name` as checked for `chapter` (None: the component's own chapter); MissingName if none."""
        name, row = self._row(name)
        chapter = row.get("chapter") if chapter is None else chapter
        key = (name, chapter)
        if key not in self._resolved:
            self._resolved[key] = self._choose(name, row, chapter)
        value, _record = self._resolved[key]
        if isinstance(value, MissingName):
            raise value
        return value

    def _choose(self, name, row, chapter):
        self._names = list(row.get("names", ())) or [name]
        candidates = self._candidates(name, row, chapter)
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
            record = {"component": name, "chapter": chapter, "status": "found", **definition.where,
                      "spelling": definition.spelling, "source_chapter": definition.chapter, "copy": copy,
                      "origin": self._origin(definition), "others": others, "failed": failures}
            return value, record
        reasons = []
        for reason in [f"{f['file']}{'' if f['cell'] is None else ', cell %d' % f['cell']}: {f['error']}"
                       if not f["error"].startswith(f["file"]) else f["error"] for f in failures] + self._absent(row):
            if reason not in reasons:
                reasons.append(reason)
        if not reasons:
            spellings = ", ".join(self._names)
            where = " or ".join(row.get("homes", ())) or "its chapter's files"
            reasons = [f"no definition of {spellings} was found (the book keeps it in {where})"]
        missing = MissingName(name, "; ".join(reasons))
        record = {"component": name, "chapter": chapter, "status": "missing", "file": None, "cell": None,
                  "line": None, "spelling": None, "source_chapter": None, "copy": False, "origin": None,
                  "others": [], "failed": failures, "detail": missing.detail}
        return missing, record

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
    def provenance(self, name, chapter=None):
        """The record of where `name` (checked for `chapter`) came from, or None before it was resolved."""
        try:
            name, row = self._row(name)
        except MissingName:
            return None
        chapter = row.get("chapter") if chapter is None else chapter
        found = self._resolved.get((name, chapter))
        return None if found is None else found[1]

    def report(self):
        """{"notes": [...], "resolved": [...], "defined": [...]}: plain records for the judge (see provenance);
        "defined" lists the components some notebook or file defines, whether or not they were asked for."""
        defined = sorted(name for name, row in self.components.items() if self._candidates(name, row, row.get("chapter")))
        return {"notes": list(self.notes), "resolved": [record for _, record in self._resolved.values()],
                "defined": defined}


class _Skip(Exception):
    pass


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
