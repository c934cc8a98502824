"""Find what to grade in a submitted folder.

A submission is one of:
- a copy of the dlfs repository (or of its `exercises/` folder's parent): `exercises/` is graded;
- a package: a folder with an `__init__.py` exporting the book's names;
- a folder laid out like the book's repository (`common/`, `ch02/` … `ch08/`);
- any of those wrapped in one extra folder (an unpacked zip).
"""

from pathlib import Path

__all__ = ["SubmissionError", "locate"]


class SubmissionError(ValueError):
    """The folder holds nothing that can be graded."""


def _direct(folder):
    if (folder / "exercises" / "__init__.py").is_file():
        return str(folder / "exercises")
    if (folder / "__init__.py").is_file():
        return str(folder)
    if (folder / "common").is_dir() or any(folder.glob("ch0[2-8]")):
        return f"book:{folder}"
    return None


def locate(folder):
    """The `--impl` value for the submission in `folder`.

    Raises SubmissionError when there is nothing to grade or the folder cannot be read.
    """
    try:
        folder = Path(folder).resolve()
        if not folder.is_dir():
            raise SubmissionError(f"{folder} is not a folder")
        found = _direct(folder)
        if found is not None:
            return found
        inner = [p for p in folder.iterdir() if p.is_dir() and not p.name.startswith((".", "__"))]
        if len(inner) == 1:
            found = _direct(inner[0])
            if found is not None:
                return found
    except (OSError, RuntimeError) as error:  # unreadable, a link loop, a name the system refuses
        raise SubmissionError(f"{folder}: the folder could not be read ({type(error).__name__}: {error})") from None
    raise SubmissionError(
        f"{folder}: no exercises/ package, no __init__.py and no book layout (common/, chNN/) — nothing to grade")
