"""A claim's outcome over the run's seeds: each seed's verdict, and each criterion's distribution.

``seed_run`` judges one computed task; ``outcome`` puts a claim's seeds together. A claim
whose data depends on the seed runs once per seed of the run and PASSes when every seed's
verdict does (its thresholds are set beyond the values measured over seeds, bands.json;
a seed outside them is worth a look, so it is not averaged away). ``distribution`` gives,
per criterion and measured value, the per-seed values, their min / median / max, and the
criterion's pass rate: what results.json keeps under ``distribution``, the report draws
beside its threshold, and ``make margins`` writes into the bands file.
"""

import statistics
from dataclasses import dataclass, field

from .digest import data_digest

__all__ = ["SeedRun", "FigureRecord", "Outcome", "seed_run", "outcome", "distribution", "STATUSES"]

STATUSES = ("PASS", "FAIL", "SKIPPED", "NOT RUN")  # NOT RUN: the implementation lacks a component


@dataclass
class FigureRecord:
    """A figure written by the run: its file, caption, the call keys it was drawn from and their digest."""

    file: str
    caption: str
    keys: tuple
    data_sha256: str


@dataclass
class SeedRun:
    """One seed of a claim: its calls, verdict (None when NOT RUN), data digests and time."""

    seed: object  # the seed (None: the claim's data depends on no seed)
    status: str
    calls: dict
    verdict: object = None
    data_sha256: dict = field(default_factory=dict)
    run_seconds: float = 0.0
    not_run_reason: str = ""
    cached: bool = False


@dataclass
class Outcome:
    """What one claim's run produced, over the run's seeds (``runs``, the first one's figures)."""

    claim: object
    status: str  # PASS, FAIL, SKIPPED, or NOT RUN (a component the implementation lacks)
    runs: list = field(default_factory=list)
    figures: list = field(default_factory=list)
    figure_seconds: float = 0.0
    skipped_reason: str = ""
    not_run_reason: str = ""

    @property
    def first(self):
        return self.runs[0] if self.runs else None

    @property
    def verdict(self):
        """The first seed's verdict (the one the figures show)."""
        return self.first.verdict if self.runs else None

    @property
    def calls(self):
        return self.first.calls if self.runs else {}

    @property
    def data_sha256(self):
        return self.first.data_sha256 if self.runs else {}

    @property
    def run_seconds(self):
        return sum(run.run_seconds for run in self.runs)

    @property
    def seeds(self):
        """The seeds the claim ran with ([] when its data depends on none)."""
        return [run.seed for run in self.runs if run.seed is not None]


def seed_run(claim, computed, seeded):
    """Judge ``computed`` (a ``tasks.Computed`` of ``claim``) into a SeedRun."""
    task = computed.task
    calls = claim.calls(task.opts)
    seed = task.opts.seed if seeded else None
    if computed.data is None:
        return SeedRun(seed, "NOT RUN", calls, run_seconds=computed.run_seconds,
                       not_run_reason=computed.not_run_reason, cached=computed.cached)
    verdict = claim.judge(computed.data, task.opts)
    return SeedRun(seed, "PASS" if verdict.passed else "FAIL", calls, verdict,
                   {key: data_digest(value) for key, value in computed.data.items()}, computed.run_seconds,
                   cached=computed.cached)


def outcome(claim, runs, figures=(), figure_seconds=0.0):
    """A claim's Outcome from its SeedRuns (first seed first): NOT RUN if one is, else FAIL if one fails."""
    statuses = {run.status for run in runs}
    status = "NOT RUN" if "NOT RUN" in statuses else "FAIL" if "FAIL" in statuses else "PASS"
    reason = next((run.not_run_reason for run in runs if run.status == "NOT RUN"), "")
    return Outcome(claim, status, list(runs), list(figures), figure_seconds, not_run_reason=reason)


def _stats(values):
    finite = [v for v in values if v == v]  # NaN (a criterion that could not be measured) left out
    if not finite:
        return {"min": None, "median": None, "max": None}
    return {"min": min(finite), "median": statistics.median(finite), "max": max(finite)}


def distribution(runs):
    """{criterion id: its distribution over the judged ``runs``}, criteria in the order the judge checks them.

    Each: ``rule`` (in the current language), ``seeds`` (those where the criterion was
    checked: a judge may leave one out at a seed, e.g. no trial drew a good learning rate),
    ``held`` (per seed), ``pass_rate``, and ``values``: {English label: {op, threshold,
    per_seed, min, median, max}} for the criteria that compare numbers.
    """
    table = {}
    for run in runs:
        if run.verdict is None:
            continue
        for criterion in run.verdict.criteria:
            row = table.setdefault(criterion.id, {"rule": criterion.rule, "seeds": [], "held": [], "values": {}})
            row["seeds"].append(run.seed)
            row["held"].append(criterion.ok)
            for bound in criterion.bounds:
                record = bound.record()
                entry = row["values"].setdefault(record["label"], {"op": record["op"],
                                                                     "threshold": record["threshold"],
                                                                     "per_seed": []})
                entry["per_seed"].append(float(bound.value))
    for row in table.values():
        row["pass_rate"] = sum(row["held"]) / len(row["held"])
        for entry in row["values"].values():
            entry.update(_stats(entry["per_seed"]))
    return table
