"""Submissions as `grade-all` finds them: folders and zips, unpacked safely; loose files placed.

A zip from a learner is untrusted: `safe_extract` refuses entries that would land
outside the destination (absolute paths, `..`, drive letters), symbolic links, more
than MAX_FILES entries and more than MAX_BYTES once unpacked (a zip bomb), and tells
which rule an archive broke. `prepare` turns a folder of submissions into one entry
per submission, folders and zips alike, a broken zip included (with its error), so
that every submission gets a row in scores.csv.
"""

import os
import shutil
import stat
import zipfile
from pathlib import Path, PurePosixPath

from ..i18n import translator
from .loose_files import LooseFilesError, assemble
from .submission import SubmissionError, locate

__all__ = ["MAX_BYTES", "MAX_FILES", "Entry", "UnpackError", "prepare", "resolve", "safe_extract"]

MAX_FILES = 5000
MAX_BYTES = 200 << 20
_CHUNK = 1 << 20
_ = translator("grading")


class UnpackError(ValueError):
    """A zip that cannot be unpacked safely."""


class Entry:
    """One submission: its `name` (the row in scores.csv), the `folder` to grade, or why there is none."""

    def __init__(self, name, folder=None, error=None, source=None):
        self.name, self.folder, self.error, self.source = name, folder, error, source

    def __repr__(self):
        return f"Entry({self.name!r}, folder={self.folder!r}, error={self.error!r})"


def _member_path(name):
    """The relative path an entry's name stands for; UnpackError when it would leave the destination."""
    normalized = name.replace("\\", "/")
    path = PurePosixPath(normalized)
    if normalized.startswith("/") or (path.parts and ":" in path.parts[0]) or ".." in path.parts:
        raise UnpackError(_("entry {name} points outside the folder it is unpacked into", name=repr(name)))
    return path


def safe_extract(archive_path, destination, max_files=MAX_FILES, max_bytes=MAX_BYTES):
    """Unpack the zip `archive_path` into `destination` (created); returns the number of files written."""
    destination = Path(destination)
    try:
        archive = zipfile.ZipFile(archive_path)
    except (zipfile.BadZipFile, OSError) as error:
        raise UnpackError(_("not a readable zip file ({error})", error=str(error))) from None
    with archive:
        members = archive.infolist()
        if len(members) > max_files:
            raise UnpackError(_("{count} entries; at most {limit} are unpacked", count=len(members), limit=max_files))
        declared = sum(m.file_size for m in members)
        if declared > max_bytes:
            raise UnpackError(_("{count} bytes once unpacked; at most {limit} are unpacked", count=declared,
                                limit=max_bytes))
        planned = []
        for member in members:
            path = _member_path(member.filename)
            mode = member.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise UnpackError(_("entry {name} is a symbolic link; links are not unpacked",
                                    name=repr(member.filename)))
            planned.append((member, path))
        destination.mkdir(parents=True, exist_ok=True)
        written, total = 0, 0
        for member, path in planned:
            if not path.parts:
                continue
            target = destination.joinpath(*path.parts)
            if member.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with archive.open(member) as source, target.open("wb") as sink:
                    while True:  # counted as written: a size the header understates is caught too
                        chunk = source.read(_CHUNK)
                        if not chunk:
                            break
                        total += len(chunk)
                        if total > max_bytes:
                            raise UnpackError(_("more than {limit} bytes once unpacked", limit=max_bytes))
                        sink.write(chunk)
            except (zipfile.BadZipFile, EOFError, OSError, RuntimeError, NotImplementedError) as error:
                raise UnpackError(_("entry {name} cannot be read ({error})", name=repr(member.filename),
                                    error=str(error))) from None
            written += 1
    return written


def prepare(submissions, work, max_files=MAX_FILES, max_bytes=MAX_BYTES):
    """[Entry] for every folder and every `.zip` in `submissions`, zips unpacked under `work`; sorted by name."""
    submissions, work = Path(submissions), Path(work)
    entries, names = [], set()
    listing = sorted(submissions.iterdir(), key=lambda p: os.fsencode(p.name))

    def kind(path):  # a name the file system cannot even stat is no submission
        try:
            return "dir" if path.is_dir() and not path.is_symlink() else "file" if path.is_file() else None
        except OSError:
            return None

    for path in listing:
        if path.name.startswith((".", "__")):
            continue
        if kind(path) == "dir":
            entries.append(Entry(path.name, folder=path, source=path))
            names.add(path.name)
    for path in listing:
        if not (kind(path) == "file" and path.suffix.lower() == ".zip") or path.name.startswith("."):
            continue
        name = path.stem if path.stem not in names else path.name  # alice/ and alice.zip: two rows
        names.add(name)
        target = work / "unpacked" / name
        try:
            safe_extract(path, target, max_files=max_files, max_bytes=max_bytes)
        except UnpackError as error:
            shutil.rmtree(target, ignore_errors=True)
            entries.append(Entry(name, error=f"{path.name}: {error}", source=path))
        else:
            entries.append(Entry(name, folder=target, source=path))
    return sorted(entries, key=lambda entry: entry.name)


def resolve(folder, stubs, work):
    """The `--impl` value for a submitted folder: `locate`'s, else the package its loose .py files make.

    Raises SubmissionError (locate's message) when neither works.
    """
    try:
        return locate(folder)
    except SubmissionError as error:
        if not (Path(stubs) / "__init__.py").is_file():
            raise
        try:
            assemble(folder, stubs, work)
        except LooseFilesError:
            raise error from None
        return str(Path(work) / "exercises")
