"""pytest plugin used by `checks.grading.grade` (loaded with `-p checks.grading.plugin`).

It runs inside the grading pytest process (and its xdist workers), never beside the
implementation:

- classifies every check's outcome from the exception it ended with and attaches it
  to the report (`user_properties`, which xdist carries to the controller);
- gives each check a time budget and each call a time limit, and the child process
  its memory limit (on the child transport);
- stops paying time limits again and again: a call that hung is not made again
  (checks/isolation/adapters.py); once a component hung, the components built on it get a
  short per-call limit, and so does every call once the run has lost HANG_BUDGET
  seconds to time-outs (shared between xdist workers through a file in the private
  grading folder);
- optionally keeps only some components or chapters;
- in the controller, appends each record to `<grade-dir>/records.partial.jsonl` as soon
  as its check is done (so a run stopped by its total time limit keeps every verdict
  reached), writes the collected node ids to `collected.json`, and every record to
  `<grade-dir>/records.json` at the end.

Messages are capped (MESSAGE_CHARS) before they travel: a submission printing 80 MB
into an exception must not make the records themselves huge.
"""

import json
import os
import time
import traceback
from pathlib import Path

import pytest

from ..i18n import translator
from ..library.errors import (
    CheckFailure,
    ImplementationCrashed,
    ImplementationError,
    ImplementationTimeout,
    MissingComponent,
    NotAttempted,
)
from ..library.components import all_prerequisites
from ..library.registry import chapter_of

RECORDS = "records.json"
PARTIAL = "records.partial.jsonl"
COLLECTED = "collected.json"
TIMEOUTS = "timeouts.txt"
MESSAGE_CHARS = 16 * 1024
DEPENDENT_CALL_TIMEOUT = 2.0
HANG_BUDGET = 120.0  # seconds of time-outs in one run after which every call gets DEPENDENT_CALL_TIMEOUT
# and every start or import SHORT_LOAD_TIMEOUT (starting the child took 2.4 s at load average 10)
SHORT_LOAD_TIMEOUT = 10.0
_PROPERTY = "dlfs"
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
        component, _, rest = line.partition("\t")
        seconds, _, message = rest.partition("\t")
        found.setdefault(component, message)
        try:
            lost += float(seconds)
        except ValueError:
            pass
    return found, lost


def _remember_timeout(config, component, seconds, message):
    path = _timeouts_file(config)
    if path is None:
        return
    line = f"{component}\t{seconds:.3f}\t{' '.join(message.split())[:300]}\n".encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)


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
        yield
    finally:
        if transport is not None and hasattr(transport, "deadline"):
            transport.deadline = None
        if before is not None:  # what the implementation printed during this check (the report says if cut)
            item._dlfs_printed = (output.total - before[0], output.dropped - before[1])


# -- outcomes -----------------------------------------------------------------------
def classify(excinfo):
    """(kind, message, text to search for prerequisite names) of a finished phase."""
    if excinfo is None:
        return "passed", "", ""
    error = excinfo.value
    if isinstance(error, CheckFailure):
        return "wrong", str(error), str(error)
    if isinstance(error, NotAttempted):
        # the outcome's label is the report's to add (results.json, summary), once
        return "not_attempted", _("{component} raised NotImplementedError: {message}", component=error.component,
                                  message=error.message), \
            f"{error.message}\n{error.traceback_text}"
    if isinstance(error, ImplementationError):
        message = str(error)
        if error.type_name == "TypeError" and ("unexpected keyword argument" in error.message
                                               or "positional argument" in error.message):
            message += "\n  " + _("hint: {hint}", hint=_("the checks call the book's names, signatures and keywords "
                                                          "(train_flg, dropout_ration, …); a renamed or missing "
                                                          "argument is not adapted"))
        return "error", message, f"{error.message}\n{error.traceback_text}"
    if isinstance(error, MissingComponent):
        return "missing", str(error), str(error)
    # A hang or a crash says where it was entered, not where it happened: nothing to search.
    if isinstance(error, ImplementationTimeout):
        return "timeout", _("TIMED OUT: {error}", error=str(error)), ""
    if isinstance(error, ImplementationCrashed):
        return "crashed", _("CRASHED: {error}", error=str(error)), ""
    if isinstance(error, (pytest.skip.Exception, pytest.xfail.Exception)):
        return "skipped", str(error), ""
    # The check itself raised: it could not use what the implementation returned
    # (e.g. float() of an array), or the harness has a bug. Kept apart: "harness".
    text = "".join(traceback.format_exception_only(type(error), error)).strip()
    where = traceback.extract_tb(excinfo.tb)[-1] if excinfo.tb is not None else None
    place = f" ({Path(where.filename).name}:{where.lineno}, {where.name})" if where else ""
    return "harness", _("the check could not use what the implementation returned: {error}", error=text + place), text


def _cap(text, limit=MESSAGE_CHARS):
    text = text if isinstance(text, str) else str(text)
    if len(text) <= limit:
        return text
    return text[:limit] + "\n" + _("… ({count} more characters not shown)", count=len(text) - limit)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if call.when == "teardown" or (call.when == "setup" and call.excinfo is None):
        return
    try:
        kind, message, search = classify(call.excinfo)
    except Exception as error:  # a message that cannot even be turned into text
        kind, message, search = "harness", _("the check's outcome could not be read: {error}",
                                             error=type(error).__name__), ""
    message, search = _cap(message), _cap(search, 4 * MESSAGE_CHARS)
    check, case = _case_of(item)
    if kind == "timeout" and call.when == "call" and case is not None:
        _remember_timeout(item.config, case.component, call.duration, message)
    info = {"kind": kind, "message": message, "search": search,
            "check": getattr(check, "__name__", None), "case": getattr(case, "id", None)}
    printed, dropped = getattr(item, "_dlfs_printed", (0, 0)) if call.when == "call" else (0, 0)
    if printed:
        info.update(printed=printed, dropped=dropped)
    report.user_properties.append((_PROPERTY, json.dumps(info)))


# -- records (controller) -----------------------------------------------------------------
class _Recorder:
    def __init__(self):
        self.records = {}
        self.expected = set()
        self.partial = None  # path of the records.partial.jsonl file (controller only)

    def finished(self, nodeid):
        """Append the record of a finished check to the partial file (one JSON line)."""
        if self.partial is None or nodeid not in self.records:
            return
        line = json.dumps(self.records[nodeid]) + "\n"
        try:
            fd = os.open(self.partial, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            try:
                os.write(fd, line.encode("utf-8"))
            finally:
                os.close(fd)
        except OSError:  # only a stopped run reads this file; the full records.json still comes at the end
            pass

    def add(self, report):
        info = None
        for name, value in report.user_properties:
            if name == _PROPERTY:
                info = json.loads(value)
        record = self.records.setdefault(report.nodeid, {
            "nodeid": report.nodeid, "kind": None, "message": "", "search": "", "duration": 0.0,
            "wasxfail": None, "phase": None, "check": None, "case": None})
        record["duration"] += float(getattr(report, "duration", 0.0) or 0.0)
        if hasattr(report, "wasxfail"):
            record["wasxfail"] = report.wasxfail or "declared deviation"
        if report.when == "teardown":
            return
        if info is not None and info.get("printed"):
            record["printed"] = record.get("printed", 0) + info["printed"]
            record["dropped"] = record.get("dropped", 0) + info["dropped"]
        if info is not None and (record["kind"] in (None, "passed") or report.when == "setup"):
            record.update(kind=info["kind"], message=info["message"], search=info["search"], phase=report.when,
                          check=info.get("check"), case=info.get("case"))
        elif info is None and report.failed and record["kind"] in (None, "passed"):
            # no classification travelled with the report: the worker running it died
            text = str(report.longrepr)[-2000:] if report.longrepr else "no report"
            record.update(kind="crashed", message=_("CRASHED: the grading worker stopped during this check: {error}",
                                                                  error=text),
                          search="", phase=report.when)


_recorder = _Recorder()


def _write_collected(config):
    folder = config.getoption("--grade-dir")
    if folder is None:
        return
    _recorder.partial = Path(folder) / PARTIAL
    path = Path(folder) / COLLECTED
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(sorted(_recorder.expected)), encoding="utf-8")
    os.replace(temporary, path)


def pytest_collection_finish(session):
    if not hasattr(session.config, "workerinput"):
        _recorder.expected.update(item.nodeid for item in session.items)
        _write_collected(session.config)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node, ids):
    _recorder.expected.update(ids)
    _write_collected(node.config)


def pytest_runtest_logreport(report):
    _recorder.add(report)
    if report.when == "teardown":
        _recorder.finished(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    config = session.config
    folder = config.getoption("--grade-dir")
    if folder is None or hasattr(config, "workerinput"):
        return
    records = []
    for nodeid in sorted(_recorder.expected | set(_recorder.records)):
        record = _recorder.records.get(nodeid)
        if record is None or record["kind"] is None:
            record = {"nodeid": nodeid, "kind": "crashed", "phase": None, "duration": 0.0, "wasxfail": None,
                      "message": _("CRASHED: the check never reported (its grading worker stopped)"), "search": "",
                      "check": None, "case": None}
        records.append(record)
    payload = {"exitstatus": int(exitstatus), "records": records}
    path = Path(folder) / RECORDS
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(payload), encoding="utf-8")
    os.replace(temporary, path)
