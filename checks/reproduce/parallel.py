"""The process pool: tasks in worker processes on this machine, longest first (``make reproduce --jobs N``).

Why fresh (spawned) processes rather than forked ones: the parent has NumPy, OpenBLAS,
tqdm's monitor thread (and matplotlib, once it drew a figure) loaded by the time it
schedules; forking a process with threads and a BLAS thread pool is what Python 3.12+ warns
about, and a fork would also carry over whatever state the parent's earlier work left (the
global NumPy generator, module caches). A spawned worker starts from nothing, with its BLAS
pinned to one thread through the environment before NumPy loads, so each task runs exactly
as it does in a serial run (``tasks`` explains why the order and process do not matter):
results.json is bit-identical to ``--jobs 1``, timings aside. Spawning costs about a second
per worker, paid once: a worker runs task after task.

Each worker runs whole tasks (``tasks.compute``) and sends back the ``Computed``; its
progress goes to the parent, which draws the bars. The parent hands the next task to
whichever worker is free, longest expected first. A worker that raises or dies (killed,
out of memory, a crash in C) ends the run with ``ExperimentError`` naming the claim, as an
exception in a serial run does: no report is published. Ctrl-C or SIGTERM in the parent
unwinds through ``run_in_workers``, which kills its workers; workers ignore SIGINT (a
terminal's Ctrl-C reaches the whole process group) and leave stopping to the parent.
"""

import contextlib
import json
import multiprocessing
import multiprocessing.connection
import os
import signal
import time
import traceback
from pathlib import Path

from ..library.blas import blas_thread_settings
from .tasks import ExperimentError, compute
from .texts import _

__all__ = ["EXPECTED_SECONDS", "default_jobs", "expected_seconds", "run_in_workers"]

# Wall seconds per claim and seed (experiments + figures) at one BLAS thread, for the first
# parallel run; later runs take the previous results.json's timings of the same tier.
# Measured 2026-11-29 on 2 cores with other jobs present: the book tier in a serial run of
# `make reproduce` (506 s; the --train-convnets entries from their full-size runs), the quick tier in a
# serial `--quick --train-convnets` run (41 s). Only the order matters.
EXPECTED_SECONDS = {
    "book": {"ch06_hyperparameter_search": 151, "ch06_dropout": 103, "ch04_numerical_training": 67,
             "ch06_weight_decay": 52, "ch06_optimizer_comparison": 33, "ch06_weight_init": 24,
             "ch08_deep_convnet": 24, "ch06_batch_norm": 24, "ch05_backprop_training": 19,
             "ch07_simple_convnet": 4, "ch05_gradient_check": 2, "ch03_sample_weights": 1,
             "ch06_activation_histograms": 1, "ch06_optimizer_paths": 0.5, "ch03_activation_functions": 0.4,
             "ch04_gradient_field": 0.3, "ch04_gradient_descent": 0.2,
             # --train-convnets (book size, full runs on 2026-11-29 with other jobs present)
             "ch08_deep_convnet_training": 3620, "ch07_simple_convnet_training": 1100},
    "quick": {"ch08_deep_convnet_training": 13, "ch06_dropout": 4, "ch08_deep_convnet": 4, "ch06_weight_decay": 3,
              "ch06_hyperparameter_search": 2.5, "ch04_numerical_training": 2.4, "ch06_weight_init": 2.2,
              "ch07_simple_convnet": 2, "ch05_backprop_training": 1.8, "ch06_optimizer_comparison": 1.7,
              "ch07_simple_convnet_training": 1.2, "ch06_activation_histograms": 1.1, "ch06_batch_norm": 0.9,
              "ch03_sample_weights": 0.7, "ch06_optimizer_paths": 0.3, "ch05_gradient_check": 0.3,
              "ch03_activation_functions": 0.2, "ch04_gradient_field": 0.1, "ch04_gradient_descent": 0.1},
}

_PROGRESS_EVERY = 0.5  # seconds between a worker's progress messages


def default_jobs():
    """The cores this process may run on (``--jobs``' default)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def expected_seconds(opts, out):
    """Expected wall seconds per claim name and seed: the previous report's timings when its tier matches, else the table."""
    table = dict(EXPECTED_SECONDS.get(opts.tier, {}))
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError, AttributeError, ZeroDivisionError):
        previous = json.loads((Path(out) / "results.json").read_text(encoding="utf-8"))
        if previous["run"]["tier"] == opts.tier:
            for name, timing in previous["timings"]["experiments"].items():
                runs = max(int(timing.get("seeds", 1)), 1)
                table[name] = (float(timing["run_seconds"]) + float(timing["figure_seconds"])) / runs
    return table


class _RemoteReport:
    """What ``tasks.compute`` reports progress to in a worker: sends (fraction, postfix) to the parent, throttled."""

    def __init__(self, conn, key):
        self.conn, self.key, self._sent = conn, key, 0.0

    def __call__(self, fraction, postfix):
        now = time.monotonic()
        if now - self._sent >= _PROGRESS_EVERY or fraction >= 1.0:
            self._sent = now
            self.conn.send(("progress", self.key, fraction, postfix))


def _serve(conn):
    """A worker's loop: receive a task, compute it, send back ("done", key, Computed) or ("error", key, text)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides; it kills us on Ctrl-C
    while True:
        try:
            task = conn.recv()
        except EOFError:  # the parent is gone
            return
        if task is None:
            return
        try:
            conn.send(("done", task.key, compute(task, report=_RemoteReport(conn, task.key))))
        except BaseException as error:  # noqa: BLE001 (reported to the parent, which ends the run)
            conn.send(("error", task.key, "".join(traceback.format_exception(type(error), error, error.__traceback__))))


class _Worker:
    def __init__(self, context):
        self.conn, child_conn = context.Pipe()
        self.process = context.Process(target=_serve, args=(child_conn,), daemon=True)
        # One BLAS thread in the worker: set in the environment it inherits, before its NumPy loads.
        saved = {k: os.environ.get(k) for k in blas_thread_settings(1)}
        os.environ.update(blas_thread_settings(1))
        try:
            self.process.start()
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        child_conn.close()
        self.task = None

    def stop(self, timeout):
        with contextlib.suppress(OSError):
            self.conn.send(None)
        self.process.join(timeout)
        self.kill()

    def kill(self):
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


def _died(worker):
    # Its pipe can close before the process is reaped: wait for the exit status it died with.
    worker.process.join(5)
    code = worker.process.exitcode
    how = (_("killed by signal {signal}", signal=-code) if code is not None and code < 0
           else _("exit status {code}", code=code))
    return ExperimentError(worker.task.claim, _("its worker process died ({how}) before finishing", how=how))


def run_in_workers(tasks, *, jobs, on_progress, on_result, expected=None):
    """Compute ``tasks`` in ``jobs`` spawned processes, longest expected first.

    Args:
        tasks: ``tasks.Task`` list.
        jobs: worker processes (≥ 1).
        on_progress: ``(task, fraction, postfix)``, as a task's calls progress.
        on_result: ``(Computed)``, as each task ends.
        expected: {claim name: seconds per task} to schedule by (unknown claims count as long: first).

    Raises:
        ExperimentError: a task's experiment raised (its traceback in the message) or its worker died.
    """
    expected = expected or {}
    by_key = {task.key: task for task in tasks}
    queue = sorted(tasks, key=lambda task: -expected.get(task.claim, float("inf")))
    context = multiprocessing.get_context("spawn")
    workers = []
    try:
        workers = [_Worker(context) for _slot in range(min(jobs, len(queue)))]
        while queue or any(w.task for w in workers):
            for worker in workers:
                if worker.task is None and queue:
                    worker.task = queue.pop(0)
                    try:
                        worker.conn.send(worker.task)
                    except OSError:  # it died between two tasks
                        raise _died(worker) from None
            busy = [w for w in workers if w.task]
            ready = multiprocessing.connection.wait([w.conn for w in busy] + [w.process.sentinel for w in busy])
            for worker in busy:
                if worker.conn in ready or worker.conn.poll():
                    try:
                        message = worker.conn.recv()
                    except EOFError:
                        raise _died(worker) from None
                    kind, key = message[0], message[1]
                    if kind == "progress":
                        on_progress(by_key[key], message[2], message[3])
                    elif kind == "done":
                        worker.task = None
                        on_result(message[2])
                    else:
                        raise ExperimentError(key[0], _("raised in its worker process:\n{traceback}",
                                                        traceback=message[2]))
                elif worker.process.sentinel in ready:
                    raise _died(worker)
        for worker in workers:
            worker.stop(timeout=10)
    finally:
        for worker in workers:
            worker.kill()
