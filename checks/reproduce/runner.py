"""Running the claims' experiments, judging and drawing them, and publishing the report folder whole.

``run_report`` runs every selected claim (one tqdm bar each), draws its figures from
the very data it judged, and writes report.md, report.html and results.json. All of it
goes into a staging folder beside the target (same filesystem); only a complete run
is swapped in, so an interrupted or failing run leaves the previous report untouched
and no half-written one.
"""

import contextlib
import datetime
import os
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from . import claims as claims_module
from .report import write_report
from .texts import _
from .results import RESULTS_NAME, build_results, data_digest, write_json

__all__ = ["Outcome", "FigureRecord", "run_claim", "run_report", "staged_folder", "swap_in",
           "install_signal_handlers", "signals_received", "missing_component", "implementation_namespace"]

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
class FigureRecord:
    """A figure written by the run: its file, caption, the call keys it was drawn from and their digest."""

    file: str
    caption: str
    keys: tuple
    data_sha256: str


@dataclass
class Outcome:
    """What one claim's run produced."""

    claim: object
    status: str  # PASS, FAIL, SKIPPED, or NOT RUN (a component the implementation lacks)
    calls: dict = field(default_factory=dict)
    data_sha256: dict = field(default_factory=dict)
    verdict: object = None
    figures: list = field(default_factory=list)
    run_seconds: float = 0.0
    figure_seconds: float = 0.0
    skipped_reason: str = ""
    not_run_reason: str = ""


def _advance(bar, percent):
    # update() rather than setting n: it honours mininterval, so a callback per iteration
    # does not redraw the bar (or flood a log file) thousands of times.
    percent = min(round(percent, 1), 100.0)
    if percent > bar.n:
        bar.update(percent - bar.n)


def _progress_for(bar, index, count, key):
    """A ``progress(done, total)`` callback moving ``bar`` (0–100 %) within call ``index`` of ``count``."""
    share = 100.0 / count

    def progress(done, total):
        bar.set_postfix_str(f"{key} {done}/{total}", refresh=False)
        _advance(bar, share * (index + done / max(total, 1)))

    return progress


def missing_component(error, lib):
    """Why an experiment could not run on ``lib``, naming the component; None for a genuine error.

    A component not written yet raises NotImplementedError (the exercises' stubs say which
    one and where in the book); a name the implementation does not define raises the
    namespace's AttributeError ("... has no component 'X' ..."). Anything else is a bug.
    """
    if isinstance(error, NotImplementedError):
        tb = error.__traceback__
        while tb.tb_next is not None:
            tb = tb.tb_next
        code = tb.tb_frame.f_code
        component = getattr(code, "co_qualname", code.co_name)
        detail = str(error).strip()
        if detail.startswith(component.split(".")[0]):
            return detail  # the stubs' own message, already in the learner's language
        return (_("{component}: not implemented yet ({detail})", component=component, detail=detail) if detail
                else _("{component}: not implemented yet", component=component))
    label = getattr(lib, "label", None)
    if label is not None and str(error).startswith(f"{label} has no component"):
        return str(error)
    return None


def implementation_namespace(impl):
    """The namespace the experiments run on for ``--impl=impl`` (None for the reference package itself)."""
    if impl == "reference":
        return None
    from ..isolation.namespace import in_process_namespace

    return in_process_namespace(impl)


def _claim_bar(claim, show_progress):
    bar_format = "{desc:<28} {percentage:3.0f}%|{bar:24}| {elapsed}<{remaining}{postfix}"
    # Redraw every second on a terminal, every 30 s into a log file.
    interval = 1.0 if sys.stderr.isatty() else 30.0
    return tqdm(total=100, desc=claim.name, bar_format=bar_format, disable=not show_progress,
                file=sys.stderr, mininterval=interval, leave=True)


def run_claim(claim, opts, out_dir, show_progress=True, lib=None, bar=None):
    """Run one claim's experiment calls, judge the data and draw its figures into ``out_dir``.

    Args:
        lib: the implementation namespace (None: the reference package).
        bar: the progress bar to move (a tqdm, or anything with its ``n``, ``update``,
            ``set_postfix_str`` and context manager; ``parallel`` passes one that reports
            to the parent process); None: a tqdm bar on stderr unless not ``show_progress``.

    Returns:
        Outcome; NOT RUN when ``lib`` lacks a component the experiments need (a stub that
        raises NotImplementedError, or a missing name). Other exceptions from the experiments
        propagate: the run is then incomplete.
    """
    if not claim.enabled(opts):
        return Outcome(claim, "SKIPPED", skipped_reason=_("opt-in: run with {flag}", flag=claim.opt_in))
    calls = claim.calls(opts)
    with (bar if bar is not None else _claim_bar(claim, show_progress)) as bar:
        start = time.perf_counter()

        def progress(index, key):
            bar.set_postfix_str(key)
            return _progress_for(bar, index, len(calls), key)

        try:
            data = claims_module.run_calls(calls, lib, progress=progress,
                                           done=lambda index, key: _advance(bar, 100.0 * (index + 1) / len(calls)))
        except (NotImplementedError, AttributeError) as error:
            reason = missing_component(error, lib)
            if reason is None:
                raise
            bar.set_postfix_str("NOT RUN")
            return Outcome(claim, "NOT RUN", calls=calls, not_run_reason=reason,
                           run_seconds=time.perf_counter() - start)
        run_seconds = time.perf_counter() - start
        verdict = claim.judge(data, opts)
        start = time.perf_counter()
        records = []
        for fig in claim.figures:
            subset = {key: data[key] for key in fig.keys if key in data}
            fig.draw(subset, Path(out_dir) / fig.file)
            records.append(FigureRecord(fig.file, fig.caption, tuple(subset), data_digest(subset)))
        figure_seconds = time.perf_counter() - start
        bar.set_postfix_str("PASS" if verdict.passed else "FAIL")
    return Outcome(claim, "PASS" if verdict.passed else "FAIL", calls=calls,
                   data_sha256={key: data_digest(value) for key, value in data.items()},
                   verdict=verdict, figures=records, run_seconds=run_seconds, figure_seconds=figure_seconds)


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


def run_report(opts, out, only=None, show_progress=True, jobs=1):
    """Run the selected claims and publish ``out`` (report.md, report.html, results.json, PNGs).

    Args:
        opts: ``claims.Options``.
        out: the report folder (replaced only when the run completes).
        only: claim names to run (None: all).
        show_progress: draw tqdm bars on stderr.
        jobs: worker processes; 1 runs every claim here, one after the other. More runs the
            claims in that many fresh processes, longest first (``parallel``); the data,
            verdicts, figures and results.json are the same, timings aside.

    Returns:
        (outcomes, results document).
    """
    selected = claims_module.select_claims(only)
    created = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    start = time.perf_counter()
    jobs = min(jobs, sum(claim.enabled(opts) for claim in selected)) if jobs > 1 else 1
    with staged_folder(out) as staging:
        if jobs > 1:
            from .parallel import expected_seconds, run_claims_in_workers

            outcomes = run_claims_in_workers(selected, opts, staging, jobs=jobs, show_progress=show_progress,
                                             expected=expected_seconds(opts, out))
        else:
            lib = implementation_namespace(opts.impl)
            outcomes = [run_claim(claim, opts, staging, show_progress, lib) for claim in selected]
        total = time.perf_counter() - start
        document = build_results(outcomes, opts, only=only, created=created, total_seconds=total, jobs=jobs)
        write_json(document, staging / RESULTS_NAME)
        write_report(outcomes, document, staging)
    return outcomes, document
