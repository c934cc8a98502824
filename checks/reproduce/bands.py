"""The committed bands: each stochastic criterion's values measured over seeds, which justify its threshold.

``claims/bands.json`` holds, per tier and claim, the seeds measured, when, in which
environment and on which implementation, and per criterion (by id) and measured value
(by English label) the per-seed values with their min / median / max, the comparison and
the threshold at the time. ``make margins`` (checks/tools/margins.py) measures and rewrites
a (tier, claim) entry at a time, keeping the others.

Readers: the tests (``unjustified``: a threshold that one of the measured seeds would fail
is not justified by its band, and a criterion without a band is not either), the report
(the band drawn beside each distribution) and ``compare`` (a value outside its band is a
change worth naming).
"""

import json
from pathlib import Path

from .digest import write_json

__all__ = ["BANDS_FILE", "load", "entry", "band", "updated", "save", "unjustified"]

BANDS_FILE = Path(__file__).resolve().parent / "claims" / "bands.json"
SCHEMA = 1


def load(path=BANDS_FILE):
    """The bands document ({"schema", "bands": {tier: {claim: entry}}}); an empty one when there is no file."""
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"schema": SCHEMA, "bands": {}}
    if document.get("schema") != SCHEMA:
        raise ValueError(f"{path}: bands schema {document.get('schema')!r}, expected {SCHEMA}; regenerate it with "
                         "make margins")
    return document


def entry(document, tier, claim):
    """The (tier, claim) entry: {"seeds", "date", "environment", "impl", "criteria"}, or None."""
    return document.get("bands", {}).get(tier, {}).get(claim)


def band(document, tier, claim, criterion, label):
    """The measured values of ``label`` in ``criterion`` of (tier, claim): {per_seed, min, median, max, ...} or None."""
    found = entry(document, tier, claim)
    if found is None:
        return None
    return found.get("criteria", {}).get(criterion, {}).get("values", {}).get(label)


def updated(document, tier, claim, distribution, *, seeds, date, environment, impl="reference", seconds=None):
    """``document`` with the (tier, claim) entry made from ``distribution`` (``outcomes.distribution``).

    ``seconds``: the wall seconds of each seed's experiment calls, kept beside the values.
    """
    criteria = {}
    for criterion, row in distribution.items():
        if not row["values"]:
            continue  # nothing measured to compare: a pinned fact or a shape
        criteria[criterion] = {
            "seeds": row["seeds"], "held": sum(row["held"]),
            "values": {label: {"op": v["op"], "threshold": v["threshold"],
                               "per_seed": [float(f"{x:.6g}") if x == x else None for x in v["per_seed"]],
                               "min": v["min"], "median": v["median"], "max": v["max"]}
                       for label, v in row["values"].items()},
        }
    bands = {tier_name: dict(claims) for tier_name, claims in document.get("bands", {}).items()}
    bands.setdefault(tier, {})[claim] = {"seeds": list(seeds), "date": date, "impl": impl,
                                         "seconds_per_seed": list(seconds) if seconds is not None else None,
                                         "environment": environment, "criteria": criteria}
    ordered = {name: dict(sorted(bands[name].items())) for name in sorted(bands)}
    return {"schema": SCHEMA, "about": "Values of each stochastic criterion measured over seeds (make margins); "
                                       "see checks/reproduce/bands.py", "bands": ordered}


def save(document, path=BANDS_FILE):
    write_json(document, path)


def unjustified(document, tier, claim, verdict):
    """Why ``verdict``'s thresholds are not justified by the bands of (tier, claim): [] when they all are.

    A criterion comparing numbers needs a band for each value, and every measured seed's value
    must satisfy the threshold the judge uses now (a threshold tightened past a measured
    seed, or a new criterion, needs ``make margins`` again).
    """
    problems = []
    for criterion in verdict.criteria:
        for bound in criterion.bounds:
            if bound.op == "==":
                continue  # an exact value: pinned, not measured over seeds
            label = bound.record()["label"]
            measured = band(document, tier, claim, criterion.id, label)
            if measured is None:
                problems.append(f"{claim} ({tier}): no band for {criterion.id!r} / {label!r}; run make margins "
                                f"MARGINS_ARGS='{claim} --tier {tier}'")
                continue
            failing = [x for x in measured["per_seed"] if x is not None and not bound.holds(x)]
            if failing:
                problems.append(f"{claim} ({tier}): {bound.rule(translate=False)} fails on {len(failing)} of the "
                                f"{len(measured['per_seed'])} measured values ({failing[:5]})")
    return problems
