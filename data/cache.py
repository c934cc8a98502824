"""The on-disk cache: atomic writes, one lock per file, verification on use.

A cached file is trusted only after its SHA-256 matched in this process; the
verified bytes are then kept in memory (keyed by the file's identity) so that
later calls neither re-read nor re-hash. Correctness never rests on the lock
alone: files appear only through os.replace of a complete, fsynced temp file,
and every reader verifies what it reads.

Only regular files are ever opened: a FIFO, a device, a socket, a symbolic link or
a folder at a cache path (or a cache folder that is a link leading out of the cache)
is treated like a damaged file — never read, and replaced when the caller holds the
file's lock. Opening is non-blocking, so a FIFO cannot make `load_mnist` wait forever.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import stat
import tempfile
from pathlib import Path

from filelock import FileLock

from . import config
from .errors import DataError, IntegrityError
from .integrity import verify_content
from .manifest import Entry

__all__ = [
    "cache_path",
    "file_lock",
    "read_verified",
    "write_atomic",
    "inspect",
    "clear_memory_cache",
    "TEMP_SUFFIX",
    "open_regular",
    "NotRegularFile",
]

log = logging.getLogger("dlfs.data")

TEMP_SUFFIX = ".part"
# Long enough for a slow 10 MB download by another process; short enough that
# a wedged process is reported rather than waited on forever.
LOCK_TIMEOUT = 30 * 60.0

# path -> (identity of the file when verified, its verified bytes)
_memo: dict[Path, tuple[tuple[int, int, int, int], bytes]] = {}


def cache_path(entry: Entry) -> Path:
    return config.data_home().joinpath(*entry.cache_relpath.split("/"))


def file_lock(entry: Entry) -> FileLock:
    """The inter-process lock for one cache file.

    Lock files live in their own folder so the data folders hold only data.
    """
    locks = config.data_home() / ".locks"
    _mkdir(locks)
    return FileLock(str(locks / (entry.cache_relpath.replace("/", "--") + ".lock")), timeout=LOCK_TIMEOUT)


def _mkdir(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataError(f"cannot create cache folder {folder} ({exc}); set DLFS_DATA_HOME to a writable folder") from None


def _identity(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


class NotRegularFile(DataError):
    """A path that should hold a data file holds something else (FIFO, device, link, folder)."""


_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"), (stat.S_ISLNK, "a symbolic link"))


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def open_regular(path: Path, *, follow_links: bool = False):
    """Open ``path`` for binary reading if, and only if, it is a regular file.

    Non-blocking, so a FIFO is refused instead of waited on; without
    ``follow_links`` a symbolic link is refused too. Raises FileNotFoundError when
    nothing is there and NotRegularFile (naming what is there) for anything else.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP and not follow_links:
            raise NotRegularFile(f"{path} is a symbolic link, expected a regular file") from None
        if exc.errno in (errno.ENXIO, errno.ENODEV, errno.EOPNOTSUPP):
            raise NotRegularFile(f"{path} is a special file, expected a regular file") from None
        raise
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(f"{path} is {_kind(mode)}, expected a regular file")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


class _OutsideCache(NotRegularFile):
    """A cache folder is a link leading out of the cache: nothing in it is removed or written."""


def _check_inside_cache(path: Path) -> None:
    """Refuse a cache path whose folders lead out of the cache (a linked ``mnist/``)."""
    home = config.data_home().resolve()  # the home itself may be a link (a cache on another disk)
    try:
        path.parent.resolve().relative_to(home)
    except ValueError:
        raise _OutsideCache(f"{path.parent} leads out of the cache {home} (a symbolic link?); "
                             "remove it so the file can be fetched again") from None


def _read(entry: Entry) -> tuple[tuple[int, int, int, int], bytes, bool] | None:
    """(identity, bytes, already verified) of the cache file, or None if there is none.

    Raises NotRegularFile when the path holds anything but a regular file.
    """
    path = cache_path(entry)
    _check_inside_cache(path)
    try:
        handle = open_regular(path)
    except FileNotFoundError:
        return None
    with handle:
        # fstat on the open handle: the identity then belongs to the bytes we read,
        # even if another process replaces the file meanwhile.
        ident = _identity(os.fstat(handle.fileno()))
        memo = _memo.get(path)
        if memo is not None and memo[0] == ident:
            return ident, memo[1], True
        # One byte more than expected is enough to see the file is too long.
        return ident, handle.read(entry.size + 1), False


def read_verified(entry: Entry, *, remove_bad: bool = False) -> bytes | None:
    """The verified cached content of ``entry``, or None if missing or bad.

    A bad file is removed when ``remove_bad`` (callers pass it only while
    holding the file's lock, so a good file written meanwhile by another
    process is never the one removed).
    """
    path = cache_path(entry)
    try:
        found = _read(entry)
    except NotRegularFile as exc:
        _memo.pop(path, None)
        if remove_bad and not isinstance(exc, _OutsideCache):
            log.warning("%s: removed, fetching it again", exc)
            with contextlib.suppress(FileNotFoundError, IsADirectoryError, PermissionError):
                path.unlink()
        return None
    if found is None:
        return None
    ident, data, verified = found
    if verified:
        return data
    try:
        verify_content(entry, data, f"cache {path}")
    except IntegrityError as exc:
        _memo.pop(path, None)
        if remove_bad:
            log.warning("%s: removed, fetching it again", exc)
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        return None
    _memo[path] = (ident, data)
    return data


def inspect(entry: Entry) -> tuple[str, str]:
    """('ok' | 'missing' | 'corrupt', detail) without fetching or removing anything."""
    path = cache_path(entry)
    try:
        found = _read(entry)
    except NotRegularFile as exc:
        return "corrupt", str(exc)
    if found is None:
        return "missing", str(path)
    _, data, verified = found
    if not verified:
        try:
            verify_content(entry, data, f"cache {path}")
        except IntegrityError as exc:
            return "corrupt", str(exc)
    return "ok", str(path)


def write_atomic(entry: Entry, data: bytes) -> Path:
    """Write verified ``data`` as the cache file for ``entry``; never leaves a partial file."""
    path = cache_path(entry)
    _mkdir(path.parent)
    _check_inside_cache(path)
    # A unique name in the same folder: os.replace is atomic only within one
    # file system, and concurrent writers must not share a temp file.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp creates 0600 files; a shared cache should be readable by others.
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)
    _memo[path] = (_identity(path.stat()), bytes(data))
    return path


def _fsync_dir(folder: Path) -> None:
    # Makes the rename durable across a crash; not possible on every platform.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def clear_memory_cache() -> None:
    """Forget the verified bytes kept in memory (the next use re-reads and re-hashes)."""
    _memo.clear()
