"""Running the claims in worker processes, longest first (``make reproduce --jobs N``).

Why fresh (spawned) processes rather than forked ones: the parent has NumPy, OpenBLAS,
matplotlib and tqdm's monitor thread loaded by the time it schedules; forking a process
with threads and a BLAS thread pool is what Python 3.12+ warns about, and a fork would
also carry over whatever state the parent's earlier work left (the global NumPy
generator, module caches). A spawned worker starts from nothing, with its BLAS pinned to
one thread through the environment before NumPy loads, so each claim runs exactly as it
does first in a serial run. Every experiment seeds NumPy's global generator itself
(``reference/experiments/_common.py``) or is deterministic, so the order and the process
a claim runs in do not change its data: results.json is bit-identical to ``--jobs 1``
(timings aside; ``python -m checks.reproduce.compare`` checks it, and so does the fast suite).
Spawning costs about a second per worker, paid once: a worker runs claim after claim.

Each worker runs whole claims (calls, judge, figures into the shared staging folder) and
sends back the ``Outcome``; its progress goes to the parent, which draws the bars. The
parent hands the next claim to whichever worker is free, longest expected first, and
returns the outcomes in report order. A worker that raises or dies (killed, out of
memory, a crash in C) ends the run with ``ExperimentError`` naming the claim, as an
exception in a serial run does: no report is published. Ctrl-C or SIGTERM in the parent
unwinds through ``run_claims_in_workers``, which kills its workers; workers ignore SIGINT
(a terminal's Ctrl-C reaches the whole process group) and leave stopping to the parent.
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
from .texts import _

__all__ = ["ExperimentError", "EXPECTED_SECONDS", "default_jobs", "expected_seconds", "run_claims_in_workers"]

# Wall seconds per claim (experiments + figures) at one BLAS thread, for the first
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


class ExperimentError(RuntimeError):
    """A claim's experiment raised, or its worker process died, in a parallel run."""

    def __init__(self, claim_name, detail):
        super().__init__(_("experiment {name}: {detail}", name=claim_name, detail=detail))
        self.claim_name = claim_name


def default_jobs():
    """The cores this process may run on (``--jobs``' default)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def expected_seconds(opts, out):
    """Expected wall seconds per claim name: the previous report's timings when its tier matches, else the table."""
    table = dict(EXPECTED_SECONDS.get(opts.tier, {}))
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError, AttributeError):
        previous = json.loads((Path(out) / "results.json").read_text(encoding="utf-8"))
        if previous["run"]["tier"] == opts.tier:
            for name, timing in previous["timings"]["experiments"].items():
                table[name] = float(timing["run_seconds"]) + float(timing["figure_seconds"])
    return table


class _RemoteBar:
    """What ``runner.run_claim`` moves as its progress bar in a worker: sends (percent, postfix) to the parent."""

    def __init__(self, conn, name):
        self.conn, self.name, self.n, self.postfix, self._sent = conn, name, 0.0, "", 0.0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._send(force=True)
        return False

    def update(self, amount):
        self.n += amount
        self._send()

    def set_postfix_str(self, text, refresh=True):
        self.postfix = text
        self._send(force=text in ("PASS", "FAIL", "NOT RUN"))

    def _send(self, force=False):
        now = time.monotonic()
        if force or now - self._sent >= _PROGRESS_EVERY:
            self._sent = now
            self.conn.send(("progress", self.name, self.n, self.postfix))


def _serve(conn, opts, out_dir):
    """A worker's loop: receive a claim name, run it, send back ("done", name, Outcome) or ("error", name, text)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides; it kills us on Ctrl-C
    from .claims import claim_named
    from .runner import implementation_namespace, run_claim

    lib = implementation_namespace(opts.impl)
    while True:
        try:
            name = conn.recv()
        except EOFError:  # the parent is gone
            return
        if name is None:
            return
        try:
            outcome = run_claim(claim_named(name), opts, out_dir, lib=lib, bar=_RemoteBar(conn, name))
            outcome.claim = name  # the Claim holds lambdas (not picklable); the parent has it
            conn.send(("done", name, outcome))
        except BaseException as error:  # noqa: BLE001 (reported to the parent, which ends the run)
            conn.send(("error", name, "".join(traceback.format_exception(type(error), error, error.__traceback__))))


class _Worker:
    def __init__(self, context, opts, out_dir):
        self.conn, child_conn = context.Pipe()
        self.process = context.Process(target=_serve, args=(child_conn, opts, str(out_dir)), daemon=True)
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
        self.claim = None
        self.bar = None

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
    return ExperimentError(worker.claim, _("its worker process died ({how}) before finishing", how=how))


def run_claims_in_workers(claims, opts, out_dir, *, jobs, show_progress=True, expected=None):
    """Run ``claims`` in ``jobs`` spawned processes, longest expected first; their Outcomes in the order given.

    Args:
        claims: ``claims.Claim`` list, in report order.
        opts: ``claims.Options`` (the workers build their own implementation namespace from ``opts.impl``).
        out_dir: the staging folder the figures go into.
        jobs: worker processes (≥ 1).
        expected: {claim name: seconds} to schedule by (unknown claims count as long: first).

    Raises:
        ExperimentError: a claim's experiment raised (its traceback in the message) or its worker died.
    """
    from .runner import _claim_bar, run_claim

    expected = expected or {}
    outcomes = {}
    for claim in claims:
        if not claim.enabled(opts):
            outcomes[claim.name] = run_claim(claim, opts, out_dir, show_progress=False)
    by_name = {claim.name: claim for claim in claims}
    queue = sorted((c.name for c in claims if c.name not in outcomes),
                   key=lambda name: -expected.get(name, float("inf")))
    context = multiprocessing.get_context("spawn")
    workers = []
    try:
        workers = [_Worker(context, opts, out_dir) for _slot in range(min(jobs, len(queue)))]
        while queue or any(w.claim for w in workers):
            for worker in workers:
                if worker.claim is None and queue:
                    worker.claim = queue.pop(0)
                    worker.bar = _claim_bar(by_name[worker.claim], show_progress)
                    try:
                        worker.conn.send(worker.claim)
                    except OSError:  # it died between two experiments
                        raise _died(worker) from None
            busy = [w for w in workers if w.claim]
            ready = multiprocessing.connection.wait([w.conn for w in busy] + [w.process.sentinel for w in busy])
            for worker in busy:
                if worker.conn in ready or worker.conn.poll():
                    try:
                        message = worker.conn.recv()
                    except EOFError:
                        raise _died(worker) from None
                    _handle(worker, message, by_name, outcomes)
                elif worker.process.sentinel in ready:
                    raise _died(worker)
        for worker in workers:
            worker.stop(timeout=10)
    finally:
        for worker in workers:
            if worker.bar is not None:
                worker.bar.close()
            worker.kill()
    return [outcomes[claim.name] for claim in claims]


def _handle(worker, message, by_name, outcomes):
    kind, name = message[0], message[1]
    if kind == "progress":
        _kind, _name, percent, postfix = message
        worker.bar.set_postfix_str(postfix, refresh=False)
        if percent > worker.bar.n:
            worker.bar.update(percent - worker.bar.n)
    elif kind == "done":
        outcome = message[2]
        outcome.claim = by_name[name]
        outcomes[name] = outcome
        worker.bar.set_postfix_str(outcome.status)
        worker.bar.close()
        worker.claim, worker.bar = None, None
    else:
        raise ExperimentError(name, _("raised in its worker process:\n{traceback}", traceback=message[2]))
