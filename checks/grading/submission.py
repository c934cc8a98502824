"""Find what to grade in a submitted folder.

A submission is one of:
- a copy of the dlfs repository (or of its `exercises/` folder's parent): `exercises/` is graded;
- a package: a folder with an `__init__.py` exporting the book's names;
- a folder laid out like the book's repository (`common/`, `ch02/` … `ch08/`);
- any of those wrapped in one extra folder (an unpacked zip).
"""

import os
import shutil
import stat
import sys
from pathlib import Path

from ..i18n import translator
from ..isolation.child.sandboxed.book_layout import looks_like_book_layout

_ = translator("grading")

__all__ = ["SubmissionError", "copy_submission", "locate"]


class SubmissionError(ValueError):
    """The folder holds nothing that can be graded."""


def _direct(folder):
    if (folder / "exercises" / "__init__.py").is_file():
        return str(folder / "exercises")
    if (folder / "__init__.py").is_file():
        return str(folder)
    if looks_like_book_layout(folder):
        return f"book:{folder}"
    if any(folder.glob("*.ipynb")):
        return str(folder)  # notebooks: read where they are (checks/isolation/child/sandboxed/workspace.py)
    return None


def locate(folder):
    """The `--impl` value for the submission in `folder`.

    Raises SubmissionError when there is nothing to grade or the folder cannot be read.
    """
    try:
        folder = Path(folder).resolve()
        if not folder.is_dir():
            raise SubmissionError(_("{folder} is not a folder", folder=str(folder)))
        found = _direct(folder)
        if found is not None:
            return found
        inner = [p for p in folder.iterdir() if p.is_dir() and not p.name.startswith((".", "__"))]
        if len(inner) == 1:
            found = _direct(inner[0])
            if found is not None:
                return found
    except (OSError, RuntimeError) as error:  # unreadable, a link loop, a name the system refuses
        raise SubmissionError(_("{folder}: the folder could not be read ({error})", folder=str(folder),
                                error=type(error).__name__ + ": " + str(error))) from None
    raise SubmissionError(_("{folder}: no exercises/ package, no __init__.py and no book layout (common/, chNN/) — "
                            "nothing to grade", folder=str(folder)))


def copy_submission(source, target):
    """Copy the submitted folder `source` to `target` (a new folder) without leaving it.

    A symbolic link is never followed out of the submission: a link to a file inside
    it is copied as that file; a link leaving it (to the grader's `reference/`, say), a
    link to a folder, and anything that is not a plain file or folder (a FIFO, a device)
    are left out. Returns the relative paths left out, each with the reason.
    """
    source = Path(source).resolve()
    target = Path(target)
    if not source.is_dir():
        raise SubmissionError(_("{folder} is not a folder", folder=str(source)))
    skipped = []
    target.mkdir(parents=True)
    for folder, folders, files in os.walk(source):  # never descends into linked folders
        here = Path(folder)
        relative = here.relative_to(source)
        for name in folders:
            path = here / name
            if path.is_symlink():
                skipped.append((str(relative / name), "a link to a folder"))
            else:
                (target / relative / name).mkdir()
        for name in files:
            path = here / name
            mode = os.lstat(path).st_mode
            if stat.S_ISLNK(mode):
                resolved = Path(os.path.realpath(path))
                if resolved != source and source not in resolved.parents:
                    skipped.append((str(relative / name), "a link leaving the submission"))
                    continue
                if not resolved.is_file():
                    skipped.append((str(relative / name), "a link to something not a plain file"))
                    continue
                path = resolved
            elif not stat.S_ISREG(mode):
                skipped.append((str(relative / name), "not a plain file"))
                continue
            shutil.copyfile(path, target / relative / name, follow_symlinks=False)
    return skipped


def _main(argv):
    """`python -m checks.grading.submission copy SOURCE TARGET` (run_autograder's copy step)."""
    if len(argv) != 3 or argv[0] != "copy":
        print("usage: python -m checks.grading.submission copy SOURCE TARGET", file=sys.stderr)
        return 2
    try:
        skipped = copy_submission(argv[1], argv[2])
    except (OSError, SubmissionError) as error:
        print(f"cannot copy the submission: {error}", file=sys.stderr)
        return 2
    for path, reason in skipped:
        print(f"left out of the graded copy: {path} ({reason})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
