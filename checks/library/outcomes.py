"""The one outcome model: how a check ended, what a learner reads for it, and what it leaves behind.

Grading (checks/grading/plugin.py), the in-kernel `check()` (checks/grading/in_kernel.py)
and pytest's own reports (the root conftest.py) all ask `classify(error)` how a check
ended, and get an `Outcome` and the message to show. Every outcome falls in one of the
five columns of the score table, its `Verdict`:

    Outcome          Verdict         set by
    passed           passed          classify (no exception)
    wrong            wrong           classify (CheckFailure)
    gated            wrong           the scorer's credit rule (checks/grading/scoring.py)
    not_attempted    not_attempted   classify (NotImplementedError in the implementation)
    missing          not_attempted   classify (no such component, or its file failed to import)
    error            error           classify (the implementation raised)
    timeout          error           classify (a call or the check ran out of time)
    crashed          error           classify (the implementation's process died)
    harness          error           classify (the check itself raised on what it got back)
    not_graded       error           the reports, when grading could not run at all
    skipped          deviation       classify (the check skipped itself)
    deviation        deviation       the scorer (a deviation declared for this implementation)

While a check runs, a `CheckTrace` collects what the implementation's side knows and the
check's verdict needs: the graded components whose code ran (for "blocked by
prerequisite X" only when X is on the failing path), whether the check ended on a call
refused because it hung or crashed before, and the deviations the check tolerated
(`tolerate`): an older form of the book's own code, a NumPy alias restored.
"""

import contextlib
import contextvars
import sys
import traceback
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from checks.i18n import N_, translator

from .errors import (
    CheckFailure,
    ImplementationCrashed,
    ImplementationError,
    ImplementationTimeout,
    MissingComponent,
    NotAttempted,
)

__all__ = ["CheckTrace", "Classified", "Outcome", "Tolerated", "Verdict", "classify", "current_trace",
           "tolerate", "tracing"]

_ = translator("grading")


class _Text(str, Enum):
    """A str-valued enum that prints as its value everywhere (f-strings included, on every Python)."""

    __str__ = str.__str__
    __format__ = str.__format__


class Verdict(_Text):
    """The five columns of the score table; results.json's tags and junit.xml's kinds."""

    PASSED = "passed"
    WRONG = "wrong"
    NOT_ATTEMPTED = "not_attempted"
    ERROR = "error"
    DEVIATION = "deviation"

    @property
    def word(self):
        """The column's word as a learner reads it (translate with `_`)."""
        return _WORDS[self]

    @property
    def failing(self):
        return self in (Verdict.WRONG, Verdict.NOT_ATTEMPTED, Verdict.ERROR)


_WORDS = {Verdict.PASSED: N_("passed"), Verdict.WRONG: N_("wrong"), Verdict.NOT_ATTEMPTED: N_("not attempted"),
          Verdict.ERROR: N_("error"), Verdict.DEVIATION: N_("deviation")}


class Outcome(_Text):
    """How one check ended (see the module's table)."""

    PASSED = "passed"
    WRONG = "wrong"
    GATED = "gated"
    NOT_ATTEMPTED = "not_attempted"
    MISSING = "missing"
    ERROR = "error"
    TIMEOUT = "timeout"
    CRASHED = "crashed"
    HARNESS = "harness"
    NOT_GRADED = "not_graded"
    SKIPPED = "skipped"
    DEVIATION = "deviation"

    @property
    def verdict(self):
        return _VERDICTS[self]

    @property
    def path_known(self):
        """Whether the trace says which code the failing path ran: not after a hang or a crash, whose
        process was killed with what it knew (the call is known, not where it was when it stopped)."""
        return self in (Outcome.WRONG, Outcome.NOT_ATTEMPTED, Outcome.ERROR, Outcome.HARNESS)


_VERDICTS = {
    Outcome.PASSED: Verdict.PASSED,
    Outcome.WRONG: Verdict.WRONG, Outcome.GATED: Verdict.WRONG,
    Outcome.NOT_ATTEMPTED: Verdict.NOT_ATTEMPTED, Outcome.MISSING: Verdict.NOT_ATTEMPTED,
    Outcome.ERROR: Verdict.ERROR, Outcome.TIMEOUT: Verdict.ERROR, Outcome.CRASHED: Verdict.ERROR,
    Outcome.HARNESS: Verdict.ERROR, Outcome.NOT_GRADED: Verdict.ERROR,
    Outcome.SKIPPED: Verdict.DEVIATION, Outcome.DEVIATION: Verdict.DEVIATION,
}


@dataclass(frozen=True)
class Classified:
    """What `classify` says: the outcome and the message shown for it ("" when passed)."""

    outcome: Outcome
    message: str


_RENAMED_ARGUMENT = N_("the checks call the book's names, signatures and keywords (train_flg, dropout_ration, …); "
                       "a renamed or missing argument is not adapted")


def _skipped(error):
    """Whether `error` is pytest's skip or xfail (pytest is looked up only where it is loaded)."""
    outcomes = sys.modules.get("_pytest.outcomes")
    return outcomes is not None and isinstance(error, (outcomes.Skipped, outcomes.XFailed))


def classify(error):
    """The `Classified` outcome of a check that ended with `error` (None: it passed).

    Never raises: a message that cannot even be turned into text is itself the harness's outcome.
    """
    try:
        return _classify(error)
    except Exception as failure:  # noqa: BLE001 - str() of a submission's object may raise anything
        return Classified(Outcome.HARNESS, _("the check's outcome could not be read: {error}",
                                             error=type(failure).__name__))


def _classify(error):
    if error is None:
        return Classified(Outcome.PASSED, "")
    if isinstance(error, CheckFailure):
        return Classified(Outcome.WRONG, str(error))
    if isinstance(error, NotAttempted):
        # the outcome's label is the report's to add (results.json, summary), once
        return Classified(Outcome.NOT_ATTEMPTED, _("{component} raised NotImplementedError: {message}",
                                                   component=error.component, message=error.message))
    if isinstance(error, ImplementationError):
        message = str(error)
        if error.type_name == "TypeError" and ("unexpected keyword argument" in error.message
                                               or "positional argument" in error.message):
            message += "\n  " + _("hint: {hint}", hint=_(_RENAMED_ARGUMENT))
        return Classified(Outcome.ERROR, message)
    if isinstance(error, MissingComponent):
        return Classified(Outcome.MISSING, str(error))
    if isinstance(error, ImplementationTimeout):
        return Classified(Outcome.TIMEOUT, _("TIMED OUT: {error}", error=str(error)))
    if isinstance(error, ImplementationCrashed):
        return Classified(Outcome.CRASHED, _("CRASHED: {error}", error=str(error)))
    if _skipped(error):
        return Classified(Outcome.SKIPPED, str(error))
    # The check itself raised: it could not use what the implementation returned
    # (e.g. float() of an array), or the harness has a bug. Kept apart: "harness".
    text = "".join(traceback.format_exception_only(type(error), error)).strip()
    frames = traceback.extract_tb(error.__traceback__) if error.__traceback__ is not None else []
    place = f" ({Path(frames[-1].filename).name}:{frames[-1].lineno}, {frames[-1].name})" if frames else ""
    return Classified(Outcome.HARNESS, _("the check could not use what the implementation returned: {error}",
                                         error=text + place))


# -- what a check leaves behind ---------------------------------------------------------
@dataclass(frozen=True)
class Tolerated:
    """A deviation a check accepted without taking points: an older form of the book's own code,
    a NumPy alias restored for grading. Listed in results.json's extra_data and the summary's notes.

    `reason` is a text marked with `N_` (rendered in the learner's language where it is shown);
    `where` says where in the implementation, when known ("common/functions.py:10").
    """

    component: str
    reason: str
    where: str = ""

    def to_json(self):
        msgid, params = getattr(self.reason, "msgid", str(self.reason)), getattr(self.reason, "params", {})
        return {"component": self.component, "reason": msgid, "params": {k: str(v) for k, v in params.items()},
                "where": self.where}

    @classmethod
    def from_json(cls, data):
        return cls(str(data["component"]), N_(str(data["reason"]), **dict(data.get("params") or {})),
                   str(data.get("where") or ""))


@dataclass
class CheckTrace:
    """What the implementation's side reported while one check ran (filled in by
    checks/isolation/adapters.py through `current_trace()`).

    ran: definitions (class or function names, as the code names them) whose code ran in
        any call of the check; `failing_call`: those of the last call that raised, None
        when none did. The grader maps them to components (checks/library/components.py).
    refused: the check ended on a call not made again (it hung or crashed in an earlier check).
    tolerated: `Tolerated` deviations, in the order met.
    """

    ran: set = field(default_factory=set)
    failing_call: frozenset | None = None
    refused: bool = False
    tolerated: list = field(default_factory=list)

    def add_call(self, ran, failed=False):
        ran = frozenset(ran)
        self.ran |= ran
        if failed:
            self.failing_call = ran

    def tolerate(self, tolerated):
        if tolerated not in self.tolerated:
            self.tolerated.append(tolerated)

    def path(self, outcome):
        """The definitions on the failing path of a check that ended with `outcome`, or None when unknown:
        the failing call's for an exception the implementation raised, every call's for a wrong value."""
        if not outcome.path_known:
            return None
        if outcome in (Outcome.ERROR, Outcome.NOT_ATTEMPTED) and self.failing_call is not None:
            return self.failing_call
        return frozenset(self.ran)


_TRACE = contextvars.ContextVar("dlfs_check_trace", default=None)


def current_trace():
    """The `CheckTrace` of the check running now, or None (nobody collects: nothing is traced)."""
    return _TRACE.get()


@contextlib.contextmanager
def tracing():
    """Collect a `CheckTrace` while the block (one check) runs."""
    trace = CheckTrace()
    token = _TRACE.set(trace)
    try:
        yield trace
    finally:
        _TRACE.reset(token)


def tolerate(component, reason, where=""):
    """Say that the running check accepted a deviation of `component` (see `Tolerated`); a no-op when
    nobody collects (a plain pytest run)."""
    trace = current_trace()
    if trace is not None:
        trace.tolerate(Tolerated(component, reason, where))
