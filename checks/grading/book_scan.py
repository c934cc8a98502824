"""Static findings about a book-layout folder, read by the grader (never imported or run).

- uses of the NumPy aliases removed in 1.24 (`np.int`, `np.float`, …): the loader
  restores them so such code runs, and they are reported here, apart from the score;
- files the book's layout expects that are missing (their components count as not
  attempted), and components found only under another spelling (`ReLU` for `Relu`).

The folder is the submission's: it may hold FIFOs, links to /dev/zero, trees a
thousand folders deep or a million files. The scan reads regular files only (opened
without following links and without blocking, checked with fstat), never leaves the
folder, and stops at MAX_DEPTH folders deep, MAX_ENTRIES entries looked at,
MAX_BYTES per file and SCAN_SECONDS in all, saying so in a note.
"""

import ast
import os
import stat
import time
from pathlib import Path

from ..i18n import translator
from ..isolation.child.sandboxed.book_layout import REMOVED_NUMPY_ALIASES
from ..library.components import book_homes

_ = translator("grading")

__all__ = ["scan_book_layout", "removed_alias_uses"]

MAX_FILES = 400
MAX_BYTES = 1 << 20
MAX_NOTES = 25
MAX_DEPTH = 10  # the book's deepest file is two folders down (common/, chNN/)
MAX_ENTRIES = 20000  # folder entries looked at in all (the book's repository has ~300)
SCAN_SECONDS = 20.0


class _Limits:
    """What the scan may still spend, and the first limit it hit (for a note)."""

    def __init__(self, seconds=SCAN_SECONDS):
        self.deadline = time.monotonic() + seconds
        self.entries = 0
        self.hit = None  # a limit that stopped the scan
        self.too_deep = False  # folders skipped for being deeper than MAX_DEPTH

    def spend(self):
        self.entries += 1
        if self.entries > MAX_ENTRIES:
            self.hit = self.hit or f"more than {MAX_ENTRIES} entries"
        elif time.monotonic() > self.deadline:
            self.hit = self.hit or f"more than {SCAN_SECONDS:g} s"
        return self.hit is None


def _python_files(root, limits):
    """Regular *.py files under root (no links followed, no hidden folders), sorted, bounded."""
    files = []
    pending = [(root, 0)]
    while pending and limits.hit is None:
        folder, depth = pending.pop()
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if not limits.spend():
                        break
                    if entry.name.startswith(".") or entry.name == "__pycache__":
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        if depth + 1 < MAX_DEPTH:
                            pending.append((Path(entry.path), depth + 1))
                        else:  # noted, but the rest of the folder is still scanned
                            limits.too_deep = True
                    elif entry.name.endswith(".py") and entry.is_file(follow_symlinks=False):
                        files.append(Path(entry.path))
        except OSError:
            continue
    files.sort()
    return files[:MAX_FILES]


def read_regular(path, root, limit=MAX_BYTES):
    """The text of `path` if it is a regular file inside `root` of at most `limit` bytes, else None.

    Opened without following a link in its last part and without blocking (a FIFO),
    and checked with fstat on the open file, so what is read is what was checked.
    """
    try:
        Path(path).parent.resolve().relative_to(Path(root).resolve())
    except (ValueError, OSError, RuntimeError):
        return None  # a folder linking out of the submission
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None  # missing, a link, unreadable, a special file refusing to open
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks).decode("utf-8", errors="replace") if size <= limit else None
    except OSError:
        return None
    finally:
        os.close(fd)


def _parse(path, root):
    text = read_regular(path, root)
    if text is None:
        return None
    try:
        return ast.parse(text, filename=str(path))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def removed_alias_uses(tree):
    """[(line, 'np.int')] for attributes of numpy that NumPy 1.24 removed."""
    numpy_names = {"numpy"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            numpy_names.update(alias.asname or alias.name for alias in node.names if alias.name == "numpy")
    uses = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in REMOVED_NUMPY_ALIASES \
                and isinstance(node.value, ast.Name) and node.value.id in numpy_names:
            uses.append((node.lineno, f"{node.value.id}.{node.attr}"))
    return sorted(uses)


def _top_level_names(tree):
    names, star = set(), False
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                if alias.name == "*":
                    star = True
                else:
                    names.add((alias.asname or alias.name).split(".")[0])
    return names, star


def scan_book_layout(root):
    """Notes (strings) about the folder `root`."""
    root = Path(root)
    notes = []
    limits = _Limits()
    for path in _python_files(root, limits):
        if time.monotonic() > limits.deadline:
            limits.hit = limits.hit or f"more than {SCAN_SECONDS:g} s"
            break
        tree = _parse(path, root)
        if tree is None:
            continue
        uses = removed_alias_uses(tree)
        if uses:
            where = ", ".join(_("line {line} ({name})", line=line, name=name) for line, name in uses[:6])
            more = _(" and {count} more", count=len(uses) - 6) if len(uses) > 6 else ""
            notes.append(_("{file} uses NumPy aliases removed in NumPy 1.24: {where}. The grader restored them for "
                           "this run (not penalized); use int, float, bool, object or complex instead.",
                           file=path.relative_to(root).as_posix(), where=where + more))
    missing_files, spellings = {}, []
    for name, homes in book_homes().items():
        existing = [(relative, options) for relative, options in homes if os.path.lexists(root / relative)]
        if not existing:
            missing_files.setdefault(" or ".join(relative for relative, _ in homes), []).append(name)
            continue
        relative, options = existing[0]
        tree = _parse(root / relative, root)
        if tree is None:
            continue
        defined, star = _top_level_names(tree)
        if options[0] in defined:
            continue
        other = [spelling for spelling in options[1:] if spelling in defined]
        if other:
            spellings.append(_("{file} defines {spelling} for the book's {name} (graded under either name)",
                               file=relative, spelling=other[0], name=options[0]))
        elif not star:
            spellings.append(_("{file} defines none of {spellings}: {name} counts as not attempted", file=relative,
                               spellings=", ".join(options), name=name))
    for files, names in missing_files.items():
        notes.append(_("missing {files}: {names} count(s) as not attempted", files=files, names=", ".join(names)))
    notes.extend(spellings)
    if limits.hit:
        notes.append(_("the scan for these notes stopped early ({reason}); files past that point were not looked at "
                       "(the score does not depend on this scan)", reason=limits.hit))
    if limits.too_deep:
        notes.append(_("folders more than {depth} levels deep were not scanned for these notes", depth=MAX_DEPTH))
    if len(notes) > MAX_NOTES:
        notes = notes[:MAX_NOTES] + [_("… and {count} more findings", count=len(notes) - MAX_NOTES)]
    return notes
