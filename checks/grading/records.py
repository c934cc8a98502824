"""`Record`: how one check ended, as the process that ran it tells the scorer.

The grading plugin (checks/grading/plugin.py) writes one per check, one JSON object per
line as checks finish (`records.partial.jsonl`) and all of them at the end
(`records.json`); the in-kernel `check()` makes them in its own process. The scorer
(checks/grading/scoring.py) reads nothing else: every fact it uses is a field here,
never a search through a message or a pytest node id.
"""

import dataclasses
import json
from dataclasses import dataclass

from ..i18n import translator
from ..library.components import spellings
from ..library.outcomes import Outcome, Tolerated, classify

__all__ = ["MESSAGE_CHARS", "Record", "components_of", "record_of"]

MESSAGE_CHARS = 16 * 1024
_SPELLINGS = spellings()
_ = translator("grading")


@dataclass(frozen=True)
class Record:
    """One check as it ended.

    nodeid: pytest's id of the check, a key only (which checks were collected, which reported).
    check, case: the check's function name and its case's id; None when not a component check.
    outcome: how it ended (checks/library/outcomes.py).
    message: the diagnosis shown for it, capped at MESSAGE_CHARS ("" when it passed).
    phase: "setup" or "call", the phase that decided the outcome.
    duration: seconds, every phase together.
    xfail: pytest's xfail reason when the check was marked as a declared deviation.
    on_path: the graded components whose code ran on the failing path (every call of a
        check judged wrong, the failing call of one that raised); None when not known
        (a hang or a crash kills the process with what it knew).
    repeated: the check ended on a call not made again (it hung or crashed in an earlier check).
    tolerated: the deviations the check accepted (`Tolerated`).
    printed, dropped: bytes the implementation printed while the check ran, and how many of
        them were not kept (checks/isolation/monitor.py: printing never changes a score).
    variant: where the definition that failed is when it is one of the learner's other definitions
        of the component (checks/suite/test_components.py), not the one chosen first; None otherwise.
    """

    nodeid: str
    check: str | None
    case: str | None
    outcome: Outcome
    message: str = ""
    phase: str | None = None
    duration: float = 0.0
    xfail: str | None = None
    on_path: tuple | None = None
    repeated: bool = False
    tolerated: tuple = ()
    printed: int = 0
    dropped: int = 0
    variant: str | None = None

    def to_json(self):
        return {"nodeid": self.nodeid, "check": self.check, "case": self.case, "outcome": self.outcome.value,
                "message": self.message, "phase": self.phase, "duration": self.duration, "xfail": self.xfail,
                "on_path": None if self.on_path is None else list(self.on_path), "repeated": self.repeated,
                "tolerated": [t.to_json() for t in self.tolerated], "printed": self.printed,
                "dropped": self.dropped, "variant": self.variant}

    def to_line(self):
        """One line of JSON (records.partial.jsonl)."""
        return json.dumps(self.to_json()) + "\n"  # ASCII: a lone surrogate in a message stays writable

    @classmethod
    def from_json(cls, data):
        """The Record `to_json` made; ValueError (naming what is wrong) for anything else."""
        if not isinstance(data, dict):
            raise ValueError(f"a grading record is a JSON object, got {type(data).__name__}")
        try:
            on_path = data.get("on_path")
            return cls(
                nodeid=str(data["nodeid"]), check=_optional(data.get("check")), case=_optional(data.get("case")),
                outcome=Outcome(data["outcome"]), message=str(data.get("message") or ""),
                phase=_optional(data.get("phase")), duration=float(data.get("duration") or 0.0),
                xfail=_optional(data.get("xfail")),
                on_path=None if on_path is None else tuple(str(name) for name in on_path),
                repeated=bool(data.get("repeated")),
                tolerated=tuple(Tolerated.from_json(t) for t in data.get("tolerated") or ()),
                printed=int(data.get("printed") or 0), dropped=int(data.get("dropped") or 0),
                variant=_optional(data.get("variant")))
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"not a grading record ({type(error).__name__}: {error}): {str(data)[:200]}") from None

    @classmethod
    def from_line(cls, line):
        return cls.from_json(json.loads(line))

    def replace(self, **changes):
        return dataclasses.replace(self, **changes)


def _optional(value):
    return None if value is None else str(value)


def components_of(definitions):
    """The components among `definitions` (names as the code defines them: `ReLU` is Relu)."""
    return tuple(sorted({_SPELLINGS[name] for name in definitions if name in _SPELLINGS}))


def _cap(text, limit=MESSAGE_CHARS):
    text = text if isinstance(text, str) else str(text)
    if len(text) <= limit:
        return text
    return text[:limit] + "\n" + _("… ({count} more characters not shown)", count=len(text) - limit)


def record_of(nodeid, check, case, error, trace=None, phase="call", duration=0.0):
    """The Record of the check `check` (its name) on `case` (a case, or None) that ended with `error`
    (None: it passed), `trace` being the `CheckTrace` collected while it ran (None: none was)."""
    classified = classify(error)
    outcome = classified.outcome
    on_path, repeated, tolerated = None, False, ()
    if trace is not None:
        path = trace.path(outcome)
        on_path = None if path is None else components_of(path)
        repeated = trace.refused and outcome in (Outcome.TIMEOUT, Outcome.CRASHED)
        component = getattr(case, "component", "")
        tolerated = tuple(t if t.component else t.__class__(component, t.reason, t.where) for t in trace.tolerated)
    variant = getattr(error, "dlfs_variant", None)  # set by checks/suite/test_components.py
    return Record(nodeid=nodeid, check=check, case=getattr(case, "id", None), outcome=outcome,
                  message=_cap(classified.message), phase=phase, duration=float(duration), on_path=on_path,
                  repeated=repeated, tolerated=tolerated, variant=variant if isinstance(variant, str) else None)
