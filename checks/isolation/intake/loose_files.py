"""Loose `.py` files (Gradescope's usual upload, or one `.py` named as IMPL) placed onto the stubs.

A learner who edited `exercises/functions.py` and `exercises/layers/affine.py` often
uploads just those two files, side by side, without their folders. They are put back
where they belong, in a copy of the stubs (`exercises/`, every component still raising
NotImplementedError), and that copy is graded: the components the files implement earn
their points, the others count as not attempted.

Each loose file is placed
1. by its file name, when exactly one module of the stubs has that name
   (`affine.py` → `exercises/layers/affine.py`): it replaces that stub, so its
   relative imports (`from ..functions import softmax`) work as in the kit;
2. otherwise by the names it defines: it is copied into the package under a module
   name of its own (`_submitted_<name>.py`, never shared by two files), and every stub
   module that defines one of those top-level classes or functions imports it from
   there instead (a learner's `my_layers.py` holding `Relu` and `Affine` reaches
   `layers/activation.py` and `layers/affine.py`).
A file that matches no module by either rule is left out, with a note.

The files are the learner's and are read here, in the grader's own process, so they are
bounded before they are parsed: at most MAX_FILES files, and the names a file defines
are read only from files of at most PARSE_BYTES (a 10 MB file of pasted weights is
placed by its name or left out with a note, never parsed).
"""

import ast
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from ...i18n import translator
from .errors import IntakeError
from .spec import REPO_ROOT

_ = translator("grading")

__all__ = ["MAX_FILES", "PARSE_BYTES", "Placement", "assemble", "loose_files", "place", "pristine_stubs"]

MAX_FILES = 100
PARSE_BYTES = 512 << 10  # the reference's largest module is 12 KB
# Not the learner's exercise code, whatever their names say.
_IGNORED = ("setup.py", "conftest.py")


@dataclass(frozen=True)
class Placement:
    """Where one loose file went: `target` (path under the package) or the `imported_by` modules."""

    source: Path
    target: str = ""
    imported_by: tuple = ()
    names: tuple = ()
    why_not: str = ""  # why it was left out, when it was

    def describe(self):
        """One line for the learner (translated)."""
        if self.target:
            return _("{file} → exercises/{module}", file=self.source.name, module=self.target)
        if self.imported_by:
            return _("{file} → {names} used by {modules}", file=self.source.name, names=", ".join(self.names),
                     modules=", ".join("exercises/" + m for m in self.imported_by))
        return _("{file}: not graded ({reason})", file=self.source.name,
                 reason=self.why_not or _("matches no exercise module by name or content"))


def pristine_stubs(work):
    """The stubs loose files are placed onto, every component still raising NotImplementedError.

    In an instructor's checkout (reference/ present) they are rendered afresh into
    `work`/stubs: the checkout's own exercises/ may hold the instructor's attempts, which
    would then earn points for a student who did not write them. Without reference/ (a
    kit, the autograder) the shipped exercises/ are the stubs as generated.
    """
    if not (REPO_ROOT / "reference").is_dir():
        return REPO_ROOT / "exercises"
    from ...library.stubs import render_tree  # only where reference/ is: the kit has no reference to render

    folder = Path(work) / "stubs"
    if not (folder / "__init__.py").is_file():
        for relative, content in render_tree().items():
            path = folder / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
    return folder


def _defined_names(text):
    """Top-level classes and functions of a module's source, public ones (empty when it does not parse)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return set()
    return {node.name for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and not node.name.startswith("_")}


def _python_files(where):
    """The .py files at the top of `where`, sorted by name (regular files, no links: a submitted link must
    not carry a file of the grader's machine into the package); read in one bounded pass."""
    found = []
    with os.scandir(where) as entries:
        for entry in entries:
            if len(found) > MAX_FILES:
                break
            if entry.name.endswith(".py") and entry.name not in _IGNORED and not entry.name.startswith(".") \
                    and entry.is_file(follow_symlinks=False):
                found.append(Path(entry.path))
    return sorted(found, key=lambda p: p.name)


def loose_files(folder):
    """The top-level `.py` files of `folder` (or of its one inner folder), sorted by name; [] when none."""
    folder = Path(folder)
    candidates = _python_files(folder)
    if not candidates:
        inner = [p for p in folder.iterdir()
                 if p.is_dir() and not p.is_symlink() and not p.name.startswith((".", "__"))]
        if len(inner) == 1:
            candidates = _python_files(inner[0])
    return candidates


def _stub_modules(stubs):
    """{relative posix path: defined names} of every module of the stubs but `__init__.py` files (ours: trusted)."""
    modules = {}
    for path in sorted(Path(stubs).rglob("*.py")):
        relative = path.relative_to(stubs)
        if path.name == "__init__.py" or "__pycache__" in relative.parts:
            continue
        modules[relative.as_posix()] = _defined_names(path.read_text(encoding="utf-8"))
    return modules


def _read_bounded(path):
    """The file's text, or None when it is larger than PARSE_BYTES (checked before reading)."""
    with open(path, "rb") as handle:
        data = handle.read(PARSE_BYTES + 1)
    if len(data) > PARSE_BYTES:
        return None
    return data.decode("utf-8", errors="replace")


def place(files, stubs):
    """(the Placement of each loose file among the stub modules, the stub modules); nothing is written."""
    modules = _stub_modules(stubs)
    by_name = {}
    for relative in modules:
        by_name.setdefault(Path(relative).name, []).append(relative)
    placements, taken = [], set()
    for source in files[:MAX_FILES]:
        same_name = by_name.get(source.name, [])
        if len(same_name) == 1 and same_name[0] not in taken:
            taken.add(same_name[0])
            placements.append(Placement(source, target=same_name[0]))
            continue
        text = _read_bounded(source)
        if text is None:
            placements.append(Placement(source, why_not=_(
                "larger than {size} KB, so not read for the classes and functions it defines",
                size=PARSE_BYTES >> 10)))
            continue
        names = _defined_names(text)
        users = {relative: sorted(names & defined) for relative, defined in modules.items() if names & defined}
        if users:
            placements.append(Placement(source, imported_by=tuple(sorted(users)),
                                        names=tuple(sorted({n for ns in users.values() for n in ns}))))
        else:
            placements.append(Placement(source))
    for source in files[MAX_FILES:]:
        placements.append(Placement(source, why_not=_("only the first {count} files are placed", count=MAX_FILES)))
    return placements, modules


def _module_names(placements):
    """{source: its module name}: `_submitted_<stem>` made an identifier, distinct for every file
    (`my-layers.py` and `my_layers.py` must not overwrite each other)."""
    names, used = {}, set()
    for placement in placements:
        if not placement.imported_by:
            continue
        cleaned = "".join(c if c.isalnum() and c.isascii() or c == "_" else "_" for c in placement.source.stem)
        name, n = f"_submitted_{cleaned}", 2
        while name in used:
            name, n = f"_submitted_{cleaned}_{n}", n + 1
        used.add(name)
        names[placement.source] = name
    return names


def assemble(files, stubs, into):
    """Write `into`/exercises: the stubs with `files` placed; returns the placements.

    Raises IntakeError when no file matches a module.
    """
    stubs, into = Path(stubs), Path(into)
    if not (stubs / "__init__.py").is_file():
        raise IntakeError(str(stubs), _("no exercises package (its __init__.py) to place loose files into"))
    placements, modules = place(list(files), stubs)
    if not any(p.target or p.imported_by for p in placements):
        raise IntakeError(", ".join(f.name for f in files), _(
            "none of these files matches an exercise module by file name (functions.py, layers/affine.py, …) or "
            "defines one of the book's classes or functions"))
    package = into / "exercises"
    shutil.copytree(stubs, package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    modules_of = _module_names(placements)
    appended = {}
    for placement in placements:
        if placement.target:
            shutil.copyfile(placement.source, package / placement.target)
        elif placement.imported_by:
            module = modules_of[placement.source]
            shutil.copyfile(placement.source, package / f"{module}.py")
            for relative in placement.imported_by:
                wanted = sorted(set(placement.names) & modules[relative])
                dots = "." * len(Path(relative).parts)  # from a module one folder down (layers/x.py), `..` is the package
                appended.setdefault(relative, []).append(
                    f"from {dots}{module} import {', '.join(wanted)}  # submitted as {placement.source.name!r}\n")
    for relative, lines in appended.items():
        with (package / relative).open("a", encoding="utf-8") as handle:
            handle.write("\n\n# The learner's own code, uploaded as loose files, replaces the stubs above.\n")
            handle.writelines(lines)
    return placements
