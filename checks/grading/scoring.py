"""Scoring: the `Record`s of a run (checks/grading/records.py) turned into scored
`CheckRecord`s and a `GradeResult`.

Runs in the grader's own process after every child is gone (checks/grading/run.py starts
the run), and in the kernel for `check()`. Points come from points.py; the credit rule
and the prerequisites are applied here, from the records' fields only.
"""

from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from ..i18n import N_, translator
from ..library.components import all_prerequisites
from ..library.outcomes import Outcome, Verdict
from ..library.catalog import all_checks, role_of
from ..library.registry import chapter_of
from .deviations import deviation_for
from .points import CHAPTERS, points_for
from .records import Record
from .safe_text import MESSAGE_BYTES, safe_text

__all__ = ["CheckRecord", "GradeResult", "OUTCOMES", "score_records"]

OUTCOMES = tuple(Verdict)
_ = translator("grading")


@dataclass
class CheckRecord:
    """One (check, case) pair as graded.

    `outcome` is its column in the score table (a `Verdict`), `detail` how it ended (an
    `Outcome`: its verdict is `outcome`); both compare equal to their values ("wrong").
    """

    nodeid: str
    name: str  # "<case id>-<check name>", the pytest id
    check: str
    case: str
    component: str
    chapter: int
    section: str
    outcome: Verdict
    detail: Outcome
    message: str  # the diagnosis ("" when passed)
    points: Fraction  # at stake (0 when not at stake)
    earned: Fraction
    blocked_by: tuple = ()
    duration: float = 0.0
    deviation: str = ""  # why it is not at stake, for outcome "deviation"
    on_path: tuple | None = None  # components whose code ran on the failing path (None: not known)
    repeated: bool = False  # ended on a call not made again (it hung or crashed in an earlier check)
    tolerated: tuple = ()  # `Tolerated` deviations the check accepted
    variant: str | None = None  # where the failing definition is, when not the one chosen first (records.py)

    def to_json(self):
        return {"nodeid": self.nodeid, "name": self.name, "check": self.check, "case": self.case,
                "component": self.component, "chapter": self.chapter, "section": self.section,
                "outcome": self.outcome.value, "detail": self.detail.value, "message": self.message,
                "points": float(self.points), "earned": float(self.earned), "blocked_by": list(self.blocked_by),
                "deviation": self.deviation, "duration": round(self.duration, 4),
                "on_path": None if self.on_path is None else list(self.on_path), "repeated": self.repeated,
                "tolerated": [t.to_json() for t in self.tolerated]}


@dataclass
class GradeResult:
    """What `grade` returns: exact scores (Fractions) and every record."""

    impl: str
    label: str
    kind: str  # "package", "book" or "overlay"
    records: list
    exact_score: Fraction
    exact_max_score: Fraction
    execution_time: float = 0.0
    notes: list = field(default_factory=list)  # findings outside the checks (np.int use, missing files)
    out_dir: Path | None = None
    boundary: str = ""  # what enclosed the implementation's process (checks/isolation/boundary.py)
    # a learner's folder: where each component was found and what could not be read (grading/provenance.py)
    sources: dict = field(default_factory=lambda: {"notes": [], "resolved": [], "defined": []})
    limits: str = ""  # what all of its processes could use together, and how that held (isolation/envelope.py)
    # (boundary name, Envelope) the limits line was written from, to say it again in the learner's language
    envelope: tuple = ()

    @property
    def score(self):
        return round(float(self.exact_score), 4)

    @property
    def max_score(self):
        return round(float(self.exact_max_score), 4)

    @property
    def percent(self):
        return 100.0 * float(self.exact_score / self.exact_max_score) if self.exact_max_score else 0.0

    def counts(self, chapter=None):
        counts = {verdict.value: 0 for verdict in Verdict}
        for record in self.records:
            if chapter is None or record.chapter == chapter:
                counts[record.outcome.value] += 1
        return counts

    def chapters(self):
        """[(chapter, title, earned, at stake, counts)] in book order."""
        rows = []
        for chapter in sorted({r.chapter for r in self.records}):
            chosen = [r for r in self.records if r.chapter == chapter]
            title = CHAPTERS[chapter].title if chapter in CHAPTERS else ""
            rows.append((chapter, title, sum((r.earned for r in chosen), Fraction(0)),
                         sum((r.points for r in chosen), Fraction(0)), self.counts(chapter)))
        return rows

    @property
    def deviations(self):
        return [r for r in self.records if r.outcome is Verdict.DEVIATION]

    @property
    def failures(self):
        return [r for r in self.records if r.outcome.failing]

    @property
    def tolerated(self):
        """[(Tolerated, names of the checks that accepted it)], each deviation once, in the order met."""
        found = {}
        for record in self.records:
            for tolerated in record.tolerated:
                found.setdefault(tolerated, []).append(record.name)
        return list(found.items())

    def to_json(self):
        return {"impl": self.impl, "label": self.label, "kind": self.kind, "score": self.score,
                "max_score": self.max_score, "percent": round(self.percent, 2),
                "execution_time": round(self.execution_time, 2), "notes": list(self.notes),
                "isolation": self.boundary, "limits": self.limits,
                "records": [r.to_json() for r in self.records]}


# -- the table of checks -------------------------------------------------------------
def _check_table(impl_kind):
    """{(case id, check name): (check, case, chapter, deviation or None)} for the whole suite."""
    table = {}
    for check, case in all_checks():
        table[(case.id, check.__name__)] = (check, case, chapter_of(case),
                                            deviation_for(impl_kind, check.__name__, case.component))
    return table


# -- scoring ---------------------------------------------------------------------------------
_PASSED = Verdict.PASSED


def _component_states(records):
    """component -> its worst verdict over its own at-stake checks (PASSED when all pass)."""
    states = {}
    order = (Verdict.WRONG, Verdict.ERROR, Verdict.NOT_ATTEMPTED)
    for record in records:
        if record.outcome is Verdict.DEVIATION or not record.points or record.detail is Outcome.GATED:
            continue
        state = states.setdefault(record.component, _PASSED)
        if record.outcome in order and (state is _PASSED or order.index(record.outcome) < order.index(state)):
            states[record.component] = record.outcome
    return states


_STATE_WORDS = {Verdict.WRONG: N_("wrong"), Verdict.ERROR: N_("fails with an error"),
                Verdict.NOT_ATTEMPTED: N_("not attempted")}


def _first_failure(records, component):
    for record in records:
        if record.component == component and record.outcome.failing and record.points:
            return record
    return None


def _attribute_to_prerequisites(records):
    """Say 'blocked: prerequisite X …' where a failure's path ran a component X that fails its own checks.

    Only what the failing path ran is blamed (`on_path`: every call of a check judged wrong,
    the failing call of one that raised); nothing when the path is not known (a hang, a
    crash). Among the failing prerequisites on the path, the roots are named: one whose
    own failing prerequisite is also on the path is left to that one.
    """
    # a failure of the learner's other definition of X (a draft in ch3/) is X's, never on the path of a check
    # of the definitions chosen first, which run X's chosen one: only its failures can block them. Another
    # definition may run the learner's other X (ch3/mnist_neuralnet.py's predict, ch3/softmax_func.py's
    # softmax): the path names X, not which of its definitions, so there any failure of X counts
    chosen_states = _component_states([record for record in records if record.variant is None])
    any_states = _component_states(records)
    for record in records:
        if not record.outcome.failing or record.detail in (Outcome.MISSING, Outcome.GATED) or not record.on_path:
            continue
        states = any_states if record.variant else chosen_states
        failed = [p for p in all_prerequisites(record.component)
                  if p in record.on_path and states.get(p, _PASSED) is not _PASSED]
        if record.outcome in (Verdict.WRONG, Verdict.ERROR):
            # a stub raises NotImplementedError, which would have made this check "not attempted":
            # a component that answered (wrongly) or raised something else did not go through one
            failed = [p for p in failed if states[p] is not Verdict.NOT_ATTEMPTED]
        blamed = [p for p in failed if not any(q in failed for q in all_prerequisites(p))]
        if not blamed:
            continue
        record.blocked_by = tuple(blamed)
        parts = []
        for name in blamed:
            first = _first_failure(records, name)
            where = _(" (see {name})", name=first.name) if first is not None else ""
            parts.append(f"{name} {_(_STATE_WORDS[states[name]])}{where}")
        first_line = record.message.strip().splitlines()[0] if record.message.strip() else ""
        record.message = (_("blocked: prerequisite {prerequisites} — {component} is built on it, so fix that first.",
                            prerequisites="; ".join(parts), component=record.component)
                          + "\n  " + _("this check: {first_line}", first_line=first_line))


def _apply_credit_rule(records):
    """Property checks earn points only next to a passing correctness check of the same component
    (each check's role is declared with it: `@check(role=...)`)."""
    anchored, has_anchor = set(), set()
    for record in records:
        if role_of(record.check) == "correctness" and record.outcome is not Verdict.DEVIATION and record.points:
            has_anchor.add(record.component)
            if record.outcome is _PASSED:
                anchored.add(record.component)
    for record in records:
        if role_of(record.check) == "property" and record.outcome is _PASSED and record.component in has_anchor \
                and record.component not in anchored:
            record.outcome, record.detail, record.earned = Verdict.WRONG, Outcome.GATED, Fraction(0)
            record.message = _("not credited: this property holds, but no correctness check of {component} passes — "
                               "a placeholder (e.g. one returning zeros) has it too. It earns its points once a "
                               "correctness check of {component} passes.", component=record.component)


def _records_from_run(records, table, points):
    scored = []
    for record in records:
        key = (record.case, record.check)
        if key not in table:
            continue  # not a component check (nothing else is collected from test_components.py)
        check, case, chapter, deviation = table[key]
        outcome = record.outcome
        message = safe_text(record.message, MESSAGE_BYTES)
        at_stake = points[key]
        reason = ""
        if deviation is not None or record.xfail:
            reason = deviation.reason if deviation is not None else record.xfail
            result = _("the check passes anyway") if outcome is Outcome.PASSED else \
                _("the check's outcome: {kind}", kind=outcome.value)
            outcome, at_stake = Outcome.DEVIATION, Fraction(0)
            message = _("declared deviation, not at stake: {reason} ({result})", reason=_(reason), result=result)
        elif outcome is Outcome.SKIPPED:
            at_stake, reason = Fraction(0), _("skipped by the check: {message}", message=message)
            message = _("not at stake: {reason}", reason=reason)
        verdict = outcome.verdict
        scored.append(CheckRecord(
            nodeid=record.nodeid, name=f"{case.id}-{check.__name__}", check=check.__name__, case=case.id,
            component=case.component, chapter=chapter, section=case.section, outcome=verdict, detail=outcome,
            message="" if verdict is _PASSED else message, points=at_stake,
            earned=at_stake if verdict is _PASSED else Fraction(0), duration=record.duration, deviation=reason,
            on_path=record.on_path, repeated=record.repeated, tolerated=record.tolerated,
            variant=record.variant if verdict is not _PASSED else None))
    order = {key: index for index, key in enumerate(table)}
    scored.sort(key=lambda r: order.get((r.case, r.check), len(order)))
    return scored


def score_records(records, impl_kind):
    """Turn a run's `Record`s (or their JSON objects) into scored CheckRecords (exposed for tests and tools)."""
    records = [r if isinstance(r, Record) else Record.from_json(r) for r in records]
    table = _check_table(impl_kind)
    points = points_for((key, chapter, check.__name__, deviation is None)
                        for key, (check, case, chapter, deviation) in table.items())
    scored = _records_from_run(records, table, points)
    _apply_credit_rule(scored)
    _attribute_to_prerequisites(scored)
    return scored
