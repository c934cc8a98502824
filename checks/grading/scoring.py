"""Scoring: the plugin's raw records turned into scored `CheckRecord`s and a `GradeResult`.

Runs in the grader's own process after every child is gone (checks/grading/run.py starts
the run). Points come from points.py; the credit rule and the prerequisites are applied
here.
"""

import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from ..i18n import N_, translator
from ..library.components import all_prerequisites
from ..library.registry import all_checks, chapter_of, role_of
from .deviations import deviation_for
from .points import CHAPTERS, points_for
from .safe_text import MESSAGE_BYTES, safe_text

__all__ = ["CheckRecord", "GradeResult", "OUTCOMES", "score_records"]

OUTCOMES = ("passed", "wrong", "not_attempted", "error", "deviation")
_NODE = re.compile(r"\[(?P<case>.+)-(?P<check>check_\w+)\]$")
_ = translator("grading")
_KIND_TO_OUTCOME = {"passed": "passed", "wrong": "wrong", "not_attempted": "not_attempted",
                    "missing": "not_attempted", "error": "error", "timeout": "error", "crashed": "error",
                    "harness": "error", "skipped": "deviation"}


@dataclass
class CheckRecord:
    """One (check, case) pair as graded."""

    nodeid: str
    name: str  # "<case id>-<check name>", the pytest id
    check: str
    case: str
    component: str
    chapter: int
    section: str
    outcome: str  # one of OUTCOMES
    detail: str  # finer reason: wrong/gated, not_attempted/missing, error/timeout/crashed/harness, ...
    message: str  # the diagnosis ("" when passed)
    points: Fraction  # at stake (0 when not at stake)
    earned: Fraction
    blocked_by: tuple = ()
    duration: float = 0.0
    deviation: str = ""  # why it is not at stake, for outcome "deviation"

    def to_json(self):
        return {"nodeid": self.nodeid, "name": self.name, "check": self.check, "case": self.case,
                "component": self.component, "chapter": self.chapter, "section": self.section,
                "outcome": self.outcome, "detail": self.detail, "message": self.message,
                "points": float(self.points), "earned": float(self.earned), "blocked_by": list(self.blocked_by),
                "deviation": self.deviation, "duration": round(self.duration, 4)}


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
        counts = dict.fromkeys(OUTCOMES, 0)
        for record in self.records:
            if chapter is None or record.chapter == chapter:
                counts[record.outcome] += 1
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
        return [r for r in self.records if r.outcome == "deviation"]

    @property
    def failures(self):
        return [r for r in self.records if r.outcome in ("wrong", "not_attempted", "error")]

    def to_json(self):
        return {"impl": self.impl, "label": self.label, "kind": self.kind, "score": self.score,
                "max_score": self.max_score, "percent": round(self.percent, 2),
                "execution_time": round(self.execution_time, 2), "notes": list(self.notes),
                "isolation": self.boundary,
                "records": [r.to_json() for r in self.records]}


# -- the table of checks -------------------------------------------------------------
def _check_table(impl_kind):
    """{(case id, check name): (check, case, chapter, deviation or None)} for the whole suite."""
    table = {}
    for check, case in all_checks():
        table[(case.id, check.__name__)] = (check, case, chapter_of(case),
                                            deviation_for(impl_kind, check.__name__, case.component))
    return table


def _deviation_kind(spec):
    return "book" if spec["kind"] == "book" else "package"


# -- scoring ---------------------------------------------------------------------------------
def _component_states(records):
    """component -> its worst outcome over its own at-stake checks ('passed' when all pass)."""
    states = {}
    order = ("wrong", "error", "not_attempted")
    for record in records:
        if record.outcome == "deviation" or not record.points or record.detail == "gated":
            continue
        state = states.setdefault(record.component, "passed")
        if record.outcome in order and (state == "passed" or order.index(record.outcome) < order.index(state)):
            states[record.component] = record.outcome
    return states


_STATE_WORDS = {"wrong": N_("wrong"), "error": N_("fails with an error"), "not_attempted": N_("not attempted")}


def _first_failure(records, component):
    for record in records:
        if record.component == component and record.outcome in ("wrong", "error", "not_attempted") and record.points:
            return record
    return None


def _attribute_to_prerequisites(records, searchable):
    """Say 'blocked: prerequisite X …' where a failure comes from a component that fails its own checks."""
    states = _component_states(records)
    for record in records:
        if record.outcome not in ("wrong", "error", "not_attempted") or record.detail in ("missing", "gated"):
            continue
        failed = [p for p in all_prerequisites(record.component) if states.get(p, "passed") != "passed"]
        if record.outcome in ("wrong", "error"):
            # a stub raises NotImplementedError, which would have made this check "not attempted":
            # a component that answered (wrongly) or raised something else did not go through one
            failed = [p for p in failed if states[p] != "not_attempted"]
        if not failed:
            continue
        text = searchable.get(record.nodeid, "")
        named = [p for p in failed if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", text)]
        names_itself = re.search(rf"(?<!\w){re.escape(record.component)}(?!\w)", text) is not None
        if named:
            blamed = named
        elif record.outcome == "wrong" or (record.outcome == "error" and not names_itself):
            # the roots: failing prerequisites whose own prerequisites pass
            blamed = [p for p in failed
                      if not any(states.get(q, "passed") != "passed" for q in all_prerequisites(p))]
        else:
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
        if role_of(record.check) == "correctness" and record.outcome != "deviation" and record.points:
            has_anchor.add(record.component)
            if record.outcome == "passed":
                anchored.add(record.component)
    for record in records:
        if role_of(record.check) == "property" and record.outcome == "passed" and record.component in has_anchor \
                and record.component not in anchored:
            record.outcome, record.detail, record.earned = "wrong", "gated", Fraction(0)
            record.message = _("not credited: this property holds, but no correctness check of {component} passes — "
                               "a placeholder (e.g. one returning zeros) has it too. It earns its points once a "
                               "correctness check of {component} passes.", component=record.component)


def _records_from_run(raw_records, table, points):
    records, searchable = [], {}
    for raw in raw_records:
        key = (raw.get("case"), raw.get("check"))
        if key not in table:
            match = _NODE.search(raw["nodeid"])
            key = (match.group("case"), match.group("check")) if match else key
        if key not in table:
            continue  # not a component check (nothing else is collected from test_components.py)
        check, case, chapter, deviation = table[key]
        kind = raw.get("kind") or "crashed"
        outcome = _KIND_TO_OUTCOME.get(kind, "error")
        message = safe_text(raw.get("message") or "", MESSAGE_BYTES)
        at_stake = points[key]
        reason = ""
        if deviation is not None or raw.get("wasxfail"):
            reason = deviation.reason if deviation is not None else raw["wasxfail"]
            result = _("the check passes anyway") if kind == "passed" else _("the check's outcome: {kind}", kind=kind)
            outcome, kind, at_stake = "deviation", "deviation", Fraction(0)
            message = _("declared deviation, not at stake: {reason} ({result})", reason=_(reason), result=result)
        elif kind == "skipped":
            outcome, at_stake, reason = "deviation", Fraction(0), _("skipped by the check: {message}", message=message)
            message = _("not at stake: {reason}", reason=reason)
        record = CheckRecord(
            nodeid=raw["nodeid"], name=f"{case.id}-{check.__name__}", check=check.__name__, case=case.id,
            component=case.component, chapter=chapter, section=case.section, outcome=outcome, detail=kind,
            message="" if outcome == "passed" else message, points=at_stake,
            earned=at_stake if outcome == "passed" else Fraction(0), duration=float(raw.get("duration") or 0.0),
            deviation=reason)
        records.append(record)
        searchable[record.nodeid] = safe_text(raw["search"], 4 * MESSAGE_BYTES) if raw.get("search") is not None \
            else message
    order = {key: index for index, key in enumerate(table)}
    records.sort(key=lambda r: order.get((r.case, r.check), len(order)))
    return records, searchable


def score_records(raw_records, impl_kind):
    """Turn the plugin's raw records into scored CheckRecords (exposed for tests and tools)."""
    table = _check_table(impl_kind)
    points = points_for((key, chapter, check.__name__, deviation is None)
                        for key, (check, case, chapter, deviation) in table.items())
    records, searchable = _records_from_run(raw_records, table, points)
    _apply_credit_rule(records)
    _attribute_to_prerequisites(records, searchable)
    return records
