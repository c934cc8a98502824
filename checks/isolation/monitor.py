"""The grader's watch over one running child: its output, and its tree where no cgroup holds it.

The child's stdout and stderr (its prints, native writes, a fork's too) are one pipe
that a thread of the grader reads all the time, whether or not a call is in progress:
the first `Output.cap` bytes are kept, the rest is dropped unread (spliced to
/dev/null), so the pipe never fills and a `print` never blocks or fails in the
submission, however much it prints. Once past the cap, the child's next request
points its output at /dev/null itself (`QUIET`, child/sandboxed/wire.py): what it prints after that
costs it no copy through the pipe (a flood in every call must not make a call slow). On the same thread, every `SAMPLE_SECONDS`, a
tree that no cgroup holds is sampled (checks/isolation/tree.py) and killed when it
is over the envelope's task bound, or its memory bound (summed resident memory, and
when that is over, the proportional set size, which counts a page shared by forks once).
"""

import fcntl
import os
import select
import threading
import time

from . import tree
from .envelope import SAMPLE_SECONDS

__all__ = ["Monitor", "Output"]

_F_SETPIPE_SZ = 1031
PIPE_BYTES = 1 << 20  # the largest pipe an unprivileged process may ask for (/proc/sys/fs/pipe-max-size)


class Output:
    """What one child printed over all its restarts: the first `cap` bytes, and how many there were."""

    def __init__(self, cap):
        self.cap = cap
        self.kept = bytearray()
        self.total = 0

    @property
    def dropped(self):
        return self.total - len(self.kept)


def output_pipe():
    """(read end, write end) of a pipe as large as allowed; the read end non-blocking."""
    read, write = os.pipe()
    try:
        fcntl.fcntl(read, _F_SETPIPE_SZ, PIPE_BYTES)
    except OSError:
        pass
    os.set_blocking(read, False)
    return read, write


class Monitor(threading.Thread):
    """Drains `fd` into `output`; samples `pids()` when given, calling `over(kind)` past a bound."""

    def __init__(self, fd, output, pids=None, memory_bytes=None, tasks=None, over=None):
        super().__init__(name="dlfs-child-monitor", daemon=True)
        self.fd, self.output = fd, output
        self.pids, self.memory_bytes, self.tasks, self.over = pids, memory_bytes, tasks, over
        self.memory_peak = self.tasks_peak = 0
        self.exceeded = None  # "memory" or "tasks" once the sampled tree went over its bound
        self._stopping = threading.Event()
        self._devnull = os.open(os.devnull, os.O_WRONLY)
        self._wake_read, self._wake = os.pipe()  # stop() ends the wait at once

    def _drain(self):
        """Read what is there; False at end of file (every writer gone)."""
        while True:
            try:
                if len(self.output.kept) < self.output.cap:
                    chunk = os.read(self.fd, min(1 << 16, self.output.cap - len(self.output.kept)))
                    self.output.kept += chunk
                    count = len(chunk)
                else:
                    count = _discard(self.fd, self._devnull)
            except BlockingIOError:
                return True
            except OSError:
                return False
            if count == 0:
                return False
            self.output.total += count

    def _sample(self):
        pids = self.pids()
        memory, threads = tree.sample(pids)
        if self.memory_bytes and memory > self.memory_bytes:
            memory = tree.proportional(pids)  # summed RSS is an upper bound; shared pages decide
        self.memory_peak, self.tasks_peak = max(self.memory_peak, memory), max(self.tasks_peak, threads)
        kind = ("tasks" if self.tasks and threads > self.tasks
                else "memory" if self.memory_bytes and memory > self.memory_bytes else None)
        if kind and self.exceeded is None:
            self.exceeded = kind
            if self.over is not None:
                self.over(kind, pids)

    def run(self):
        next_sample = time.monotonic()
        reading = True
        while True:
            stopping = self._stopping.is_set()
            # nothing to sample (a cgroup holds the tree): wait for output, or for stop()
            wait = max(0.0, next_sample - time.monotonic()) if self.pids else None
            watched = [self.fd, self._wake_read] if reading else [self._wake_read]
            readable = select.select(watched, [], [], 0 if stopping else wait)[0]
            if reading and self.fd in readable and not self._drain():
                # every writer gone: the child quieted past the cap (child.py), closed its
                # output, or died; a tree still to sample is sampled until stop()
                reading = False
                if not self.pids:
                    break
            if stopping:
                break
            if self.pids is not None and time.monotonic() >= next_sample:
                try:
                    self._sample()
                except Exception:  # a sample that fails is skipped: the next one may work
                    pass
                next_sample = time.monotonic() + SAMPLE_SECONDS

    def stop(self):
        """Read what is left (the tree is dead or dying), then end; the read end stays the caller's to close."""
        if self._stopping.is_set():
            return
        self._stopping.set()
        os.write(self._wake, b"x")
        self.join(timeout=5)
        if not self.is_alive():
            for fd in (self._devnull, self._wake_read, self._wake):
                os.close(fd)


def _discard(fd, devnull):
    """Drop up to a pipe's worth from `fd` without copying it into this process."""
    try:
        return os.splice(fd, devnull, PIPE_BYTES)
    except (AttributeError, OSError) as error:
        if isinstance(error, BlockingIOError):
            raise
        return len(os.read(fd, 1 << 16))
