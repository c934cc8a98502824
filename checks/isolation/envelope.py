"""The envelope of one submission: what all of its child's processes may use together, and how it is held.

One child (checks/isolation/adapters.py, `ChildTransport`) runs a submission. Whatever
it starts (threads, forks, a native `fork()` the audit hook never sees) counts against
one envelope:

- `memory_bytes`: the memory of the whole process tree (not per process);
- `tasks`: its processes and threads together;
- `scratch_bytes`: what it may write to /tmp and its work folder (also /var/tmp and
  /run/lock under the fallback), `shm_bytes` to /dev/shm;
- `output_bytes`: how much of what it prints is kept. The rest is read and dropped,
  silently for the submission (a `print` never fails), and the result says so.

How each bound is held depends on the machine, strongest first (`enforcement()`):

| bound | held by | else |
|---|---|---|
| memory of the tree | a memory cgroup (checks/isolation/cgroup.py) | one process: the child's seccomp filter refuses it new processes (child/sandboxed/nofork.py), so its threads share one address space, under RLIMIT_AS at the bound; the grader also samples the tree every `SAMPLE_SECONDS` and kills it over the bound (checks/isolation/tree.py), the only bound left where no filter can be installed |
| processes and threads | a pids cgroup (and no process but threads: seccomp) | RLIMIT_NPROC under the fallback (a uid of its own); sampled elsewhere |
| /tmp, work folder, /dev/shm | bubblewrap's size-limited tmpfs; the fallback's private mount namespace (checks/isolation/private_mounts.py) | not bounded (a limit of `FILE_BYTES` per file); the fallback removes the uid's files afterwards |
| output | always: the grader reads the child's output through a pipe and keeps the first `output_bytes` | |

`describe()` says in one line what holds here and what does not; the summary and
results.json carry it beside the boundary.
"""

import functools
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from ..i18n import N_
from . import cgroup, private_mounts

CHILD_DIR = Path(__file__).resolve().parent / "child"

__all__ = ["Envelope", "FILE_BYTES", "SAMPLE_SECONDS", "Enforcement", "describe", "enforcement"]

FILE_BYTES = 256 << 20  # RLIMIT_FSIZE: any one file the child writes
SAMPLE_SECONDS = 0.1  # how often the grader samples a tree no cgroup holds


@dataclass(frozen=True)
class Envelope:
    """What one child and everything it starts may use together."""

    memory_bytes: int = 4 << 30
    # The reference's child has 1 process with 1-3 threads (bubblewrap adds 2 processes);
    # a submission starting a multiprocessing pool of a few workers still fits.
    tasks: int = 128
    scratch_bytes: int = 64 << 20
    shm_bytes: int = 16 << 20
    output_bytes: int = 1 << 20

    def replace(self, **changes):
        from dataclasses import replace

        return replace(self, **changes)


@dataclass(frozen=True)
class Enforcement:
    """How this machine holds each bound for a boundary: "cgroup", "one process", "rlimit", "tmpfs", "sampled",
    "swept", "none"."""

    memory: str
    tasks: str
    scratch: str
    reasons: tuple = ()  # why a stronger way is not available here
    nofork: bool = True  # the child's seccomp filter refuses it new processes


def enforcement(boundary_name):
    """The Enforcement for children under `boundary_name` on this machine (probed once).

    DLFS_KERNEL_LIMITS=off grades as on a machine without cgroups or mount namespaces
    (Gradescope's Docker image, most CI containers): every fallback below, for real;
    DLFS_KERNEL_LIMITS=none also without the seccomp filter (the grader's sampling alone).
    """
    return _enforcement(boundary_name, os.environ.get("DLFS_KERNEL_LIMITS", "on"))


@functools.lru_cache(maxsize=None)
def _nofork(setting):
    """None when the child's seccomp filter (child/sandboxed/nofork.py) works here, else why not."""
    if setting == "none":
        return "no seccomp filter: DLFS_KERNEL_LIMITS=none"
    # nofork.py on its own (the standard library only): through the sandboxed package it would
    # import the server and NumPy, most of the probe's cost, paid by every grading process
    code = ("import ctypes, importlib.util, sys; spec = importlib.util.spec_from_file_location('nofork', sys.argv[1]); "
            "nofork = importlib.util.module_from_spec(spec); spec.loader.exec_module(nofork); "
            "sys.exit(0 if nofork.install() and ctypes.CDLL(None).fork() == -1 else 1)")
    try:
        run = subprocess.run([sys.executable, "-I", "-c", code, str(CHILD_DIR / "sandboxed" / "nofork.py")],
                             stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as error:
        return f"no seccomp filter: {error}"
    return None if run.returncode == 0 else "no seccomp filter here (the child may fork)"


@functools.lru_cache(maxsize=None)
def _enforcement(boundary_name, setting):
    reasons = []
    groups, why = cgroup.probe()
    if groups is None:
        reasons.append(f"no cgroup: {why}")
    no_filter = _nofork(setting)
    if no_filter and not groups:
        reasons.append(no_filter)
    memory = "cgroup" if groups else "sampled" if no_filter else "one process"
    if groups:
        tasks = "cgroup"
    else:
        tasks = "rlimit" if boundary_name == "unprivileged-user" else "sampled"
    if boundary_name == "bubblewrap":
        scratch = "tmpfs"
    elif boundary_name == "unprivileged-user":
        why = private_mounts.probe()
        scratch = "tmpfs" if why is None else "swept"
        if why is not None:
            reasons.append(why)
    else:
        scratch = "none"
    return Enforcement(memory, tasks, scratch, tuple(reasons), nofork=no_filter is None)


def _mb(size):
    return f"{size / (1 << 20):g} MB"


# How each bound is held, and the bounds themselves, in words a learner's summary can show
# (translated there: grading/report.py); results.json keeps the English line.
_HELD = {"cgroup": N_("cgroup"), "rlimit": N_("RLIMIT_NPROC"), "tmpfs": N_("tmpfs"),
         "one process": N_("one process: seccomp refuses new ones, RLIMIT_AS"),
         "sampled": N_("sampled every {seconds} s, not held by the kernel")}


def _english(msgid, **values):
    return msgid.format(**values)


def describe(boundary_name, envelope, translate=_english):
    """One line: each bound with how it is held here, and what does not hold.

    `translate(msgid, **values)` puts it in the learner's language (an i18n translator);
    by default English, as results.json keeps it. The reasons a stronger way is unavailable
    are the machine's own words (an OSError, a probe's answer) and stay as they came.
    """
    how = enforcement(boundary_name)

    def held(way):
        return translate(_HELD[way], seconds=format(SAMPLE_SECONDS, "g"))

    parts = [translate(N_("memory {size} for all its processes ({held})"), size=_mb(envelope.memory_bytes),
                       held=held(how.memory)),
             translate(N_("{count} processes and threads ({held})"), count=envelope.tasks, held=held(how.tasks))]
    if how.scratch == "tmpfs":
        parts.append(translate(N_("/tmp and work folder {size}, /dev/shm {shm} (tmpfs)"),
                               size=_mb(envelope.scratch_bytes), shm=_mb(envelope.shm_bytes)))
    elif how.scratch == "swept":
        parts.append(translate(N_("files in /tmp, /dev/shm not bounded ({size} per file), removed afterwards"),
                               size=_mb(FILE_BYTES)))
    else:
        parts.append(translate(N_("files not bounded ({size} per file) and not removed"), size=_mb(FILE_BYTES)))
    parts.append(translate(N_("output kept up to {size}"), size=_mb(envelope.output_bytes)))
    text = "; ".join(parts)
    if how.reasons:
        text += " [" + "; ".join(how.reasons) + "]"
    return text
