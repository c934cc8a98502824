"""`grade()`: run every component check against an implementation and score it.

The judge and the judged never share a process. `grade` starts pytest on
`checks/suite/test_components.py` with `--isolate` in a subprocess (the checks, which
judge) and that process starts the implementation in its own child processes (see
`checks/isolation/adapters.py`, `checks/isolation/child/child.py`). Records come back through a private
folder under `build/` that no child may open; scores are computed by scoring.py and
reports written by report.py, after every child is gone, atomically.

Grading keeps what it reached. A run stopped by its total time limit (`run_timeout`) or
ended abnormally keeps every verdict recorded so far (the plugin appends each one as it
is done) and marks the checks not reached as timed out; a failing book-layout scan
becomes a note; a report that cannot be built becomes a plainer results.json.
Only when nothing at all could be graded does `grade` raise GradingError.
"""

import functools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

from ..i18n import translator
from ..isolation.adapters import REPO_ROOT
from ..locations import checkout, kept_temporary_folder, temporary_folder
from ..isolation.boundary import BoundaryUnavailable, choose, handed_down
from ..isolation.envelope import Envelope
from ..isolation.envelope import describe as describe_envelope
from ..isolation.intake import ImplSpec, IntakeError, Kind, resolve
from ..library.outcomes import Outcome
from . import warm
from .provenance import merge_sources, source_notes
from .records import Record
from .safe_text import MESSAGE_BYTES, safe_text
from .scoring import GradeResult, score_records

__all__ = ["GradingError", "grade", "DEFAULT_CALL_TIMEOUT", "DEFAULT_RUN_TIMEOUT", "DEFAULT_CHECK_BUDGET",
           "DEFAULT_LOAD_TIMEOUT", "DEFAULT_MEMORY_LIMIT"]

DEFAULT_CALL_TIMEOUT = 10.0  # one call into the implementation (the reference's slowest takes < 0.1 s)
DEFAULT_CHECK_BUDGET = 60.0  # one whole check (the reference's slowest takes < 2 s)
DEFAULT_LOAD_TIMEOUT = 30.0  # starting the process, importing a component (matplotlib at import…)
DEFAULT_MEMORY_LIMIT = 4 << 30  # all of the implementation's processes together (the reference peaks at ≈170 MB)
DEFAULT_RUN_TIMEOUT = 1800.0  # the whole pytest run, a last resort
_TEST_FILE = "checks/suite/test_components.py"
PARTIAL = "records.partial.jsonl"  # what the plugin appends as each check finishes (checks/grading/plugin.py)
# How often, at most, the reports are rewritten while the checks run (a kill from outside
# then loses at most this much): each rewrite scores every record once.
PROGRESS_SECONDS = 3.0
_SETTINGS = Path(__file__).resolve().with_name("suite.ini")
_ = translator("grading")


class GradingError(RuntimeError):
    """Grading itself could not run (bad implementation spec, pytest failed to start...)."""


# -- running the checks ----------------------------------------------------------------
def _run_folder():
    # a checkout keeps its runs under build/, which no child may open; an installed dlfs never
    # writes into its package folder: a private temporary one (both are in DLFS_GUARD_DENY)
    if checkout() is not None:
        base = checkout() / "build" / "grade-runs"
        try:
            base.mkdir(parents=True, exist_ok=True)
            return Path(tempfile.mkdtemp(prefix="run-", dir=base))
        except OSError:
            pass
    return kept_temporary_folder("run")


def _pytest_command(spec_file, run_dir, select, workers, components, chapters, call_timeout, check_budget,
                    load_timeout, memory_limit, run_timeout=DEFAULT_RUN_TIMEOUT):
    # the wiring and the settings come from the package, not from a conftest.py or pyproject.toml
    # (an installed dlfs has neither; an ini found above site-packages must not apply)
    command = [sys.executable, "-m", "pytest", _TEST_FILE, f"--impl-spec={spec_file}", "--isolate",
               "--noconftest", "-p", "checks.suite.wiring", "-c", str(_SETTINGS),
               "-p", "checks.grading.plugin", f"--grade-dir={run_dir}",
               f"--grade-call-timeout={call_timeout}", f"--grade-check-budget={check_budget}",
               f"--grade-load-timeout={load_timeout}", f"--grade-memory-limit={int(memory_limit)}",
               f"--grade-run-timeout={run_timeout}",
               "-q", "--tb=no", "-rN", "--color=no", "-o", "addopts=", "-o", "console_output_style=classic",
               "-p", "no:cacheprovider", "--rootdir", str(REPO_ROOT),
               # pytest's temporary folders inside the run's own: xdist asks for one, and pytest's
               # default (numbered folders under /tmp/pytest-of-USER) would delete the oldest of the
               # user's own runs there when the grading ends (30 s of it once, in make check)
               f"--basetemp={Path(run_dir) / 'pytest-tmp'}"]
    if workers and workers > 1:
        command += ["-p", "xdist.plugin", "-n", str(workers), "--dist", "worksteal"]
    if select:
        command += ["-k", select]
    if components:
        command += [f"--grade-components={','.join(components)}"]
    if chapters:
        command += [f"--grade-chapters={','.join(str(int(c)) for c in chapters)}"]
    return command


def _wait(process, run_dir, run_timeout, progress):
    """pytest's exit status, or None at `run_timeout`; meanwhile `progress()` whenever checks have finished.

    The records of finished checks grow in records.partial.jsonl; at most every
    PROGRESS_SECONDS, when it grew, `progress` writes what a stop at that moment would leave.
    """
    deadline = time.monotonic() + run_timeout
    partial, seen = run_dir / PARTIAL, -1
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        try:
            return process.wait(timeout=min(left, PROGRESS_SECONDS) if progress else left)
        except subprocess.TimeoutExpired:
            pass
        try:
            size = partial.stat().st_size
        except OSError:
            continue
        if size != seen:
            seen = size
            try:
                progress()
            except Exception:  # a provisional report is a safety net: never the reason grading fails
                pass


def _run_pytest(command, run_dir, env, run_timeout, progress=None):
    log_path = run_dir / "pytest.log"
    with open(log_path, "wb") as log:
        # from a process's second grading on, forked from a process that has pytest imported (warm.py)
        process = warm.start(command, env, REPO_ROOT, log) or subprocess.Popen(
            command, cwd=REPO_ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)
        try:
            code = _wait(process, run_dir, run_timeout, progress)
        finally:
            # whatever is left of the run (xdist workers) goes; the implementation's own
            # children are killed by their transports, or die with their parent
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            process.wait()
    records_path = run_dir / "records.json"
    if code in (0, 1) and records_path.is_file():
        try:
            payload = json.loads(records_path.read_text(encoding="utf-8"))
            return [Record.from_json(record) for record in payload["records"]], None
        except (OSError, ValueError, KeyError, TypeError):
            pass  # fall back on the records written one by one
    if code == 5:
        raise GradingError(_("no check matched the selection"))
    if code is None:
        reason = _("the run hit its total time limit of {seconds} s; checks not reached by then are marked timed out",
                   seconds=format(run_timeout, "g"))
        outcome, message = Outcome.TIMEOUT, _("TIMED OUT: not reached within the run's total time limit of {seconds} s",
                                              seconds=format(run_timeout, "g"))
    else:
        tail = log_path.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-15:]
        reason = _("the checks stopped early (pytest exit status {code}):", code=code) + "\n  " + "\n  ".join(tail)
        outcome, message = Outcome.CRASHED, _("CRASHED: not reached, the grading run stopped early (pytest exit "
                                              "status {code})", code=code)
    raw = _partial_records(run_dir, outcome, message)
    if raw is None:
        raise GradingError(reason if code is None else _("the checks could not run (pytest exit status {code}):",
                                                         code=code) + "\n  " + "\n  ".join(tail))
    return raw, reason


def _partial_records(run_dir, outcome, message):
    """The records a stopped run wrote one by one, plus `outcome` for every collected check without one;
    None when the run did not even finish collecting."""
    try:
        collected = json.loads((run_dir / "collected.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    done = {}
    try:
        lines = (run_dir / PARTIAL).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        lines = []
    for line in lines:
        try:
            record = Record.from_line(line)
        except ValueError:
            continue  # the line being written when the run was stopped
        done[record.nodeid] = record
    for entry in collected:
        if entry["nodeid"] not in done:
            done[entry["nodeid"]] = Record(entry["nodeid"], entry.get("check"), entry.get("case"), outcome,
                                           message=message)
    return list(done.values())


# -- the API ------------------------------------------------------------------------------
def grade(impl, out_dir=None, select=None, workers=1, *, components=None, chapters=None,
          call_timeout=DEFAULT_CALL_TIMEOUT, check_budget=DEFAULT_CHECK_BUDGET, load_timeout=DEFAULT_LOAD_TIMEOUT,
          memory_limit=DEFAULT_MEMORY_LIMIT, run_timeout=DEFAULT_RUN_TIMEOUT, protect=(), read_only=(), write=True,
          progress=None):
    """Grade `impl`: an ImplSpec (checks/isolation/intake/), or an IMPL value resolved here.

    Args:
        impl: an ImplSpec, or any IMPL value (`reference`, `exercises`, a package PATH, `book:PATH`,
            `mutant:NAME`, notebooks, a .py, loose files, a .zip; see checks/isolation/intake/resolve.py),
            resolved into a temporary folder removed when grading is done.
        out_dir: where to write results.json (Gradescope format) and junit.xml; None: nowhere.
        select: a pytest `-k` expression keeping some checks (e.g. "Affine or AND").
        workers: pytest-xdist workers; 1 runs the checks in one process.
        components: keep only the checks of these components.
        chapters: keep only the checks of these chapters.
        call_timeout: seconds one call into the implementation may take.
        check_budget: seconds one check may take in all.
        load_timeout: seconds starting the implementation's process or importing a component may take.
        memory_limit: bytes of memory all of the implementation's processes may use together
            (checks/isolation/envelope.py; each one's address space too): past it, a MemoryError
            there, or its processes stopped (an error of the checks reaching them).
        run_timeout: seconds the whole run may take before grading is abandoned.
        protect: more folders the implementation may not touch (out_dir is always protected).
        read_only: more folders the implementation may read but not write.
        write: write the reports to out_dir (True) or only return the result.
        progress: called, while the checks run, with the GradeResult a stop at that moment
            would leave (checks not reached yet marked so); default with out_dir and write:
            the reports are written, so a run killed from outside (a time or memory limit)
            still leaves a valid results.json holding every check reached.

    Returns:
        GradeResult; points are Fractions (`exact_score`), floats in `score`.

    Raises:
        GradingError: grading itself could not run (an IMPL value naming nothing gradable
            included). A failing implementation never raises.
    """
    options = dict(select=select, workers=workers, components=components, chapters=chapters,
                   call_timeout=call_timeout, check_budget=check_budget, load_timeout=load_timeout,
                   memory_limit=memory_limit, run_timeout=run_timeout, protect=protect, read_only=read_only,
                   progress=progress)
    if isinstance(impl, ImplSpec):
        return _grade_spec(impl, out_dir, write, time.monotonic(), **options)
    started = time.monotonic()
    with temporary_folder("intake") as workdir:
        try:
            spec = resolve(impl, workdir)
        except IntakeError as error:
            raise GradingError(str(error)) from None
        return _grade_spec(spec, out_dir, write, started, **options)


def _grade_spec(spec, out_dir, write, started, *, select, workers, components, chapters, call_timeout,
                check_budget, load_timeout, memory_limit, run_timeout, protect, read_only, progress):
    try:
        boundary = choose()
    except BoundaryUnavailable as error:
        raise GradingError(str(error)) from None
    out_dir = Path(out_dir).resolve() if out_dir is not None else None
    if out_dir is not None:
        # made now, by the grader: a child cannot create it first (and own it) in a shared folder
        out_dir.mkdir(parents=True, exist_ok=True)
    run_dir = _run_folder()
    env = dict(os.environ)
    env["DLFS_BOUNDARY"] = boundary.name  # the judge's children run inside it (decided once, here)
    env.update(handed_down(boundary))  # and probed once, here
    deny = [str(run_dir), *(str(p) for p in protect)]
    if out_dir is not None:
        deny.append(str(out_dir))
    env["DLFS_GUARD_DENY"] = os.pathsep.join(filter(None, [env.get("DLFS_GUARD_DENY"), *deny]))
    env["DLFS_GUARD_READONLY"] = os.pathsep.join(filter(None, [env.get("DLFS_GUARD_READONLY"),
                                                               *(str(p) for p in read_only)]))
    env.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    # Only the plugins named in the command: one installed beside dlfs (pytest-randomly reordering the
    # checks, a coverage plugin) has no say in a grading, and loading every installed one (platformdirs
    # ships one) cost each grading's start-up 50 ms.
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    # pytest runs in the package folder and reads the spec resolved here: it never sees the IMPL value
    spec_file = spec.dump(run_dir / "impl-spec.json")
    command = _pytest_command(spec_file, run_dir, select, workers, components, chapters,
                              call_timeout, check_budget, load_timeout, memory_limit, run_timeout)
    build = functools.partial(_result, spec, boundary, memory_limit, started, out_dir)
    if progress is None and out_dir is not None and write:
        def progress(provisional):
            from .report import write_reports

            write_reports(provisional, out_dir)
    provisional = None if progress is None else (lambda: _provisional(run_dir, build, progress))
    try:
        raw_records, stopped = _run_pytest(command, run_dir, env, run_timeout, provisional)
        sources = merge_sources(run_dir)
    finally:
        if not os.environ.get("DLFS_KEEP_GRADE_RUN"):
            shutil.rmtree(run_dir, ignore_errors=True)
    result = build(raw_records, stopped)
    result.sources = sources
    result.notes.extend(safe_text(note, MESSAGE_BYTES) for note in source_notes(sources))
    if spec.kind in (Kind.BOOK, Kind.WORKSPACE) and Path(spec.path).is_dir():
        from .book_scan import scan_book_layout

        found = {record["component"] for record in sources["resolved"] if record.get("status") == "found"} \
            | set(sources["defined"])
        try:
            result.notes.extend(scan_book_layout(Path(spec.path), found=found))
        except Exception as error:  # the scan only adds notes; it never costs the score
            result.notes.append(_("the folder could not be scanned for notes ({error})",
                                  error=type(error).__name__ + ": " + str(error)))
    result.execution_time = time.monotonic() - started
    if out_dir is not None and write:
        from .report import write_reports

        result.notes.extend(write_reports(result, out_dir))
    return result


def _result(spec, boundary, memory_limit, started, out_dir, raw_records, stopped):
    """The GradeResult of `raw_records` (the plugin's), with the run's notes."""
    try:
        records = score_records(raw_records, spec.deviation_kind)
    except Exception as error:  # a harness bug: say so rather than lose the run
        raise GradingError(_("the records could not be scored ({error})", error=type(error).__name__ + ": " + str(error))) \
            from error
    result = GradeResult(
        impl=spec.given, label=safe_text(spec.display), kind=spec.kind.value, records=records,
        exact_score=sum((r.earned for r in records), Fraction(0)),
        exact_max_score=sum((r.points for r in records), Fraction(0)),
        out_dir=out_dir, boundary=boundary.describe(),
        limits=describe_envelope(boundary.name, Envelope(memory_bytes=int(memory_limit))),
        envelope=(boundary.name, Envelope(memory_bytes=int(memory_limit))))
    result.notes.extend(safe_text(note, MESSAGE_BYTES) for note in spec.notes)
    printed = sum(record.printed for record in raw_records)
    dropped = sum(record.dropped for record in raw_records)
    if dropped:
        # "at least": once past the cap the child prints to /dev/null, uncounted (checks/isolation/monitor.py)
        result.notes.append(_("output truncated: the implementation printed at least {printed} MB while graded; the "
                              "first {kept} MB was kept and the rest dropped (printing never changes a score)",
                              printed=format(printed / (1 << 20), ".1f"),
                              kept=format((printed - dropped) / (1 << 20), ".1f")))
    if stopped:
        result.notes.append(safe_text(_("grading stopped early: {reason}", reason=stopped), MESSAGE_BYTES))
    result.execution_time = time.monotonic() - started
    return result


def _provisional(run_dir, build, progress):
    """Hand `progress` what a stop now would leave: the checks reached, the others marked not reached."""
    raw = _partial_records(run_dir, Outcome.TIMEOUT, _("NOT REACHED: grading was stopped before this check "
                                                       "(the autograder's time or memory limit)"))
    if raw is not None:
        progress(build(raw, _("grading did not finish (stopped from outside: a time or memory limit); checks not "
                              "reached by then are marked as not reached")))
