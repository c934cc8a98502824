"""pytest plugin used by `checks.grading.grade` (loaded with `-p checks.grading.plugin`).

It runs inside the grading pytest process (and its xdist workers), never beside the
implementation:

- collects each check's trace while it runs (checks/library/outcomes.py) and turns how
  it ended into a `Record` (checks/grading/records.py), attached to its report
  (`user_properties`, which xdist carries to the controller);
- gives each check a time budget and each call a time limit, and the child process
  its memory limit (on the child transport);
- stops paying time limits again and again: a call that hung is not made again
  (checks/isolation/adapters.py); once a component hung, the components built on it get a
  short per-call limit, and so does every call once the run has lost HANG_BUDGET
  seconds to time-outs (shared between xdist workers through a file in the private
  grading folder);
- optionally keeps only some components or chapters;
- writes the collected checks to `<grade-dir>/collected.json` ([{nodeid, check, case}],
  from whichever process collected them: the controller, or each xdist worker); in the
  controller, appends each record to `<grade-dir>/records.partial.jsonl` as soon as its
  check is done (so a run stopped by its total time limit keeps every verdict
  reached), and writes every record to `<grade-dir>/records.json` at the end.

Messages are capped (records.MESSAGE_CHARS) before they travel: a submission printing
80 MB into an exception must not make the records themselves huge.
"""

import json
import os
import time
from pathlib import Path

import pytest

from ..files import write_atomic
from ..i18n import translator
from ..library.components import all_prerequisites
from ..library.outcomes import Outcome, tracing
from ..library.registry import chapter_of
from .records import Record, record_of

RECORDS = "records.json"
PARTIAL = "records.partial.jsonl"
COLLECTED = "collected.json"
TIMEOUTS = "timeouts.jsonl"
DEPENDENT_CALL_TIMEOUT = 2.0
HANG_BUDGET = 120.0  # seconds of time-outs in one run after which every call gets DEPENDENT_CALL_TIMEOUT
# and every start or import SHORT_LOAD_TIMEOUT (starting the child took 2.4 s at load average 10)
SHORT_LOAD_TIMEOUT = 10.0
_PROPERTY = "dlfs"
_TRACE = pytest.StashKey()
_ = translator("grading")


def pytest_addoption(parser):
    group = parser.getgroup("dlfs grading")
    group.addoption("--grade-dir", default=None, help="private folder for the grading records")
    group.addoption("--grade-call-timeout", type=float, default=None, help="time limit of one call (s)")
    group.addoption("--grade-check-budget", type=float, default=None, help="time budget of one check (s)")
    group.addoption("--grade-load-timeout", type=float, default=None,
                    help="time limit for starting the process and importing a component (s)")
    group.addoption("--grade-memory-limit", type=int, default=None,
                    help="memory of all of the implementation's processes together (bytes)")
    group.addoption("--grade-run-timeout", type=float, default=None,
                    help="seconds the whole run may take (a fifth of it, at most HANG_BUDGET, may go to time-outs)")
    group.addoption("--grade-components", default=None, help="comma-separated components to keep")
    group.addoption("--grade-chapters", default=None, help="comma-separated chapters to keep")


def _case_of(item):
    callspec = getattr(item, "callspec", None)
    if callspec is None:
        return None, None
    return callspec.params.get("check"), callspec.params.get("case")


def pytest_collection_modifyitems(config, items):
    components = config.getoption("--grade-components")
    chapters = config.getoption("--grade-chapters")
    if not components and not chapters:
        return
    components = set(filter(None, (components or "").split(","))) or None
    chapters = {int(c) for c in (chapters or "").split(",") if c.strip()} or None
    keep, drop = [], []
    for item in items:
        _, case = _case_of(item)
        wanted = case is not None and (components is None or case.component in components) \
            and (chapters is None or chapter_of(case) in chapters)
        (keep if wanted else drop).append(item)
    if drop:
        items[:] = keep
        config.hook.pytest_deselected(items=drop)


# -- time limits and the memory of timeouts (workers) --------------------------------
def _timeouts_file(config):
    folder = config.getoption("--grade-dir")
    return Path(folder) / TIMEOUTS if folder else None


def _timeouts(config):
    """({component: first message}, seconds lost) over every check that timed out so far."""
    path = _timeouts_file(config)
    if path is None or not path.is_file():
        return {}, 0.0
    found, lost = {}, 0.0
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            entry = json.loads(line)
            found.setdefault(str(entry["component"]), str(entry["message"]))
            lost += float(entry["seconds"])
        except (ValueError, KeyError, TypeError):
            continue  # a line a worker was writing when it died
    return found, lost


def _remember_timeout(config, component, seconds, message):
    path = _timeouts_file(config)
    if path is not None:
        _append(path, json.dumps({"component": component, "seconds": float(seconds), "message": message[:300]}) + "\n")


def _limits(item):
    """(per-call limit, load limit) for this check: short ones when a prerequisite
    already hung, or when the run has already lost HANG_BUDGET seconds to time-outs.

    A component built on one that hangs (TwoLayerNet over an Affine.backward that
    loops) would hang in each of its own methods reaching it; honest calls take
    milliseconds (the reference's slowest, 0.14 s at load average 10 on 2 cores), so a
    short limit keeps their checks right and costs little. The budget bounds a
    submission that hangs everywhere: without it, each of its ~100 methods, and each
    file of a book-layout folder hanging at import, would cost the full limit once.
    """
    call_timeout = item.config.getoption("--grade-call-timeout")
    load_timeout = item.config.getoption("--grade-load-timeout")
    _, case = _case_of(item)
    if case is None:
        return call_timeout, load_timeout
    timed_out, lost = _timeouts(item.config)
    run_timeout = item.config.getoption("--grade-run-timeout")
    over_budget = lost >= min(HANG_BUDGET, run_timeout / 5 if run_timeout else HANG_BUDGET)
    if over_budget or any(prerequisite in timed_out for prerequisite in all_prerequisites(case.component)):
        call_timeout = min(call_timeout or DEPENDENT_CALL_TIMEOUT, DEPENDENT_CALL_TIMEOUT)
    if over_budget:
        load_timeout = min(load_timeout or SHORT_LOAD_TIMEOUT, SHORT_LOAD_TIMEOUT)
    return call_timeout, load_timeout


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    impl = getattr(item, "funcargs", {}).get("impl")
    transport = getattr(impl, "transport", None)
    if transport is not None and getattr(transport, "isolated", False):
        call_timeout, load_timeout = _limits(item)
        budget = item.config.getoption("--grade-check-budget")
        memory_limit = item.config.getoption("--grade-memory-limit")
        if memory_limit:
            transport.memory_bytes = memory_limit  # applied when the process (re)starts
        if call_timeout:
            transport.call_timeout = call_timeout
        if load_timeout:
            transport.load_timeout = load_timeout
        if budget:
            transport.deadline = time.monotonic() + budget
    output = getattr(transport, "output", None)
    before = (output.total, output.dropped) if output is not None else None
    try:
        with tracing() as trace:
            item.stash[_TRACE] = trace
            yield
    finally:
        if transport is not None and hasattr(transport, "deadline"):
            transport.deadline = None
        if before is not None:  # what the implementation printed during this check (the report says if cut)
            item._dlfs_printed = (output.total - before[0], output.dropped - before[1])


# -- outcomes -----------------------------------------------------------------------
@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if call.when == "teardown" or (call.when == "setup" and call.excinfo is None):
        return
    check, case = _case_of(item)
    record = record_of(report.nodeid, getattr(check, "__name__", None), case,
                       call.excinfo.value if call.excinfo is not None else None,
                       item.stash.get(_TRACE, None) if call.when == "call" else None, phase=call.when)
    if record.outcome is Outcome.TIMEOUT and call.when == "call" and case is not None:
        _remember_timeout(item.config, case.component, call.duration, record.message)
    if call.when == "call":
        printed, dropped = getattr(item, "_dlfs_printed", (0, 0))
        record = record.replace(printed=printed, dropped=dropped)
    report.user_properties.append((_PROPERTY, json.dumps(record.to_json())))


# -- records (controller) -----------------------------------------------------------------
def _append(path, text):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.write(fd, text.encode("utf-8"))
    finally:
        os.close(fd)


class _Recorder:
    def __init__(self):
        self.records = {}  # nodeid -> the Record of the phase that decided its outcome so far
        self.durations = {}
        self.xfails = {}
        self.expected = set()
        self.keys = {}  # nodeid -> (check, case), from collected.json
        self.folder = None  # the grading folder (controller only)

    def key(self, nodeid):
        if nodeid not in self.keys and self.folder is not None:
            try:
                for entry in json.loads((self.folder / COLLECTED).read_text(encoding="utf-8")):
                    self.keys.setdefault(entry["nodeid"], (entry.get("check"), entry.get("case")))
            except (OSError, ValueError, TypeError, KeyError):
                pass
        return self.keys.get(nodeid, (None, None))

    def record(self, nodeid):
        """The record of `nodeid` with its durations and xfail reason so far (None: no verdict yet)."""
        record = self.records.get(nodeid)
        if record is None:
            return None
        return record.replace(duration=self.durations.get(nodeid, 0.0), xfail=self.xfails.get(nodeid))

    def finished(self, nodeid):
        """Append the record of a finished check to the partial file (one JSON line)."""
        record = self.record(nodeid)
        if self.folder is None or record is None:
            return
        try:
            _append(self.folder / PARTIAL, record.to_line())
        except OSError:  # only a stopped run reads this file; the full records.json still comes at the end
            pass

    def add(self, report):
        nodeid = report.nodeid
        self.durations[nodeid] = self.durations.get(nodeid, 0.0) + float(getattr(report, "duration", 0.0) or 0.0)
        if hasattr(report, "wasxfail"):
            self.xfails[nodeid] = report.wasxfail or "declared deviation"
        if report.when == "teardown":
            return
        info = None
        for name, value in report.user_properties:
            if name == _PROPERTY:
                info = Record.from_json(json.loads(value))
        current = self.records.get(nodeid)
        if info is not None and (current is None or current.outcome is Outcome.PASSED or report.when == "setup"):
            self.records[nodeid] = info
        elif info is None and report.failed and (current is None or current.outcome is Outcome.PASSED):
            # no record travelled with the report: the worker running it died
            text = str(report.longrepr)[-2000:] if report.longrepr else "no report"
            check, case = self.key(nodeid)
            self.records[nodeid] = Record(
                nodeid, check, case, Outcome.CRASHED, phase=report.when,
                message=_("CRASHED: the grading worker stopped during this check: {error}", error=text))


_recorder = _Recorder()


def _write_collected(config, items):
    """collected.json: every collected check as {nodeid, check, case} (also the sign collection finished)."""
    folder = config.getoption("--grade-dir")
    if folder is None:
        return
    entries = []
    for item in items:
        check, case = _case_of(item)
        entries.append({"nodeid": item.nodeid, "check": getattr(check, "__name__", None),
                        "case": getattr(case, "id", None)})
    write_atomic(Path(folder) / COLLECTED, json.dumps(entries))  # xdist workers each write it whole


def pytest_configure(config):
    folder = config.getoption("--grade-dir", None)
    if folder is not None and not hasattr(config, "workerinput"):
        _recorder.folder = Path(folder)


def pytest_collection_finish(session):
    if not session.config.pluginmanager.has_plugin("dsession"):  # xdist's controller collects nothing itself
        _write_collected(session.config, session.items)
    if not hasattr(session.config, "workerinput"):
        _recorder.expected.update(item.nodeid for item in session.items)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node, ids):
    _recorder.expected.update(ids)


def pytest_runtest_logreport(report):
    _recorder.add(report)
    if report.when == "teardown":
        _recorder.finished(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    if _recorder.folder is None or hasattr(session.config, "workerinput"):
        return
    records = []
    for nodeid in sorted(_recorder.expected | set(_recorder.records)):
        record = _recorder.record(nodeid)
        if record is None:
            check, case = _recorder.key(nodeid)
            record = Record(nodeid, check, case, Outcome.CRASHED,
                            message=_("CRASHED: the check never reported (its grading worker stopped)"))
        records.append(record.to_json())
    payload = {"exitstatus": int(exitstatus), "records": records}
    write_atomic(_recorder.folder / RECORDS, json.dumps(payload))
