"""The fallback child's own /tmp, /var/tmp, /run/lock, /dev/shm and work folder (a private mount namespace).

Under the unprivileged-user fallback the child shares the machine's file system. Where
every user may write (/tmp and the like), its files would outlive it and other
submissions could read them, and nothing would bound how much it writes. Where the
grader may make mount namespaces (root with CAP_SYS_ADMIN: a VM, a privileged
container), the child gets its own: between fork and exec, still as root, it enters
new mount and IPC namespaces and mounts a size-limited tmpfs on /tmp (also shown at
/var/tmp and /run/lock) and on /dev/shm, with its work folder inside /tmp's. What it
must still read under those folders (the staged copies, a Python runtime under /tmp)
is bound back, read-only. All of it vanishes with the child's last process.

`probe()` says whether this machine allows it; where it does not (Docker's default
capabilities), the grader removes the uid's files afterwards instead
(`tree.sweep_files`) and the summary says the bytes written are not bounded.
"""

import ctypes
import functools
import os

from ..locations import temporary_folder

__all__ = ["preexec", "probe"]

_CLONE_NEWNS, _CLONE_NEWIPC = 0x00020000, 0x08000000
_MS_RDONLY, _MS_NOSUID, _MS_NODEV, _MS_REMOUNT, _MS_BIND, _MS_REC, _MS_PRIVATE = 1, 2, 4, 32, 4096, 16384, 1 << 18
TMP, SHM = "/tmp", "/dev/shm"
ALSO_TMP = ("/var/tmp", "/run/lock")  # the same tmpfs as /tmp: one bound for all of them
_libc = ctypes.CDLL(None, use_errno=True)


def _call(function, *args):
    if function(*args) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, os.strerror(errno))


def _mount(source, target, fstype, flags, data=None):
    encode = (lambda s: None if s is None else os.fsencode(s))
    _call(_libc.mount, encode(source), encode(target), encode(fstype), ctypes.c_ulong(flags), encode(data))


def _under(path, roots):
    return any(path == root or path.startswith(root + "/") for root in roots)


def _setup(scratch_bytes, shm_bytes, scratch, keep, workdir, ids):
    """Run in the child as root, before it drops to `ids`: the private folders described above.

    The new /tmp is first built at `scratch` (an empty folder under the machine's /tmp),
    where the folders to keep can still be bound from their real place, then bound onto /tmp.
    """
    os.umask(0o022)
    _call(_libc.unshare, _CLONE_NEWNS | _CLONE_NEWIPC)
    _mount(None, "/", None, _MS_REC | _MS_PRIVATE)
    _mount("tmpfs", scratch, "tmpfs", _MS_NOSUID | _MS_NODEV, f"size={scratch_bytes},mode=1777")
    for path in keep:
        inner = scratch + path[len(TMP):]
        os.makedirs(inner, exist_ok=True)
        _mount(path, inner, None, _MS_BIND | _MS_REC)
        try:
            _mount(None, inner, None, _MS_BIND | _MS_REMOUNT | _MS_RDONLY)
        except OSError:
            pass  # still owned by root and not writable by the child: read-only by its permissions
    own_tmpfs = not _under(workdir, [TMP])
    if not own_tmpfs:
        inner = scratch + workdir[len(TMP):]
        os.makedirs(inner, exist_ok=True)
        os.chown(inner, *ids)
        os.chmod(inner, 0o700)
    _mount(scratch, TMP, None, _MS_BIND | _MS_REC)
    for folder in ALSO_TMP:
        if os.path.isdir(folder) and not os.path.islink(folder):
            _mount(TMP, folder, None, _MS_BIND)
    if os.path.isdir(SHM):
        _mount("tmpfs", SHM, "tmpfs", _MS_NOSUID | _MS_NODEV, f"size={shm_bytes},mode=1777")
    if own_tmpfs:
        _mount("tmpfs", workdir, "tmpfs", _MS_NOSUID | _MS_NODEV, f"size={scratch_bytes},mode=0700")
        os.chown(workdir, *ids)
    os.chdir(workdir)


def preexec(scratch_bytes, shm_bytes, scratch, keep, workdir, ids):
    """A function for between fork and exec (as root) making the child's private folders.

    `scratch`: an empty folder under /tmp (the grader's, removed afterwards); `keep`: folders
    under /tmp the child must still read (read-only).
    """
    workdir = os.path.realpath(workdir)
    keep = sorted({os.path.realpath(p) for p in keep if os.path.isdir(p)})
    keep = [p for p in keep if _under(p, [TMP]) and not _under(workdir, [p])]
    keep = [p for i, p in enumerate(keep) if not _under(p, keep[:i])]  # a kept folder brings its subfolders
    return functools.partial(_setup, scratch_bytes, shm_bytes, os.path.realpath(scratch), keep, workdir, ids)


def probe():
    """None when this process can make the private folders above; else why not (one line).

    DLFS_KERNEL_LIMITS=off: as on a machine where it cannot (the sweep afterwards, tested).
    """
    return _probe(os.environ.get("DLFS_KERNEL_LIMITS", "on"))


@functools.lru_cache(maxsize=None)
def _probe(setting):
    if setting in ("off", "none"):
        return f"no private mount namespace: DLFS_KERNEL_LIMITS={setting}"
    if os.geteuid() != 0:
        return "no private mount namespace: not root"
    with temporary_folder("probe") as folder:
        work, kept, scratch = (os.path.join(folder, name) for name in ("work", "kept", "scratch"))
        for path in (work, kept, scratch):
            os.mkdir(path)
        setup = preexec(1 << 20, 1 << 20, scratch, [kept], work, (os.getuid(), os.getgid()))
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the forked probe
            code = 0
            try:
                setup()
            except OSError as error:
                code = error.errno or 1
            except BaseException:
                code = 255
            os._exit(code)
        _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code == 0:
        return None
    return f"no private mount namespace: {os.strerror(code) if 0 < code < 255 else 'exit status %d' % code}"
