"""A control group per child: memory and task limits over its whole process tree (cgroup v1).

RLIMIT_AS bounds one process; forks each under it can together take the machine. A
cgroup bounds them all: every process and thread the child starts (through `fork`,
native code included) is in its group, the kernel counts their memory (anonymous,
page cache, and the RAM-backed tmpfs files they write) and their number against the
group's limits, and the grader kills whatever is in the group when it is done.

The groups are made below the grader's own group in the v1 `memory` and `pids`
hierarchies (so an outer limit, Gradescope's container, still holds), named
`dlfs-<grader pid>-<n>`. That needs write access to those hierarchies: root on a
machine that mounts them read-write. `probe()` says whether this machine can, and why
not; without them the limits are sampled instead (checks/isolation/tree.py).
"""

import functools
import itertools
import os
import signal
import time
from pathlib import Path

__all__ = ["CONTROLLERS", "TreeGroup", "probe", "remove"]

CONTROLLERS = ("memory", "pids")
_PREFIX = "dlfs-"
_counter = itertools.count()


def _mount_points():
    """{controller: mount point} of the v1 hierarchies mounted on this machine."""
    found = {}
    try:
        lines = Path("/proc/self/mountinfo").read_text().splitlines()
    except OSError:
        return found
    for line in lines:
        left, _, right = line.partition(" - ")
        fields, tail = left.split(), right.split()
        if len(tail) < 3 or tail[0] != "cgroup":
            continue
        for option in tail[2].split(","):
            if option in CONTROLLERS:
                found.setdefault(option, fields[4])
    return found


def _own_groups():
    """{controller: this process's group path} from /proc/self/cgroup (v1 lines only)."""
    groups = {}
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return groups
    for line in lines:
        parts = line.split(":", 2)
        if len(parts) == 3:
            for controller in parts[1].split(","):
                groups[controller] = parts[2]
    return groups


def _parents():
    """{controller: folder below which this process may make groups}, or a reason why not."""
    mounts, own = _mount_points(), _own_groups()
    missing = [c for c in CONTROLLERS if c not in mounts]
    if missing:
        return None, f"no cgroup v1 {' and '.join(missing)} hierarchy mounted here"
    parents = {}
    for controller in CONTROLLERS:
        folder = Path(mounts[controller]) / own.get(controller, "/").lstrip("/")
        if not folder.is_dir():  # in a cgroup namespace the path may be relative to another root
            folder = Path(mounts[controller])
        if not os.access(folder, os.W_OK):
            return None, f"the cgroup folder {folder} is not writable (not root, or mounted read-only)"
        parents[controller] = folder
    return parents, ""


def _kill_all(folder):
    """SIGKILL every process listed in `folder`/cgroup.procs; the number found."""
    try:
        pids = [int(p) for p in (folder / "cgroup.procs").read_text().split()]
    except (OSError, ValueError):
        return 0
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    return len(pids)


def _sweep_stale(parents):
    """Remove groups left by graders that are gone (killed at a time limit), killing what is in them."""
    for folder in parents.values():
        try:
            entries = list(folder.iterdir())
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            if not name.startswith(_PREFIX) or not entry.is_dir():
                continue
            owner = name[len(_PREFIX):].split("-")[0]
            if owner.isdigit() and not Path(f"/proc/{owner}").exists():
                for _ in range(20):
                    if not _kill_all(entry):
                        break
                    time.sleep(0.01)
                try:
                    entry.rmdir()
                except OSError:
                    pass


def probe():
    """(parents, "") when this process can make memory and pids groups, else (None, reason).

    Tried for real once per process: a group is made, limited and removed.
    DLFS_KERNEL_LIMITS=off: as on a machine where it cannot (the fallbacks, tested).
    """
    return _probe(os.environ.get("DLFS_KERNEL_LIMITS", "on"))


@functools.lru_cache(maxsize=None)
def _probe(setting):
    if setting in ("off", "none"):
        return None, f"DLFS_KERNEL_LIMITS={setting}"
    parents, reason = _parents()
    if parents is None:
        return None, reason
    _sweep_stale(parents)
    try:
        group = TreeGroup(64 << 20, 16, parents)
    except OSError as error:
        return None, f"a cgroup cannot be made here ({error.strerror or error})"
    group.remove()
    return parents, ""


class TreeGroup:
    """One child's groups: memory.limit_in_bytes and pids.max over every process it starts."""

    def __init__(self, memory_bytes, tasks, parents=None):
        parents = parents if parents is not None else probe()[0]
        if parents is None:
            raise OSError("no writable cgroup hierarchy here")
        name = f"{_PREFIX}{os.getpid()}-{next(_counter)}"
        self.folders = {}
        try:
            for controller, parent in parents.items():
                folder = parent / name
                folder.mkdir()
                self.folders[controller] = folder
            memory = self.folders["memory"]
            self._write(memory / "memory.limit_in_bytes", memory_bytes)
            if (memory / "memory.memsw.limit_in_bytes").exists():  # no way round it through swap
                self._write(memory / "memory.memsw.limit_in_bytes", memory_bytes)
            self._write(self.folders["pids"] / "pids.max", tasks)
        except OSError:
            self.remove()
            raise
        # written by the child between fork and exec (`join`): opened by path there, no Python objects shared
        self.procs = tuple(str(folder / "cgroup.procs") for folder in self.folders.values())

    @staticmethod
    def _write(path, value):
        with open(path, "w") as handle:
            handle.write(str(value))

    def join(self):
        """Put the calling process into the groups (run in the child before exec; its forks follow it)."""
        pid = str(os.getpid()).encode()
        for path in self.procs:
            fd = os.open(path, os.O_WRONLY)
            try:
                os.write(fd, pid)
            finally:
                os.close(fd)

    def _read(self, controller, name):
        try:
            return (self.folders[controller] / name).read_text()
        except (OSError, KeyError):
            return ""

    def _number(self, controller, name):
        text = self._read(controller, name).strip()
        return int(text) if text.isdigit() else 0

    def _counter(self, controller, name, key):
        for line in self._read(controller, name).splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[0] == key and parts[1].isdigit():
                return int(parts[1])
        return 0

    def usage(self):
        """What the kernel counted: peak memory and tasks, processes killed for memory, forks refused."""
        return {"memory_peak": self._number("memory", "memory.max_usage_in_bytes"),
                "oom_kills": self._counter("memory", "memory.oom_control", "oom_kill"),
                "tasks_peak": self._number("pids", "pids.peak"),
                "tasks_refused": self._counter("pids", "pids.events", "max")}

    def pids(self):
        try:
            return [int(p) for p in self._read("memory", "cgroup.procs").split()]
        except ValueError:
            return []

    def kill(self):
        """Kill every process in the group; forks racing the kill find pids.max at 0 first."""
        try:
            self._write(self.folders["pids"] / "pids.max", 0)
        except (OSError, KeyError):
            pass
        for _ in range(100):
            if not any(_kill_all(folder) for folder in self.folders.values()):
                return True
            time.sleep(0.01)
        return False

    def remove(self):
        """Remove the groups (killing what is left in them)."""
        for controller, folder in list(self.folders.items()):
            remove(folder)
            self.folders.pop(controller, None)


def remove(folder):
    """Remove the group `folder`, killing what is in it; a process dying a moment late gets a few more tries."""
    for attempt in range(50):
        try:
            folder.rmdir()
            return
        except FileNotFoundError:
            return
        except OSError:
            _kill_all(folder)
            time.sleep(0.01 * (attempt + 1))
