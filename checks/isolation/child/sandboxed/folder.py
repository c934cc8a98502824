"""What a learner's folder holds, read without running any of it.

Runs in the child process, behind the boundary (workspace.py opens it): every file is
untrusted input, bounded before it is parsed (cells.py). In a folder: every notebook
(`.ipynb`) and every Python file, at most MAX_DEPTH folders down — not hidden folders
(`.ipynb_checkpoints`), `__pycache__`, virtual environments, nor a folder holding another
volume of the series (its `common/` has `time_layers.py`, `gridworld.py`…). Given one
notebook or script (`entry`), that file alone.

For each file: where it imports from (its root: the nearest folder up holding `common/` or
`dataset/`, else one holding chapter folders), which book file it stands for
(`Chapter5/two_layer_net.py` is `ch05/two_layer_net.py`), its chapter (chapters.py), and the
top-level functions and classes named like a component (`Definition`). A notebook's cells
keep their number, their chapter (a book notebook's marker `# ch05/two_layer_net.py`, else
the last heading naming a chapter, else the notebook's path) and their kept statements.
What cannot be read is a note, never an exception.
"""

import ast
import hashlib
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from .cells import (MARKER, MAX_CELL_CHARS, MAX_NOTEBOOK_BYTES, CellError, Unreadable, bound_names, cell_to_python,
                    is_kept, parse_code, read_notebook)
from .chapters import chapter_of_heading, chapter_of_part, chapter_of_path
from .kernel import format_error, register_source

__all__ = ["Definition", "Folder", "MAX_DEPTH", "MAX_FILES", "MAX_NOTEBOOKS", "ParsedCell", "Source", "Statement",
           "has_learner_work", "mount_of", "statements_of"]

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


def has_learner_work(folder, limit=MAX_DEPTH, entries=20000, scripts=False):
    """Whether `folder` holds a notebook, or a chapter or common/ folder a few levels down (`book_1/ch04/`,
    `Chapter3/`), or (`scripts`) any Python file (a layout of the learner's own: `Backpropagation/AffineLayer.py`):
    not hidden, at most `limit` folders down; a bounded look."""
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
                    elif entry.name.endswith((".ipynb", ".py") if scripts else ".ipynb") \
                            and entry.is_file(follow_symlinks=False):
                        return True
        except OSError:
            continue
    return False


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


def _first_line(lines, node):
    index = getattr(node, "lineno", 1) - 1
    return lines[index].strip()[:120] if 0 <= index < len(lines) else type(node).__name__


def statements_of(tree, lines):
    """The kept statements of a module's tree (cells.is_kept), with what each binds and its first line."""
    return [Statement(node, bound_names(node), getattr(node, "lineno", 1), _first_line(lines, node))
            for node in tree.body if is_kept(node)]


class _Skip(Exception):
    pass


class Folder:
    """The sources of a learner's folder (or of one `entry` in it) and the definitions they hold.

    Attributes: `sources` (Source, in path order), `definitions` ({name: [Definition]} for the
    names in `spellings`), `roots` (the repository roots seen), `markers` ([(Source, ParsedCell)]:
    book notebooks' cells holding a book file). `note(kind, **fields)` is told what could not be read.
    """

    def __init__(self, top, entry, spellings, note):
        self.top = Path(top)
        self.spellings = spellings
        self.note = note
        self.sources = []
        self.definitions = {}
        self.roots = []
        self.markers = []
        self._scan(entry)

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
        if root not in self.roots:
            self.roots.append(root)

    def _scan(self, entry):
        budget = [MAX_TOTAL_BYTES]
        if entry is not None:
            path = self.top / entry
            sources = [self._source(path, "notebook" if path.suffix == ".ipynb" else "file", self.top)]
        else:
            notebooks, files = self._walk()
            sources = [self._source(p, "file", self.top) for p in files] + \
                      [self._source(p, "notebook", self.top) for p in notebooks]
        if not self.roots:
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

    def _collect(self, source, tree, cell):
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) \
                    and node.name in self.spellings:
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
            source.statements = statements_of(tree, code.splitlines())

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
            parsed.statements = statements_of(tree, code.splitlines())
            source.cells.append(parsed)
            self._collect(source, tree, parsed)
            if parsed.marker:
                self.markers.append((source, parsed))
