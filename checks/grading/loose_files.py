"""Loose `.py` files (Gradescope's usual upload) placed onto the exercises' modules.

A learner who edited `exercises/functions.py` and `exercises/layers/affine.py` often
uploads just those two files, side by side, without their folders. Graded as they
come they hold no package and no book layout: "nothing to grade". Here they are put
back where they belong, in a copy of the stubs (`exercises/`, every component still
raising NotImplementedError), and that copy is graded: the components the files
implement earn their points, the others count as not attempted.

Each loose file is placed
1. by its file name, when exactly one module of the stubs has that name
   (`affine.py` → `exercises/layers/affine.py`): it replaces that stub, so its
   relative imports (`from ..functions import softmax`) work as in the kit;
2. otherwise by the names it defines: it is copied into the package as
   `_submitted_<name>.py`, and every stub module that defines one of those top-level
   classes or functions imports it from there instead (a learner's `my_layers.py`
   holding `Relu` and `Affine` reaches `layers/activation.py` and `layers/affine.py`).
A file that matches no module by either rule is left out, with a note.

`resolve` (what the autograder, checks/grading/autograder.py, calls) finds the folder to
grade; `python -m checks.grading.loose_files SUBMISSION --stubs DIR --into DIR` prints it: SUBMISSION itself when
it holds a kit, a package or a book layout; else the package assembled in --into; a
single uploaded `.zip` is first unpacked safely (checks/grading/unpack.py).
"""

import argparse
import ast
import shutil
import sys
from pathlib import Path

from ..i18n import translator
from .submission import SubmissionError, locate

_ = translator("grading")

__all__ = ["LooseFilesError", "Placement", "assemble", "loose_files", "place", "resolve", "main"]

# Not the learner's exercise code, whatever their names say.
_IGNORED = ("setup.py", "conftest.py")


class LooseFilesError(ValueError):
    """The loose files cannot be placed (no stubs, or no file matches a module)."""


class Placement:
    """Where one loose file went: `target` (path under the package) or `imported_by` modules."""

    def __init__(self, source, target=None, imported_by=(), names=()):
        self.source, self.target, self.imported_by, self.names = source, target, tuple(imported_by), tuple(names)

    def describe(self):
        if self.target:
            return f"{self.source.name} → exercises/{self.target}"
        if self.imported_by:
            return (f"{self.source.name} → {', '.join(self.names)} used by "
                    f"{', '.join('exercises/' + m for m in self.imported_by)}")
        return f"{self.source.name}: matches no exercise module by name or content; not graded"


def _defined_names(text):
    """Top-level classes, functions and assigned names of a module's source (empty when it does not parse)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return set()
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
    return {name for name in names if not name.startswith("_")}


def loose_files(folder):
    """The top-level `.py` files of `folder` (or of its one inner folder), sorted; [] when none."""
    folder = Path(folder)

    def python_files(where):
        # no symlinks: a submitted link must not carry a file of the grader's machine into the package
        return [p for p in where.iterdir()
                if p.suffix == ".py" and p.name not in _IGNORED and p.is_file() and not p.is_symlink()]

    candidates = python_files(folder)
    if not candidates:
        inner = [p for p in folder.iterdir()
                 if p.is_dir() and not p.is_symlink() and not p.name.startswith((".", "__"))]
        if len(inner) == 1:
            candidates = python_files(inner[0])
    return sorted(candidates, key=lambda p: p.name)


def _stub_modules(stubs):
    """{relative posix path: defined names} of every module of the stubs but `__init__.py` files."""
    modules = {}
    for path in sorted(Path(stubs).rglob("*.py")):
        relative = path.relative_to(stubs)
        if path.name == "__init__.py" or "__pycache__" in relative.parts:
            continue
        modules[relative.as_posix()] = _defined_names(path.read_text(encoding="utf-8"))
    return modules


def place(files, stubs):
    """The Placement of each loose file among the stub modules (nothing is written)."""
    modules = _stub_modules(stubs)
    by_name = {}
    for relative in modules:
        by_name.setdefault(Path(relative).name, []).append(relative)
    placements, taken = [], set()
    for source in files:
        same_name = by_name.get(source.name, [])
        if len(same_name) == 1 and same_name[0] not in taken:
            taken.add(same_name[0])
            placements.append(Placement(source, target=same_name[0]))
            continue
        names = _defined_names(source.read_text(encoding="utf-8", errors="replace"))
        users = {relative: sorted(names & defined) for relative, defined in modules.items() if names & defined}
        if users:
            placements.append(Placement(source, imported_by=sorted(users),
                                        names=sorted({n for ns in users.values() for n in ns})))
        else:
            placements.append(Placement(source))
    return placements, modules


def _module_name(stem):
    cleaned = "".join(c if c.isalnum() or c == "_" else "_" for c in stem)
    return f"_submitted_{cleaned}"


def assemble(folder, stubs, into):
    """Write into `into`/exercises the stubs with the loose files of `folder` placed; returns the placements.

    Raises LooseFilesError when `folder` has no loose file or none matches a module.
    """
    stubs, into = Path(stubs), Path(into)
    if not (stubs / "__init__.py").is_file():
        raise LooseFilesError(_("{folder}: no exercises package (its __init__.py) to place loose files into",
                                folder=str(stubs)))
    files = loose_files(folder)
    if not files:
        raise LooseFilesError(_("{folder}: no .py file at the top of the submission", folder=str(folder)))
    placements, modules = place(files, stubs)
    if not any(p.target or p.imported_by for p in placements):
        raise LooseFilesError(
            f"{folder}: none of {', '.join(p.name for p in files)} matches an exercise module by file name "
            f"(functions.py, layers/affine.py, ...) or defines one of the book's classes or functions")
    package = into / "exercises"
    if package.exists():
        shutil.rmtree(package)
    shutil.copytree(stubs, package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    appended = {}
    for placement in placements:
        if placement.target:
            shutil.copyfile(placement.source, package / placement.target)
        elif placement.imported_by:
            module = _module_name(placement.source.stem)
            shutil.copyfile(placement.source, package / f"{module}.py")
            for relative in placement.imported_by:
                wanted = sorted(set(placement.names) & modules[relative])
                dots = "." * len(Path(relative).parts)  # from exercises/layers/x.py, `..` is the package
                appended.setdefault(relative, []).append(
                    f"from {dots}{module} import {', '.join(wanted)}  # submitted in {placement.source.name}\n")
    for relative, lines in appended.items():
        target = package / relative
        with target.open("a", encoding="utf-8") as handle:
            handle.write("\n\n# The learner's own code, uploaded as loose files, replaces the stubs above.\n")
            handle.writelines(lines)
    return placements


def resolve(submission, stubs, into):
    """(the folder to grade, notes on how it was found) for the submitted folder `submission`.

    `submission` itself when it holds a kit, a package, a book layout or notebooks; a
    single uploaded `.zip`, unpacked safely next to `into`, likewise; else the package
    assembled in `into` from its loose files. When none of these fits, `submission`
    itself, with the reason in the notes (`locate` then says what is missing).
    """
    try:
        locate(submission)
    except SubmissionError:
        pass
    else:  # a kit, an exercises/ folder, a package or a book layout: graded as it is
        return Path(submission), []
    submission = Path(submission)
    zips = sorted(submission.glob("*.zip")) if submission.is_dir() else []
    if len(zips) == 1 and not loose_files(submission):  # a zip uploaded as it is: unpacked safely, then as above
        from .unpack import UnpackError, safe_extract

        unzipped = Path(into).with_name(Path(into).name + "-unzipped")
        try:
            safe_extract(zips[0], unzipped)
        except UnpackError as error:
            return submission, [f"{zips[0].name}: {error}"]
        try:
            locate(unzipped)
        except SubmissionError:
            submission = unzipped
        else:
            return unzipped, []
    try:
        placements = assemble(submission, stubs, into)
    except (LooseFilesError, OSError) as error:
        return submission, [f"loose files: {error}"]
    return Path(into), [f"loose files: {placement.describe()}" for placement in placements]


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m checks.grading.loose_files", description=__doc__.splitlines()[0])
    parser.add_argument("submission", help="the submitted folder")
    parser.add_argument("--stubs", required=True, help="the exercises/ package of the student kit")
    parser.add_argument("--into", required=True, help="where to assemble the package when files are loose")
    args = parser.parse_args(argv)
    folder, notes = resolve(args.submission, args.stubs, args.into)
    for note in notes:
        print(note, file=sys.stderr)
    if folder == Path(args.submission) and notes:
        return 1
    print(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
