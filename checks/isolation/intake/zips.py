"""Zips from learners, unpacked safely and bounded before they are read.

A zip is untrusted. Before `zipfile` reads its central directory (one object per entry),
the entry count is read from the end-of-central-directory record and the archive's size
is checked, so a zip declaring millions of entries costs nothing. Then the whole archive
is refused when it breaks a rule that makes it hostile — an entry leaving the destination
(absolute path, `..`, drive letter), a symbolic link, more than MAX_FILES entries, more
than MAX_BYTES once unpacked (declared or actually written: a zip bomb) — and a single
entry is left out, with the reason, when only that entry cannot be a file here: a name
longer than the file system allows (255 bytes: 86 Japanese characters), a path
conflicting with another entry (a file where a folder is, the same name twice), or one
the file system refuses. macOS's `__MACOSX/` copies are dropped silently.
"""

import os
import stat
import struct
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ...i18n import translator
from .errors import IntakeError

__all__ = ["MAX_ARCHIVE_BYTES", "MAX_BYTES", "MAX_FILES", "NAME_BYTES", "Extraction", "UnpackError",
           "count_entries", "safe_extract"]

MAX_FILES = 5000
MAX_BYTES = 200 << 20
MAX_ARCHIVE_BYTES = MAX_BYTES  # the zip itself (compressed, it is smaller than what it unpacks to)
NAME_BYTES = 255  # one name in a path (NAME_MAX of Linux file systems)
PATH_BYTES = 4000  # a whole relative path (PATH_MAX is 4096 with the destination's own)
_CHUNK = 1 << 20
_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
_EOCD64 = b"PK\x06\x06"
_ = translator("grading")


class UnpackError(IntakeError):
    """A zip that cannot be unpacked safely."""


@dataclass
class Extraction:
    """What `safe_extract` wrote: the number of files, and the entries left out with the reason."""

    files: int = 0
    left_out: list = field(default_factory=list)  # (entry name, reason)


def count_entries(path):
    """The number of entries the zip at `path` declares, read from its end records only.

    Raises UnpackError when there is no end-of-central-directory record (not a zip).
    """
    with open(path, "rb") as handle:
        handle.seek(0, os.SEEK_END)
        size = handle.tell()
        tail_size = min(size, 22 + 0xFFFF)  # the record, plus a comment of at most 64 KB
        handle.seek(size - tail_size)
        tail = handle.read(tail_size)
        at = tail.rfind(_EOCD)
        if at < 0 or len(tail) - at < 22:
            raise UnpackError(str(path), _("not a readable zip file ({error})", error="no end of central directory"))
        count = struct.unpack("<H", tail[at + 10:at + 12])[0]
        locator = at - 20
        if locator >= 0 and tail[locator:locator + 4] == _EOCD64_LOCATOR:  # zip64: the count is 8 bytes
            offset = struct.unpack("<Q", tail[locator + 8:locator + 16])[0]
            handle.seek(offset)
            record = handle.read(56)
            if record[:4] == _EOCD64 and len(record) == 56:
                count = max(count, struct.unpack("<Q", record[32:40])[0])
        return count


def _entry_name(member):
    """The entry's name: zipfile reads names without the UTF-8 flag as cp437, but many tools write
    UTF-8 without setting it (a Japanese name would come out as mojibake)."""
    if member.flag_bits & 0x800 or member.filename.isascii():
        return member.filename
    try:
        return member.filename.encode("cp437").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return member.filename


def _member_path(name):
    """The relative path an entry's name stands for; UnpackError when it would leave the destination."""
    normalized = name.replace("\\", "/")
    path = PurePosixPath(normalized)
    if normalized.startswith("/") or (path.parts and ":" in path.parts[0]) or ".." in path.parts:
        raise UnpackError(name, _("entry {name} points outside the folder it is unpacked into", name=repr(name)))
    return PurePosixPath(*[part for part in path.parts if part not in ("", ".")])


def _too_long(path):
    longest = max((len(os.fsencode(part)) for part in path.parts), default=0)
    if longest > NAME_BYTES:
        return _("a name of {count} bytes; the file system allows {limit}", count=longest, limit=NAME_BYTES)
    if len(os.fsencode(str(path))) > PATH_BYTES:
        return _("a path of more than {limit} bytes", limit=PATH_BYTES)
    return None


def _plan(members):
    """[(member, path, name)] to write, and [(name, reason)] left out (see the module's doc)."""
    planned, left_out = [], []
    kinds = {}  # relative path -> "dir" | "file", for every path the planned entries make

    def conflict(path, is_dir):
        for depth in range(1, len(path.parts)):
            if kinds.get(path.parts[:depth]) == "file":
                return _("{folder} is a file in this zip, not a folder", folder="/".join(path.parts[:depth]))
        earlier = kinds.get(path.parts)
        if earlier == "file":
            return _("the zip holds this name twice")
        if earlier == "dir" and not is_dir:
            return _("{name} is a folder in this zip, not a file", name=str(path))
        return None

    for member in members:
        shown = _entry_name(member)
        path = _member_path(shown)
        if stat.S_ISLNK(member.external_attr >> 16):
            raise UnpackError(member.filename, _("entry {name} is a symbolic link; links are not unpacked",
                                                 name=repr(member.filename)))
        if not path.parts or path.parts[0] == "__MACOSX":
            continue
        reason = _too_long(path) or conflict(path, member.is_dir())
        if reason is not None:
            left_out.append((shown, reason))
            continue
        for depth in range(1, len(path.parts)):
            kinds[path.parts[:depth]] = "dir"
        kinds[path.parts] = "dir" if member.is_dir() else "file"
        planned.append((member, path, shown))
    return planned, left_out


def safe_extract(archive_path, destination, max_files=MAX_FILES, max_bytes=MAX_BYTES):
    """Unpack the zip `archive_path` into `destination` (created); returns an Extraction.

    Raises UnpackError when the archive is refused as a whole (see the module's doc).
    """
    archive_path, destination = Path(archive_path), Path(destination)
    name = archive_path.name
    try:
        size = archive_path.stat().st_size
        if size > max(MAX_ARCHIVE_BYTES, max_bytes):
            raise UnpackError(name, _("the zip is {count} bytes; at most {limit} are read", count=size,
                                      limit=max(MAX_ARCHIVE_BYTES, max_bytes)))
        try:
            declared_entries = count_entries(archive_path)
        except UnpackError as error:  # named by the file's name, as every other refusal: no machine's path
            raise UnpackError(name, error.reason) from None
        if declared_entries > max_files:
            raise UnpackError(name, _("{count} entries; at most {limit} are unpacked", count=declared_entries,
                                      limit=max_files))
        archive = zipfile.ZipFile(archive_path)
    except UnpackError:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise UnpackError(name, _("not a readable zip file ({error})", error=str(error))) from None
    with archive:
        members = archive.infolist()
        if len(members) > max_files:
            raise UnpackError(name, _("{count} entries; at most {limit} are unpacked", count=len(members),
                                      limit=max_files))
        declared = sum(m.file_size for m in members)
        if declared > max_bytes:
            raise UnpackError(name, _("{count} bytes once unpacked; at most {limit} are unpacked", count=declared,
                                      limit=max_bytes))
        planned, left_out = _plan(members)
        result = Extraction(left_out=left_out)
        destination.mkdir(parents=True, exist_ok=True)
        total = 0
        for member, path, shown in planned:
            target = destination.joinpath(*path.parts)
            try:
                if member.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                sink = target.open("xb")  # never through a file an earlier entry wrote
            except OSError as error:  # a name this file system refuses: this entry only
                result.left_out.append((shown, error.strerror or type(error).__name__))
                continue
            try:
                with archive.open(member) as source, sink:
                    while True:  # counted as written: a size the header understates is caught too
                        chunk = source.read(_CHUNK)
                        if not chunk:
                            break
                        total += len(chunk)
                        if total > max_bytes:
                            raise UnpackError(name, _("more than {limit} bytes once unpacked", limit=max_bytes))
                        sink.write(chunk)
            except UnpackError:
                raise
            except (zipfile.BadZipFile, EOFError, OSError, RuntimeError, NotImplementedError, ValueError) as error:
                raise UnpackError(name, _("entry {name} cannot be read ({error})", name=repr(member.filename),
                                          error=str(error))) from None
            result.files += 1
    return result
