"""Notebooks as gradable code: turn `.ipynb` files into a folder laid out like the book's repository.

Learners type the book's code into Jupyter notebooks as often as into files. Grading
reads a notebook (with `nbformat`) on the judge's side and writes what it defines into
a fresh folder laid out like the book's repository, which is then graded like any
book-layout folder (`book:FOLDER`), in the child process, behind the same boundary:

- The book's own notebooks (`notebooks/ch05.ipynb`, `common.ipynb`…) put a markdown cell
  `# ch05/two_layer_net.py` before the code cell that holds that file: the cell becomes
  that file.
- Any other code cell is the learner's own: its top-level definitions (functions,
  classes), imports and literal constants are collected per notebook into one module,
  `_notebooks/<name>.py`, where the *last* definition of a name wins even when a later
  cell rebinds it with `from common.layers import *` (imports are hoisted above the
  definitions). Each of the book's components it defines is then reachable from the
  file where the book keeps it (`common/layers.py` for `Affine`).
- Definitions only: top-level training loops, plots and prints are not copied, so they
  cannot stop grading. IPython syntax is handled: `%matplotlib inline` and other line
  magics and `!shell` lines are dropped, `%pylab inline` becomes the imports of `np` and
  `plt` it injects, a `%%` cell magic other than `%%time`/`%%timeit`/`%%capture` drops its cell.
- A real `.py` file of the learner wins over a notebook cell naming the same file.
- `from dataset.mnist import load_mnist` resolves to the learner's `dataset/` when there
  is one beside the notebooks, else to a two-line stand-in calling `data.load_mnist`.

`convert(source, dest)` writes the folder and returns notes saying which cell each graded
definition came from (called by checks/isolation/intake/workspace.py, in a bounded process).
"""

import ast
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import translator
from ..library.components import TABLE, spellings

__all__ = ["NotebookError", "Conversion", "convert", "cell_to_python"]

MAX_NOTEBOOKS = 200
MAX_NOTEBOOK_BYTES = 20 << 20
MAX_FILES_COPIED = 2000
MAX_DEPTH = 8
_MARKER = re.compile(r"^#\s*((?:ch0[1-8]|common|dataset)/[\w.-]+\.py)\s*$")
_KEPT_CELL_MAGICS = {"time", "timeit", "capture"}
_PYLAB = "import numpy as np\nimport matplotlib.pyplot as plt\n"
# component -> the book file it is first looked for in
_HOME_OF = {row.name: row.homes[0] for row in TABLE if row.homes}
_SPELLINGS = spellings()


_ = translator("grading")


class NotebookError(ValueError):
    """A notebook that cannot be read (not JSON, not a notebook, too large)."""


@dataclass
class Conversion:
    """The folder written, and what to tell the learner about it."""

    root: Path
    notes: list = field(default_factory=list)
    provenance: dict = field(default_factory=dict)  # component -> "ch05.ipynb, cell 7"


def _notebooks_in(folder):
    found = []
    for path in sorted(folder.rglob("*.ipynb")):
        relative = path.relative_to(folder)
        if len(relative.parts) > MAX_DEPTH or any(part.startswith(".") for part in relative.parts):
            continue  # .ipynb_checkpoints copies are older versions of the same notebook
        if path.is_file() and not path.is_symlink():
            found.append(path)
        if len(found) >= MAX_NOTEBOOKS:
            break
    return found


def cell_to_python(source):
    """The code cell `source` as plain Python: magics and shell escapes handled (see the module doc)."""
    lines = source.splitlines()
    if lines and lines[0].lstrip().startswith("%%"):
        magic = lines[0].lstrip()[2:].split(maxsplit=1)[0] if lines[0].strip() != "%%" else ""
        if magic not in _KEPT_CELL_MAGICS:
            return ""
        lines = lines[1:]
    out = []
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("%pylab"):
            out.append(_PYLAB.strip().replace("\n", "; "))
        elif stripped.startswith(("%", "!")) or re.match(r"^\w[\w.]*\s*=\s*[!%]", stripped):
            out.append("")  # keep line numbers: a diagnosis can then point at the cell's own line
        elif stripped.endswith("?") and not stripped.startswith("#") and re.match(r"^[\w.]+\?{1,2}$", stripped):
            out.append("")  # `name?` asks IPython for help
        else:
            out.append(line)
    return "\n".join(out) + "\n"


def _read(path):
    import nbformat

    if path.stat().st_size > MAX_NOTEBOOK_BYTES:
        raise NotebookError(_("{name} is larger than {size} MB", name=path.name, size=MAX_NOTEBOOK_BYTES >> 20))
    try:
        return nbformat.read(str(path), as_version=4)
    except Exception as error:  # nbformat raises several kinds for broken files
        raise NotebookError(_("{name} is not a readable Jupyter notebook ({error})", name=path.name,
                              error=type(error).__name__ + ": " + " ".join(str(error).split())[:200])) from None


def _parse(code, where):
    try:
        return ast.parse(code, filename=where)
    except SyntaxError as error:
        return error


def _is_definition(node):
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return True
    if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
        try:
            ast.literal_eval(node.value)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            return False
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return all(isinstance(target, ast.Name) for target in targets)
    return False


def _is_import(node):
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return True
    # try: import cupy as np / except ImportError: import numpy as np
    return isinstance(node, ast.Try) and all(isinstance(n, (ast.Import, ast.ImportFrom, ast.Pass))
                                             for n in node.body)


def definitions_only(code):
    """`code` keeping only imports, definitions and literal constants, in their order (for cell files)."""
    tree = _parse(code, "<cell>")
    if isinstance(tree, SyntaxError):
        return None
    kept = [node for node in tree.body if _is_import(node) or _is_definition(node)]
    return ast.unparse(ast.Module(body=kept, type_ignores=[])) + "\n"


def _defined_names(node):
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [node.name]
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    return [target.id for target in targets]


def _module_of(relative):
    return relative[:-3].replace("/", ".")


class _Builder:
    def __init__(self, source_root, dest):
        self.source_root = source_root
        self.dest = dest
        self.conversion = Conversion(dest)
        self.real_files = set()
        self.cell_files = {}  # relative path -> "nb, cell i"

    def copy_real_files(self):
        """The learner's own files (code, dataset/, weight files) — regular files only, bounded."""
        copied = 0
        for path in sorted(self.source_root.rglob("*")):
            relative = path.relative_to(self.source_root)
            if len(relative.parts) > MAX_DEPTH or any(p.startswith(".") or p == "__pycache__" for p in relative.parts):
                continue
            if path.is_symlink() or not path.is_file():
                continue
            if path.suffix == ".ipynb":
                continue
            if path.stat().st_size > MAX_NOTEBOOK_BYTES:
                continue
            target = self.dest / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            if path.suffix == ".py":
                self.real_files.add(relative.as_posix())
            copied += 1
            if copied >= MAX_FILES_COPIED:
                self.conversion.notes.append(_("only the first {count} files were read", count=MAX_FILES_COPIED))
                break

    def add_notebook(self, path):
        name = path.relative_to(self.source_root).as_posix() if path.is_relative_to(self.source_root) else path.name
        notebook = _read(path)
        pending_file = None
        cells = []  # (where, python, the book file a marker names or None)
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type == "markdown":
                first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
                match = _MARKER.match(first)
                pending_file = match.group(1) if match else pending_file
            elif cell.cell_type == "code":
                cells.append((f"{name}, cell {index + 1}", cell_to_python(cell.source), pending_file))
                pending_file = None
        if not cells:
            return
        module = "_notebooks." + re.sub(r"\W", "_", path.stem)
        self._write_namespace(module, path.stem, cells)
        for where, python, relative in cells:
            if relative is not None:
                self._write_cell_file(relative, python, where, module)

    def _write_cell_file(self, relative, python, where, module):
        if relative in self.real_files:
            return  # the learner's file is what they wrote last (the book's repository ships both)
        kept = definitions_only(python)
        if kept is None:
            self.conversion.notes.append(_("{where} ({file}) is not valid Python: skipped", where=where, file=relative))
            return
        target = self.dest / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        # A cell runs in the kernel's namespace: the notebook's other cells are in scope
        # (the book's common.ipynb has no imports in its layers cell); its own definitions win.
        target.write_text(f"# from {where}\nfrom {module} import *  # noqa: F403\n" + kept, encoding="utf-8")
        self.cell_files[relative] = where

    def _write_namespace(self, module, stem, cells):
        """The notebook's kernel namespace after running every cell: imports, then the last definitions."""
        imports, definitions, origin = [], {}, {}
        for where, python, relative in cells:
            tree = _parse(python, where)
            if isinstance(tree, SyntaxError):
                self.conversion.notes.append(_("{where} is not valid Python (line {line}): skipped", where=where,
                                               line=tree.lineno))
                continue
            for node in tree.body:
                if _is_import(node):
                    imports.append(node)
                elif _is_definition(node):
                    for defined in _defined_names(node):
                        definitions.pop(defined, None)  # the last definition wins, in its own place
                        definitions[defined] = node
                        origin[defined] = (where, relative)
        homes_from_here = {}
        for defined, (where, relative) in origin.items():
            book_name = _SPELLINGS.get(defined)
            if book_name is None or relative is not None:
                continue  # a marker cell's definitions are reached through its own file
            home = _HOME_OF[book_name]
            if home in self.real_files or home in self.cell_files:
                self.conversion.notes.append(_("{name} is defined in {where} and in {home}: {home} is graded",
                                               name=defined, where=where, home=home))
                continue
            homes_from_here.setdefault(home, []).append(defined)
            self.conversion.provenance[book_name] = where
        # An import of a home file this very notebook fills would import the notebook from itself.
        generated = {_module_of(home) for home in homes_from_here}
        imports = [node for node in imports if not (isinstance(node, ast.ImportFrom) and node.module in generated)]
        unique = []
        for node in definitions.values():
            if node not in unique:
                unique.append(node)
        body = ast.unparse(ast.Module(body=imports + unique, type_ignores=[]))
        target = self.dest / (module.replace(".", "/") + ".py")
        target.parent.mkdir(parents=True, exist_ok=True)
        (target.parent / "__init__.py").touch()
        target.write_text(f"# the namespace of {stem}.ipynb after its cells ran (the last definition of each name)\n"
                          f"{body}\n", encoding="utf-8")
        for home, names in homes_from_here.items():
            home_path = self.dest / home
            home_path.parent.mkdir(parents=True, exist_ok=True)
            with open(home_path, "a", encoding="utf-8") as handle:
                handle.write(f"from {module} import {', '.join(names)}\n")

    def finish(self):
        if not (self.dest / "dataset" / "mnist.py").is_file():
            (self.dest / "dataset").mkdir(exist_ok=True)
            (self.dest / "dataset" / "__init__.py").touch()
            (self.dest / "dataset" / "mnist.py").write_text(
                "# stand-in for the book's dataset/mnist.py: the grader's verified copy of MNIST\n"
                "from data import load_mnist\n", encoding="utf-8")
        for name, where in sorted(self.conversion.provenance.items()):
            self.conversion.notes.append(_("{name} graded from {where}", name=name, where=where))
        for relative, where in sorted(self.cell_files.items()):
            self.conversion.notes.append(_("{file} taken from {where}", file=relative, where=where))
        return self.conversion


def convert(source, dest):
    """Write the book-layout folder for `source` (a notebook, or a folder holding notebooks) into `dest`."""
    source = Path(source).expanduser().resolve()
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    if source.is_file():
        root, notebooks = source.parent, [source]
    else:
        root, notebooks = source, _notebooks_in(source)
    # The book's notebooks/ folder sits beside dataset/ (its cells append os.pardir to sys.path).
    builder = _Builder(root, dest)
    if source.is_dir():
        builder.copy_real_files()
    for candidate in (root / "dataset", root.parent / "dataset"):
        if not (dest / "dataset").exists() and (candidate / "mnist.py").is_file():
            shutil.copytree(candidate, dest / "dataset", ignore=shutil.ignore_patterns("*.pyc", "__pycache__"),
                            symlinks=False)
    for notebook in notebooks:
        builder.add_notebook(notebook)
    return builder.finish()
