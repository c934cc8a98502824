"""Where a learner's tree defines the book's components: every top-level definition, file and cell.

An occurrence is one top-level `def`/`class` whose name is one of the book's
spellings of a graded component (`ReLU` for `Relu`, see checks/library/components.py), in a `.py`
file or a notebook code cell. Each says where it is (`ch05/layers.ipynb#12`, the
cell's index among all the notebook's cells), whether it is a copy of some version
of the book's code (`book_fingerprints`), and the statements that come before it
(what the kernel or the module had defined when it was made), so that it can be run
on its own (`label.py`).
"""

import ast
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from ...isolation.child.sandboxed import book_fingerprints as fp
from ...isolation.child.sandboxed.chapters import chapter_of_path, owner
from ...isolation.intake.spec import component_table
from ...library.components import TABLE, named, spellings

__all__ = ["Occurrence", "SPELLINGS", "discover", "read_units"]

SPELLINGS = spellings()
# The book's classes (a `def ReLU(x)` activation function is not the `Relu` layer): named like a class.
CLASSES = frozenset(row.name for row in TABLE if row.book_name[:1].isupper() and row.book_name not in ("AND", "NAND", "OR", "XOR"))
SKIPPED_FOLDERS = {".git", ".ipynb_checkpoints", "__pycache__", "node_modules", ".venv", "venv", "site-packages"}
MAX_BYTES = 20 << 20
_KEPT_CELL_MAGICS = ("%%time", "%%timeit", "%%capture")


@dataclass
class Occurrence:
    """One definition of a component in a learner's tree."""

    component: str
    name: str  # as spelled in the source
    path: str  # relative to the tree, posix
    cell: int | None  # index among the notebook's cells (None for a .py file)
    line: int  # in the file or cell
    book_copy: bool
    book_first: str | None  # the first date the book published this exact version (copies only)
    node: ast.AST = field(repr=False)
    before: list = field(repr=False, default_factory=list)  # statements before it (same module or notebook)
    after: list = field(repr=False, default_factory=list)  # the rest of the module or notebook
    superseded: bool = False  # defined again later in the same file or notebook: that later one is what it defines

    @property
    def where(self):
        return self.path if self.cell is None else f"{self.path}#{self.cell}"


def _cell_source(cell):
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _clean_cell(source):
    """A code cell as Python: line magics and shell lines dropped, a cell magic's cell dropped (but %%time's body kept)."""
    stripped = source.lstrip()
    if stripped.startswith("%%"):
        first, _, body = stripped.partition("\n")
        if not first.startswith(_KEPT_CELL_MAGICS):
            return ""
        source = body
    return source


def read_units(path):
    """[(cell index or None, tree)] of a .py file or a notebook's parsable code cells; [] when unreadable."""
    try:
        if path.stat().st_size > MAX_BYTES:
            return []
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    if path.suffix == ".py":
        try:
            return [(None, ast.parse(text))]
        except (SyntaxError, ValueError, RecursionError):
            return []
    try:
        cells = json.loads(text).get("cells", [])
    except (ValueError, AttributeError):
        return []
    units = []
    for index, cell in enumerate(cells if isinstance(cells, list) else []):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        tree = fp.parse_cell(_clean_cell(_cell_source(cell)))
        if tree is not None:
            units.append((index, tree))
    return units


def _files(root):
    for folder, folders, files in os.walk(root):
        folders[:] = sorted(d for d in folders if d not in SKIPPED_FOLDERS and not d.startswith("."))
        for name in sorted(files):
            if name.endswith((".py", ".ipynb")):
                yield Path(folder) / name


def discover(root):
    """Every occurrence of a graded component under `root`, in path then cell order."""
    root = Path(root)
    found = []
    for path in _files(root):
        relative = path.relative_to(root).as_posix()
        units = read_units(path)
        statements = [node for _, tree in units for node in tree.body]
        done = 0  # statements of the file or notebook before the current cell
        for cell, tree in units:
            for position, node in enumerate(tree.body):
                component = SPELLINGS.get(getattr(node, "name", None)) \
                    if isinstance(node, (ast.FunctionDef, ast.ClassDef)) else None
                if component is not None and (component in CLASSES) != isinstance(node, ast.ClassDef):
                    component = None  # a function named like a class (ReLU(x)) or the other way round
                if component is not None and len(named(node.name)) > 1:
                    # the grader's rule for the two TwoLayerNets (what it is built on, then its chapter)
                    table = component_table()
                    component = owner(node, chapter_of_path(relative), {row.name: table[row.name]
                                                                       for row in named(node.name)}) or component
                if component is not None:
                    versions = fp.book_versions(component.rsplit(".", 1)[-1], node)  # the book's name
                    # A function reads its globals when called: by then the kernel has run the whole notebook
                    # (an `import numpy` three cells later included), as a module has run its whole file.
                    found.append(Occurrence(
                        component=component, name=node.name, path=relative, cell=cell, line=node.lineno,
                        book_copy=versions is not None, book_first=versions["first"] if versions else None,
                        node=node, before=statements[:done + position], after=statements[done + position + 1:]))
            done += len(tree.body)
    last = {}
    for occurrence in found:
        last[(occurrence.path, occurrence.component)] = occurrence
    for occurrence in found:
        occurrence.superseded = last[(occurrence.path, occurrence.component)] is not occurrence
    return found
