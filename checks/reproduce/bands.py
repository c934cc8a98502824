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

__all__ = ["BANDS_FILE", "load", "entry", "band", "updated", "save", "unjustified", "margin", "render_markdown"]

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


def margin(measured):
    """(distance, distance / spread) from ``measured``'s values to its threshold, on the passing side.

    ``measured`` is a band value ({op, threshold, min, max}). The distance is from the
    threshold to the nearest measured value (for an interval, the nearer of its two ends):
    positive when every value passes with room, 0 when one sits on the threshold, negative
    when one fails. The spread is max − min; the ratio is None when it is 0 (every seed gave
    the same value) or nothing was measured.
    """
    low, high, op, threshold = measured["min"], measured["max"], measured["op"], measured["threshold"]
    if low is None or threshold is None:
        return None, None
    if op in ("<=", "<"):
        distance = threshold - high
    elif op in (">=", ">"):
        distance = low - threshold
    elif op == "in":
        distance = min(low - threshold[0], threshold[1] - high)
    else:
        return None, None
    spread = high - low
    return distance, (distance / spread if spread > 0 else None)


def _number(x):
    return "–" if x is None else f"{x:.4g}"


def render_markdown(document=None):
    """The bands as Markdown (docs/reproduce.md's generated table): per tier, claim, criterion and value.

    Each row: the threshold, the seeds the criterion applied at and held on, min / median /
    max over them, and the margin: the distance from the threshold to the nearest measured
    value, also in units of the spread (max − min). A margin of 0 (a value on the threshold)
    or less (a seed failing it) is marked.
    """
    document = load() if document is None else document
    out = []
    for tier, claims in document.get("bands", {}).items():
        out += [f"**{tier} tier**", "",
                "| claim | criterion — value | threshold | held / seeds | min | median | max | margin | margin / spread |",
                "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for claim, found in claims.items():
            for criterion, row in found["criteria"].items():
                for label, measured in row["values"].items():
                    op, threshold = measured["op"], measured["threshold"]
                    shown = (f"∈ [{threshold[0]:g}, {threshold[1]:g}]" if op == "in"
                             else f"{ {'<=': '≤', '>=': '≥'}.get(op, op)} {threshold:g}")
                    distance, ratio = margin(measured)
                    marked = ("" if distance is None or distance > 0 else " **on the threshold**" if distance == 0
                              else " **inside: a seed fails**")
                    name = label if label == criterion else f"{criterion} — {label}"
                    applied = sum(x is not None for x in measured["per_seed"])
                    out.append(f"| {claim} | {name.replace('|', chr(92) + '|')} | {shown} | {row['held']} / {applied} "
                               f"| {_number(measured['min'])} | {_number(measured['median'])} "
                               f"| {_number(measured['max'])} | {_number(distance)}{marked} "
                               f"| {'–' if ratio is None else f'{ratio:.2g}×'} |")
        seeds = sorted({(tuple(found["seeds"]), found["date"]) for found in claims.values()})
        out += ["", "Seeds and dates: " + "; ".join(
            f"{_seed_text(list(s))} on {date} ({', '.join(c for c, f in claims.items() if (tuple(f['seeds']), f['date']) == (s, date))})"
            for s, date in seeds) + ".", ""]
    return "\n".join(out)


def _seed_text(seeds):
    if seeds == list(range(seeds[0], seeds[-1] + 1)) and len(seeds) > 2:
        return f"seeds {seeds[0]}–{seeds[-1]}"
    return "seeds " + ", ".join(map(str, seeds))
