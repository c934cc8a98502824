"""An audit hook (PEP 578) that keeps code under test away from the grader's files.

`checks/isolation/child/child.py` installs it before any code of the implementation runs;
audit hooks cannot be removed. From then on, in the child process:

- importing a denied top-level package (`reference`, `checks`) raises ImportError;
- opening, renaming, removing, linking… any path under a *no-access* root (the
  repository's `reference/`, `checks/`, `build/`, the grading output folder) raises
  PermissionError, as does writing under a *read-only* root (the repository, the
  Python installation) — except inside the child's own *writable* work folder;
- starting processes (fork, exec, subprocess, os.system), signalling other
  processes, chroot, and the introspection that could reach this hook's frames or
  state (gc.get_objects/get_referrers/get_referents, sys.settrace/setprofile,
  sys._current_frames, sys.monitoring) raise PermissionError.

The hook is written so that the code it polices cannot reconfigure it: its policy
and every function it calls are bound as positional defaults (a tuple, replaced only
through an audited `__defaults__` assignment on a function that nothing references),
it looks up no global or builtin name at call time, paths are resolved with the C
functions of `posix` (not `os.path.realpath`, whose module globals could be
patched), and str subclasses are flattened before use.

This is a tripwire for pure-Python code using the standard library, not a security
boundary: native code (ctypes, compiled extensions) can do whatever the user running
the child can. See the README ("What grading defends against") for what is and is not defended.
"""

import pathlib
import posix
import stat
import sys

__all__ = ["DENIED_EVENTS", "install"]

# Events refused outright (processes, signals, introspection reaching the hook).
DENIED_EVENTS = frozenset({
    "os.fork", "os.forkpty", "os.exec", "os.spawn", "os.posix_spawn", "os.system", "subprocess.Popen",
    "pty.spawn", "os.chroot", "os.unshare", "os.setns", "os.link", "os.symlink",
    "gc.get_objects", "gc.get_referrers", "gc.get_referents", "sys._current_frames",
    "sys.settrace", "sys.setprofile", "sys.monitoring.register_callback", "sys.monitoring.set_events",
})
# event -> positions of path arguments that the event writes (or removes, renames...).
_WRITING = {
    "os.rename": (0, 1), "os.remove": (0,), "os.rmdir": (0,), "os.mkdir": (0,), "os.truncate": (0,),
    "os.chmod": (0,), "os.chown": (0,), "os.utime": (0,), "os.setxattr": (0,), "os.removexattr": (0,),
    "os.chflags": (0,), "os.lchflags": (0,), "shutil.copyfile": (1,), "shutil.copymode": (1,),
    "shutil.copystat": (1,), "shutil.copytree": (1,), "shutil.move": (0, 1), "shutil.rmtree": (0,),
    "shutil.chown": (0,), "sqlite3.connect": (0,), "dbm.open": (0,),
}
# and the positions whose *source* must not be a no-access file
_READING = {"os.rename": (0,), "shutil.copyfile": (0,), "shutil.copytree": (0,), "shutil.move": (0,)}
_KILLING = frozenset({"os.kill", "os.killpg"})


def _resolve(path, lstat, readlink, getcwd, is_link, concat, _OSError=OSError):
    """Absolute path with '.', '..' and symlinks resolved (missing components kept as given)."""
    if not path.startswith("/"):
        path = concat(concat(getcwd(), "/"), path)
    pending = path.split("/")
    pending.reverse()
    parts = []
    followed = 0
    while pending:
        part = pending.pop()
        if part == "" or part == ".":
            continue
        if part == "..":
            if parts:
                parts.pop()
            continue
        candidate = concat("/", "/".join(parts + [part]))
        try:
            mode = lstat(candidate).st_mode
        except _OSError:
            parts.append(part)
            continue
        if is_link(mode):
            followed += 1
            if followed > 64:
                return candidate
            target = readlink(candidate)
            if target.startswith("/"):
                parts = []
            more = target.split("/")
            more.reverse()
            pending.extend(more)
        else:
            parts.append(part)
    return concat("/", "/".join(parts))


def _inside(path, roots, _concat=str.__add__):
    for root in roots:
        if path == root or root == "/" or path.startswith(_concat(root, "/")):
            return True
    return False


def _reaches(path, roots, _len=len, _range=range):
    """A relative path with '..' whose tail could name a root's last components (dir_fd tricks)."""
    tail = [part for part in path.split("/") if part not in ("", ".", "..")]
    for root in roots:
        components = [part for part in root.split("/") if part]
        for start in _range(_len(components)):
            suffix = components[start:]
            if tail[:_len(suffix)] == suffix:
                return True
    return False


def _make_hook(policy):
    no_access = tuple(policy.get("no_access", ()))
    read_only = tuple(policy.get("read_only", ()))
    writable = tuple(policy.get("writable", ()))
    deny_imports = frozenset(policy.get("deny_imports", ()))
    watched = frozenset({"import", "open"} | DENIED_EVENTS | set(_WRITING) | _KILLING)
    writing = dict(_WRITING)
    reading = dict(_READING)
    own_pid = posix.getpid()

    def police(event, args,
               _denied=DENIED_EVENTS, _writing=writing, _reading=reading, _killing=_KILLING,
               _no_access=no_access, _read_only=read_only, _writable=writable, _deny_imports=deny_imports,
               _own=(own_pid, 0, -own_pid), _resolve=_resolve, _inside=_inside, _reaches=_reaches,
               _lstat=posix.lstat, _stat=posix.stat, _readlink=posix.readlink, _getcwd=posix.getcwd,
               _fspath=posix.fspath, _fsdecode=bytes.decode, _is_link=stat.S_ISLNK, _is_dir=stat.S_ISDIR,
               _concat=str.__add__, _type=type, _str=str, _bytes=bytes, _int=int, _len=len, _issubclass=issubclass,
               _path_types=frozenset({pathlib.PurePath, pathlib.PurePosixPath, pathlib.Path, pathlib.PosixPath}),
               _PermissionError=PermissionError, _ImportError=ImportError, _OSError=OSError,
               _write_flags=posix.O_WRONLY | posix.O_RDWR | posix.O_CREAT | posix.O_TRUNC | posix.O_APPEND):
        if event == "import":
            name = _concat("", args[0]) if _type(args[0]) is not _int else ""
            if name.split(".")[0] in _deny_imports:
                raise _ImportError(f"dlfs grader: importing '{name}' is not allowed while grading")
            return
        if event in _denied:
            raise _PermissionError(f"dlfs grader: {event} is not allowed while grading")
        if event in _killing:
            if args[0] not in _own:
                raise _PermissionError(f"dlfs grader: {event} of another process is not allowed while grading")
            return

        def check(raw, write):
            kind = _type(raw)
            if kind is _int or raw is None:
                return None
            if _issubclass(kind, _str):
                path = _concat("", raw)
            elif _issubclass(kind, _bytes):
                path = _fsdecode(raw, "utf-8", "surrogateescape")
            elif kind in _path_types:
                path = _fspath(raw)
                path = _concat("", path) if _issubclass(_type(path), _str) else _fsdecode(path, "utf-8",
                                                                                       "surrogateescape")
            else:
                # running a foreign __fspath__ here would run code inside the hook
                raise _PermissionError("dlfs grader: while grading, paths must be str, bytes or pathlib paths")
            where = _resolve(path, _lstat, _readlink, _getcwd, _is_link, _concat)
            relative_up = not path.startswith("/") and ".." in path.split("/")
            if _inside(where, _no_access) or (relative_up and _reaches(path, _no_access)):
                raise _PermissionError(f"dlfs grader: access to {path} is not allowed while grading")
            if write and not _inside(where, _writable) and (
                    _inside(where, _read_only) or (relative_up and _reaches(path, _read_only))):
                raise _PermissionError(f"dlfs grader: writing {path} is not allowed while grading")
            return where

        if event == "open":
            raw, mode, flags = args
            if mode is not None:
                mode = _concat("", mode)
                check(raw, "w" in mode or "a" in mode or "x" in mode or "+" in mode)
                return
            where = check(raw, (flags & _write_flags) != 0)
            if where is not None and not _inside(where, _writable):
                try:
                    directory = _is_dir(_stat(where).st_mode)
                except _OSError:
                    directory = False
                if directory:
                    # a directory descriptor would let dir_fd-relative paths slip past check()
                    raise _PermissionError(f"dlfs grader: opening the directory {where} is not allowed "
                                           "while grading")
            return
        for position in _reading.get(event, ()):
            if position < _len(args):
                check(args[position], False)
        for position in _writing.get(event, ()):
            if position < _len(args):
                check(args[position], True)

    # Most events (pickle.find_class on every request…) are not ours: a lean first test.
    def hook(event, args, _watched=watched, _police=police):
        if event in _watched:
            _police(event, args)

    return hook


def install(policy):
    """Install the hook for `policy` (a dict of lists of absolute, resolved paths)."""
    sys.addaudithook(_make_hook(policy))
