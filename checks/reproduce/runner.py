"""Running the claims over the run's seeds, judging and drawing them, and publishing the report folder whole.

``run_claims`` turns the selected claims into tasks (one per claim and seed; one for a claim
whose data depends on no seed), takes what the results cache already has, computes the rest
on an engine — this process, worker processes (``parallel``) or a Dask cluster
(``cluster``) — and judges each result as it comes back, moving one progress bar per claim.
``run_report`` does that and writes report.md, report.html, results.json and the PNGs into a
staging folder beside the target (same filesystem); only a complete run is swapped in, so an
interrupted or failing run leaves the previous report untouched and no half-written one.
"""

import contextlib
import datetime
import os
import shutil
import signal
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .cache import ResultCache
from .calls import implementation_digest
from .claims import select_claims
from .digest import data_digest, write_json
from .environment import fingerprint, numerics_digest
from .outcomes import FigureRecord, Outcome, outcome, seed_run
from .progress import Progress
from .report import write_report
from .results import RESULTS_NAME, build_results
from .tasks import Task, compute, draw_figures
from .texts import _

__all__ = ["Engine", "run_claims", "run_report", "plan", "staged_folder", "swap_in", "install_signal_handlers",
           "signals_received"]

# Signals (SIGINT, SIGTERM) received since install_signal_handlers(), in order.
signals_received = []


def _interrupt_exception(signum):
    return KeyboardInterrupt() if signum == signal.SIGINT else SystemExit(128 + signum)


def _on_signal(signum, frame):
    signals_received.append(signum)
    raise _interrupt_exception(signum)


def install_signal_handlers():
    """Make SIGINT and SIGTERM abort the run, and remember that they came.

    The handler raises (KeyboardInterrupt, or SystemExit(128 + signum) for SIGTERM, so a
    CI timeout unwinds like Ctrl-C). Remembering matters as well: the exception a handler
    raises can get lost (here about 1 interrupt in 30 let the run go on to the end, silently,
    presumably because it surfaced inside C code that clears errors), and the run would then
    publish; ``staged_folder`` refuses to publish once a signal has come.

    Returns:
        {signum: previous handler}, for ``signal.signal`` to restore.
    """
    signals_received.clear()
    return {signum: signal.signal(signum, _on_signal) for signum in (signal.SIGINT, signal.SIGTERM)}


@dataclass
class Engine:
    """Where a run's tasks are computed, and what it said about it (results.json's ``timings.engine``).

    ``kind``: "serial" (this process), "pool" (``jobs`` worker processes) or "dask" (``cluster``:
    "local", "in-process" or a scheduler address).
    """

    kind: str = "serial"
    jobs: int = 1
    cluster: str = None
    environment: dict = None  # where the numbers were computed (a remote cluster's workers)
    cached: int = 0
    computed: int = 0
    digests: set = field(default_factory=set)  # environment.numerics_digest of the processes that computed

    def record(self):
        return {"kind": self.kind, "jobs": self.jobs, "cluster": self.cluster, "tasks_cached": self.cached,
                "tasks_computed": self.computed}


def plan(claims, opts, seeds):
    """(tasks, {claim name: whether seeded}, skipped outcomes) for ``claims`` at ``seeds``.

    A claim whose data depends on no seed runs once; the first seed's task draws the figures.
    """
    tasks, seeded, skipped = [], {}, {}
    for claim in claims:
        if not claim.enabled(opts):
            skipped[claim.name] = Outcome(claim, "SKIPPED", skipped_reason=_("opt-in: run with {flag}",
                                                                             flag=claim.opt_in))
            continue
        seeded[claim.name] = claim.seeded(opts.with_seed(seeds[0]))
        for index, seed in enumerate(seeds if seeded[claim.name] else seeds[:1]):
            tasks.append(Task(claim.name, opts.with_seed(seed), figures=index == 0 and bool(claim.figures)))
    return tasks, seeded, skipped


def run_claims(claims, opts, seeds, *, engine, cache=None, show_progress=True, expected=None, figures_dir=None):
    """Run ``claims`` at every seed of ``seeds`` on ``engine``; their Outcomes in the order given.

    Args:
        claims: ``Claim`` list, in report order.
        opts: the run's ``Options`` (its seed is replaced by each of ``seeds``).
        engine: ``Engine``: where to compute (filled in with what happened).
        cache: folder of the results cache (None: no cache).
        expected: {claim name: seconds per task} to schedule the longest first.
        figures_dir: where the first seed's PNGs are written as they arrive (None: no figures).

    Raises:
        tasks.ExperimentError: an experiment raised away from this process, or its worker died.
    """
    from .parallel import run_in_workers

    tasks, seeded, skipped = plan(claims, opts, seeds)
    if figures_dir is None:
        tasks = [Task(task.claim, task.opts, False) for task in tasks]
    by_name = {claim.name: claim for claim in claims}
    runs, figures, figure_seconds = {}, {}, {}
    counts = {}
    for task in tasks:
        counts[task.claim] = counts.get(task.claim, 0) + 1
    progress = Progress(counts, show_progress)
    store = None  # the results cache, once the environment computing the tasks is known

    def accept(computed):
        task = computed.task
        claim = by_name[task.claim]
        if store is not None:
            store.put(claim, computed)
        if task.figures and computed.data is not None:
            pngs, seconds = (computed.pngs, computed.figure_seconds) if computed.pngs else \
                draw_figures(claim, computed.data)
            for fig in claim.figures:
                (Path(figures_dir) / fig.file).write_bytes(pngs[fig.file])
                subset = {key: computed.data[key] for key in fig.keys if key in computed.data}
                figures.setdefault(claim.name, []).append(FigureRecord(fig.file, fig.caption, tuple(subset),
                                                                       data_digest(subset)))
            figure_seconds[claim.name] = seconds
        run = seed_run(claim, computed, seeded[claim.name])
        runs[task.key] = run
        if computed.cached:
            engine.cached += 1
        else:
            engine.computed += 1
            engine.digests.add(computed.environment)
        progress.finished(task, run.status)

    try:
        with contextlib.ExitStack() as stack:
            environment = None
            if engine.kind == "dask":
                from .cluster import open_cluster, run_on_cluster

                client, environment = stack.enter_context(open_cluster(engine.cluster, engine.jobs))
                engine.environment = environment
            if cache is not None:
                store = ResultCache(cache, implementation_digest(opts.impl),
                                    numerics_digest(environment) if environment else numerics_digest())
            pending = []
            for task in tasks:
                hit = store.get(by_name[task.claim], task) if store is not None else None
                if hit is not None:
                    accept(hit)
                else:
                    pending.append(task)
            if engine.kind == "dask":
                run_on_cluster(client, pending, on_result=accept, expected=expected)
            elif engine.kind == "pool" and len(pending) > 1:
                run_in_workers(pending, jobs=engine.jobs, on_progress=progress.moved, on_result=accept,
                               expected=expected)
            else:
                for task in pending:
                    accept(compute(task, report=lambda fraction, postfix, task=task:
                                   progress.moved(task, fraction, postfix)))
    finally:
        progress.close()
    outcomes = []
    for claim in claims:
        if claim.name in skipped:
            outcomes.append(skipped[claim.name])
            continue
        claim_runs = [runs[task.key] for task in tasks if task.claim == claim.name]
        outcomes.append(outcome(claim, claim_runs, figures.get(claim.name, ()), figure_seconds.get(claim.name, 0.0)))
    return outcomes


def swap_in(staging, target):
    """Make ``staging`` the folder ``target``, replacing any previous one.

    Both live in the same parent folder, so each step is a rename: the old report is
    moved aside, the new one renamed into place, then the old one removed. If the
    second rename fails the old report is put back.
    """
    staging, target = Path(staging), Path(target)
    if not target.exists():
        os.replace(staging, target)
        return
    backup = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    backup.rmdir()  # only the unique name is wanted: rename needs the destination absent
    os.replace(target, backup)
    try:
        os.replace(staging, target)
    except BaseException:
        os.replace(backup, target)
        raise
    shutil.rmtree(backup, ignore_errors=True)


@contextlib.contextmanager
def staged_folder(target):
    """Yield a fresh folder beside ``target``; on normal exit it replaces ``target``, else it is removed.

    A signal received meanwhile (see ``install_signal_handlers``) counts as an abnormal exit.
    """
    target = Path(target).absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    try:
        os.chmod(staging, 0o755)  # mkdtemp makes it private; the report is meant to be read
        yield staging
        if signals_received:
            raise _interrupt_exception(signals_received[0])
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    swap_in(staging, target)


def run_report(opts, out, only=None, show_progress=True, jobs=1, *, seeds=None, cluster=None, cache=None):
    """Run the selected claims over ``seeds`` and publish ``out`` (report.md, report.html, results.json, PNGs).

    Args:
        opts: ``model.Options``.
        out: the report folder (replaced only when the run completes).
        only: claim names to run (None: all).
        show_progress: draw tqdm bars on stderr.
        jobs: worker processes (or a LocalCluster's workers); 1 runs every task here, one after
            the other. The data, verdicts, figures and results.json are the same either way,
            timings aside.
        seeds: the seeds (None: ``[opts.seed]``); a claim depending on a seed runs at each.
        cluster: None (this machine's processes), "local" (a Dask LocalCluster of ``jobs``
            workers), "in-process", or a Dask scheduler's address.
        cache: folder of the results cache (None: compute everything).

    Returns:
        (outcomes, results document).
    """
    from .parallel import expected_seconds

    seeds = list(seeds) if seeds else [opts.seed]
    opts = opts.with_seed(seeds[0])
    selected = select_claims(only)
    created = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    start = time.perf_counter()
    tasks, _seeded, _skipped = plan(selected, opts, seeds)
    if cluster is not None:
        engine = Engine("dask", jobs, cluster)
    elif jobs > 1 and len(tasks) > 1:
        engine = Engine("pool", min(jobs, len(tasks)))
    else:
        engine = Engine("serial")
    with staged_folder(out) as staging:
        outcomes = run_claims(selected, opts, seeds, engine=engine, cache=cache, show_progress=show_progress,
                              expected=expected_seconds(opts, out), figures_dir=staging)
        environment = engine.environment or fingerprint(seeds)
        environment["seeds"] = seeds
        elsewhere = sorted(engine.digests - {numerics_digest(environment)})
        if elsewhere:
            # e.g. worker processes with one BLAS thread under a parent given more: say so
            environment["computed_in_other_environments"] = elsewhere
        document = build_results(outcomes, opts, only=only, created=created, seeds=seeds, environment=environment,
                                 total_seconds=time.perf_counter() - start, engine=engine.record())
        write_report(outcomes, document, staging)
        write_json(document, staging / RESULTS_NAME)
    return outcomes, document
