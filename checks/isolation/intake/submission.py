"""Submitted folders: copied without leaving them, and listed one entry per submission for grade-all.

`copy_submission` is what Gradescope's path grades: a copy, so that whatever the code
does to its own files stays in the copy, and so that no link carries a file of the
grader's machine into it. `list_submissions` turns an instructor's folder of
submissions into one `Entry` per folder or `.zip`, each with a name of its own (the row
of scores.csv); what each holds is resolved later, one submission at a time, so that one
that cannot be read costs only its own row.
"""

import os
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path

from ...i18n import N_, translator
from .errors import IntakeError

_ = translator("grading")

__all__ = ["Entry", "copy_submission", "list_submissions"]


def copy_submission(source, target):
    """Copy the submitted folder `source` to `target` (a new folder) without leaving it.

    A symbolic link is never followed out of the submission: a link to a file inside
    it is copied as that file; a link leaving it (to the grader's `reference/`, say), a
    link to a folder, and anything that is not a plain file or folder (a FIFO, a device)
    are left out. Returns the relative paths left out, each with the reason (an
    English msgid: `_()` translates it).
    """
    source = Path(source).resolve()
    target = Path(target)
    if not source.is_dir():
        raise IntakeError(str(source), _("not a folder"))
    skipped = []
    target.mkdir(parents=True)
    for folder, folders, files in os.walk(source):  # never descends into linked folders
        here = Path(folder)
        relative = here.relative_to(source)
        for name in folders:
            path = here / name
            if path.is_symlink():
                skipped.append((str(relative / name), N_("a link to a folder")))
            else:
                (target / relative / name).mkdir()
        for name in files:
            path = here / name
            mode = os.lstat(path).st_mode
            if stat.S_ISLNK(mode):
                resolved = Path(os.path.realpath(path))
                if resolved != source and source not in resolved.parents:
                    skipped.append((str(relative / name), N_("a link leaving the submission")))
                    continue
                if not resolved.is_file():
                    skipped.append((str(relative / name), N_("a link to something not a plain file")))
                    continue
                path = resolved
            elif not stat.S_ISREG(mode):
                skipped.append((str(relative / name), N_("not a plain file")))
                continue
            shutil.copyfile(path, target / relative / name, follow_symlinks=False)
    return skipped


@dataclass(frozen=True)
class Entry:
    """One submission of a batch: its `name` (its row in scores.csv), the folder or `.zip` at `path`,
    and, when it cannot be a submission at all, the `problem` its row states."""

    name: str
    path: Path
    problem: str = ""


def _kind(path):
    """"dir", "zip", a problem (str) for what looks submitted but cannot be read, or None: not a submission."""
    try:
        if path.is_symlink():
            if path.is_dir() or path.suffix.lower() == ".zip":
                return _("a link; a submission is a folder or a .zip file of its own")
            return None
        if path.is_dir():
            return "dir"
        if path.suffix.lower() == ".zip":
            return "zip" if path.is_file() else _("not a regular file")
    except OSError as error:  # a name the file system cannot even stat
        return _("it could not be read ({error})", error=type(error).__name__ + ": " + str(error))
    return None


def list_submissions(folder):
    """[Entry] for every folder and every `.zip` in `folder`, sorted by name; names are distinct.

    A zip is named after its stem unless a folder has that name (`alice/` and
    `alice.zip` are two rows: `alice` and `alice.zip`). Hidden entries and `__…` folders
    (`__MACOSX`, `__pycache__`) are not submissions; links to folders or zips and
    `.zip` names that are not files get a row saying so (they are never followed).
    """
    listing = sorted(Path(folder).iterdir(), key=lambda p: os.fsencode(p.name))
    entries, names = [], set()
    kinds = [(path, _kind(path)) for path in listing if not path.name.startswith((".", "__"))]
    for path, kind in kinds:
        if kind == "dir":
            entries.append(Entry(path.name, path))
            names.add(path.name)
    for path, kind in kinds:
        if kind is None or kind == "dir":
            continue
        name = path.stem if path.suffix.lower() == ".zip" and path.stem and path.stem not in names else path.name
        number = 2
        while name in names:  # every row a name of its own, whatever the folder holds
            name, number = f"{path.name} ({number})", number + 1
        names.add(name)
        entries.append(Entry(name, path, "" if kind == "zip" else kind))
    return sorted(entries, key=lambda entry: os.fsencode(entry.name))
