"""A child's process tree seen from /proc, and what it may leave behind on the machine.

Where no cgroup can hold the tree (checks/isolation/cgroup.py), the grader finds the
child's processes itself: under bubblewrap, the descendants of the `bwrap` process
(the child's PID namespace keeps every orphan below it); under the unprivileged-user
fallback, every process of the child's own uid; without a boundary, the descendants
of the child (an orphan that double-forks out of the tree is not found: the summary
says the bound is not held there). `sample()` sums their resident memory and threads.

Under the fallback a child may also write where every user may (the machine's /tmp,
/var/tmp, /dev/shm, /run/lock) and create System V IPC objects. When its private mount
and IPC namespaces could not be made, `sweep_files` and `remove_ipc` remove what its
uid owns there once it is gone.
"""

import os
import shutil
import signal
import stat
from pathlib import Path

__all__ = ["SHARED_WRITABLE", "alive", "descendants", "kill", "owned_by", "proportional", "remove_ipc", "sample",
           "sweep_files", "sweep_stale"]

# Folders every user may write on a Debian-like machine (a child's files there outlive it).
SHARED_WRITABLE = ("/tmp", "/var/tmp", "/dev/shm", "/run/lock", "/dev/mqueue")
_PAGE = os.sysconf("SC_PAGE_SIZE")


def _stat_fields(pid):
    """/proc/PID/stat fields after the command name (which may hold spaces and parentheses)."""
    with open(f"/proc/{pid}/stat", "rb") as handle:
        text = handle.read()
    return text[text.rindex(b")") + 2:].split()


def _all_pids():
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def descendants(root):
    """`root` and every live process below it."""
    children = {}
    for pid in _all_pids():
        try:
            parent = int(_stat_fields(pid)[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(parent, []).append(pid)
    found, pending = [], [root]
    while pending:
        pid = pending.pop()
        found.append(pid)
        pending.extend(children.get(pid, ()))
    return found


def owned_by(uid):
    """Every process whose effective uid is `uid` (the owner of its /proc folder)."""
    found = []
    for pid in _all_pids():
        try:
            if os.stat(f"/proc/{pid}").st_uid == uid:
                found.append(pid)
        except OSError:
            continue
    return found


def sample(pids):
    """(summed resident bytes, threads) of `pids`; processes gone meanwhile count nothing."""
    memory = threads = 0
    for pid in pids:
        try:
            fields = _stat_fields(pid)
            if fields[0] == b"Z":
                continue
            threads += int(fields[17])  # num_threads
            memory += int(fields[21]) * _PAGE  # rss, in pages
        except (OSError, ValueError, IndexError):
            continue
    return memory, threads


def proportional(pids):
    """Summed proportional set size of `pids` (shared pages divided among their users), in bytes.

    Forks share their parent's pages until they write them, and summed RSS counts those
    once per process: a multiprocessing pool would look many times its real size. PSS
    counts each page once in all; reading it costs more (the kernel walks each page table).
    """
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
                for line in handle:
                    if line.startswith(b"Pss:"):
                        total += int(line.split()[1]) << 10
                        break
        except (OSError, ValueError, IndexError):
            continue
    return total


def kill(pids):
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def sweep_files(uid, roots=SHARED_WRITABLE):
    """Remove what `uid` owns in the folders every user may write; the paths removed.

    A process of `uid` can only create entries in folders it may write: folders open to
    everyone (walked into) and folders it owns (removed whole). Links are never followed.
    `uid` may also be a predicate on uids.
    """
    owned = uid if callable(uid) else (lambda found, wanted=uid: found == wanted)
    removed = []
    pending = [Path(root) for root in roots if os.path.isdir(root) and not os.path.islink(root)]
    while pending:
        folder = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            path = Path(entry.path)
            if owned(info.st_uid):
                if stat.S_ISDIR(info.st_mode):
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    try:
                        path.unlink()
                    except OSError:
                        continue
                removed.append(str(path))
            elif stat.S_ISDIR(info.st_mode) and info.st_mode & stat.S_IWOTH:
                pending.append(path)
    return removed


def remove_ipc(uid):
    """Remove the System V shared memory segments, semaphores and queues `uid` owns; how many."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    removers = {"shm": lambda ident: libc.shmctl(ident, 0, None), "sem": lambda ident: libc.semctl(ident, 0, 0),
                "msg": lambda ident: libc.msgctl(ident, 0, None)}  # IPC_RMID = 0
    count = 0
    for kind, remover in removers.items():
        try:
            header, *lines = Path(f"/proc/sysvipc/{kind}").read_text().splitlines()
            column = header.split().index("uid")
        except (OSError, ValueError):
            continue
        for line in lines:
            fields = line.split()
            try:
                if int(fields[column]) == uid and remover(int(fields[1])) == 0:
                    count += 1
            except (IndexError, ValueError):
                continue
    return count


def alive(pid):
    return os.path.exists(f"/proc/{pid}")


def sweep_stale(prefixes, uid_owner=None):
    """What graders that are gone (killed at a time limit: nothing of theirs ran to clean up) left behind.

    Removes the folders `<tmp>/<prefix><pid>-…` whose pid is not alive, and, when
    `uid_owner` (uid -> the pid of the grader that chose it, or None) is given, what
    such uids own where every user may write. Returns the paths removed.
    """
    import tempfile

    removed = []
    for entry in Path(tempfile.gettempdir()).iterdir():
        for prefix in prefixes:
            owner, dash, _ = entry.name[len(prefix):].partition("-") if entry.name.startswith(prefix) else ("", "", "")
            if dash and owner.isdigit() and not alive(int(owner)) and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
                removed.append(str(entry))
    if uid_owner is not None:
        def stale(uid):
            owner = uid_owner(uid)
            return owner is not None and not alive(owner)
        removed += sweep_files(stale)
    return removed
