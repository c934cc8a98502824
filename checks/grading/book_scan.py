"""Static findings about a book-layout folder, read by the grader (never imported or run).

- uses of the NumPy aliases removed in 1.24 (`np.int`, `np.float`, …): the loader
  restores them so such code runs, and they are reported here, apart from the score;
- files the book's layout expects that are missing (their components count as not
  attempted), and components found only under another spelling (`ReLU` for `Relu`).
"""

import ast
from pathlib import Path

from ..isolation.child.sandboxed.book_layout import BOOK_HOMES, REMOVED_NUMPY_ALIASES

__all__ = ["scan_book_layout", "removed_alias_uses"]

MAX_FILES = 400
MAX_BYTES = 1 << 20
MAX_NOTES = 25


def _python_files(root):
    files = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if any(part.startswith(".") or part == "__pycache__" for part in relative.parts):
            continue
        files.append(path)
        if len(files) >= MAX_FILES:
            break
    return files


def _parse(path):
    try:
        if path.stat().st_size > MAX_BYTES:
            return None
        return ast.parse(path.read_text(encoding="utf-8", errors="replace"), filename=str(path))
    except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
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
    for path in _python_files(root):
        tree = _parse(path)
        if tree is None:
            continue
        uses = removed_alias_uses(tree)
        if uses:
            where = ", ".join(f"line {line} ({name})" for line, name in uses[:6])
            more = f" and {len(uses) - 6} more" if len(uses) > 6 else ""
            notes.append(f"{path.relative_to(root).as_posix()} uses NumPy aliases removed in NumPy 1.24: "
                         f"{where}{more}. The grader restored them for this run (not penalized); use int, float, "
                         "bool, object or complex instead.")
    missing_files, spellings = {}, []
    for name, homes in BOOK_HOMES.items():
        existing = [(relative, options) for relative, options in homes if (root / relative).is_file()]
        if not existing:
            missing_files.setdefault(" or ".join(relative for relative, _ in homes), []).append(name)
            continue
        relative, options = existing[0]
        tree = _parse(root / relative)
        if tree is None:
            continue
        defined, star = _top_level_names(tree)
        if options[0] in defined:
            continue
        other = [spelling for spelling in options[1:] if spelling in defined]
        if other:
            spellings.append(f"{relative} defines {other[0]} for the book's {options[0]} (graded under either name)")
        elif not star:
            spellings.append(f"{relative} defines none of {', '.join(options)}: {name} counts as not attempted")
    for files, names in missing_files.items():
        notes.append(f"missing {files}: {', '.join(names)} count(s) as not attempted")
    notes.extend(spellings)
    if len(notes) > MAX_NOTES:
        notes = notes[:MAX_NOTES] + [f"… and {len(notes) - MAX_NOTES} more findings"]
    return notes
