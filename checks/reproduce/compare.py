"""`dlfs reproduce compare BASE NEW` (python -m checks.reproduce.compare): two runs' results, criterion by criterion.

Each criterion of each experiment (by its id, each measured value by its label, seed by
seed) is one of:

- **identical**: the same values (and outcome) in both;
- **within band**: different, but where the values measured over seeds put it (its band in
  ``claims/bands.json``, widened by half its width: a value from another machine is one more
  draw of that distribution), and still passing;
- **regressed**: now failing, or outside the band on the failing side (closer to the
  threshold than any measured seed, by more than half the band's width);
- **improved**: outside the band on the passing side, or now passing.

Exact only when the two environments' fingerprints match (``environment.numerics``: Python,
NumPy, BLAS, CPU, OS, data, dtype), unless ``--bands``: then the same code and seed must
give the same bits, so any difference is improved or regressed, by the side it moved to.
Across environments (another machine, BLAS or NumPy) the bands judge. A criterion without
a band (deterministic, or not measured) is within band while its threshold holds.

Exit status: 1 when a criterion regressed, else 0 (improvements and changes within the
band too); 2 when a file cannot be read or the two runs cannot be compared (different
tiers). ``--markdown FILE`` writes the table for a CI job summary or a pull-request comment
(``-`` for standard output); GitHub Actions: ``--markdown "$GITHUB_STEP_SUMMARY"``.
"""

import argparse
import json
import statistics
import sys
from dataclasses import dataclass, field
from pathlib import Path

from . import bands as bands_module
from .environment import differences as environment_differences
from .environment import numerics
from .verdict import Bound, threshold_text

__all__ = ["Row", "compare", "render_text", "render_markdown", "main", "STATUSES"]

# From the least to the most serious: a criterion's result is the most serious over its values and seeds.
STATUSES = ("identical", "within band", "improved", "regressed")
_ICONS = {"identical": "✅", "within band": "🟰", "improved": "⬆️", "regressed": "❌"}


@dataclass
class Row:
    """One criterion value compared: experiment, criterion id, label, per-seed values, band, result, why."""

    experiment: str
    criterion: str
    label: str
    base: dict = field(default_factory=dict)  # seed → value (None: a criterion without a number)
    new: dict = field(default_factory=dict)
    band: tuple = None  # (min, max) of the committed band, when there is one
    threshold: str = ""
    status: str = "identical"
    why: str = ""


def _load(path):
    path = Path(path)
    if path.is_dir():
        path = path / "results.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _criteria(entry):
    """{criterion id: {"ok": {seed: bool}, "values": {label: {seed: value}}, "bounds": {label: (op, threshold)}}}."""
    table = {}

    def row(criterion):
        return table.setdefault(criterion, {"ok": {}, "values": {}, "bounds": {}})

    first = entry.get("seed")
    for criterion in entry.get("criteria", []):
        r = row(criterion["id"])
        for bound in criterion.get("bounds", []):
            r["bounds"][bound["label"]] = (bound["op"], _threshold(bound["threshold"]))
        if "seeds" not in entry:
            r["ok"][first] = criterion["ok"]
            for bound in criterion.get("bounds", []):
                r["values"].setdefault(bound["label"], {})[first] = bound["value"]
    for criterion, dist in entry.get("distribution", {}).items():
        for label, values in dist["values"].items():
            row(criterion)["bounds"][label] = (values["op"], _threshold(values["threshold"]))
    for seed, record in entry.get("seeds", {}).items():
        for criterion in record["criteria"]:
            r = row(criterion["id"])
            r["ok"][int(seed)] = criterion["ok"]
            for label, value in (criterion.get("values") or {}).items():
                r["values"].setdefault(label, {})[int(seed)] = value
    return table


def _threshold(value):
    return tuple(value) if isinstance(value, list) else value


def _number(value):
    """A results.json number (NaN and ±inf are written as strings) as a float."""
    return float(value) if value is not None else None


def _band(bands, tier, experiment, criterion, label):
    found = bands_module.band(bands, tier, experiment, criterion, label)
    if found is None or found.get("min") is None:
        return None
    values = [x for x in found["per_seed"] if x is not None]
    return (found["min"], found["max"]) if len(values) >= 2 else None


def _judge_value(op, threshold, base, new, base_ok, new_ok, band, exact):
    """(status, why) of one value at one seed."""
    if base == new and base_ok == new_ok:
        return "identical", ""
    if new_ok is False and base_ok is not False:
        return "regressed", "fails now"
    if new_ok is True and base_ok is False:
        return "improved", "passes now"
    if new is None or op == "==":
        return ("regressed", "changed") if new_ok is False else ("within band", "")
    bound = Bound("", float(new), op, threshold)
    margin_new = bound.margin()
    if exact:
        if base is None:
            return "within band", ""
        margin_base = bound.margin(float(base))
        if margin_new < margin_base:
            return "regressed", "moved towards the threshold (same environment: exact comparison)"
        return "improved", "moved away from the threshold (same environment: exact comparison)"
    if band is None:
        return "within band", "no band measured: its threshold holds"
    # Where the value lies, not its margin: for a range threshold ("in") the margin peaks inside
    # the band, so the band's two ends do not bound its inner values' margins.
    low, high = sorted(band)
    slack = (high - low) / 2
    if low - slack <= float(new) <= high + slack:
        return "within band", ""
    if margin_new < min(bound.margin(x) for x in band):
        return "regressed", "outside the band, towards the threshold"
    return "improved", "outside the band, away from the threshold"


def compare(base, new, bands=None, exact=None):
    """(rows, exact, environment differences) comparing two results.json documents.

    Args:
        bands: the bands document (default: the committed claims/bands.json).
        exact: force (True) or forbid (False) the exact comparison; None: exact when the
            environments' numerics match.

    Raises:
        ValueError: the two runs cannot be compared (another schema or tier).
    """
    for name, document in (("BASE", base), ("NEW", new)):
        if document.get("schema", 1) < 2 or "environment" not in document:
            raise ValueError(f"{name} is a results.json of schema {document.get('schema', 1)}, without criterion "
                             "ids or environment: produce it again with this version")
    if base["run"]["tier"] != new["run"]["tier"]:
        raise ValueError(f"BASE ran the {base['run']['tier']} tier and NEW the {new['run']['tier']} tier: their "
                         "numbers are not comparable")
    bands = bands_module.load() if bands is None else bands
    changed = environment_differences(numerics(base["environment"]), numerics(new["environment"]))
    exact = not changed if exact is None else exact
    tier = new["run"]["tier"]
    rows = []
    for experiment in base["experiments"]:
        b_entry, n_entry = base["experiments"][experiment], new["experiments"].get(experiment)
        if b_entry["verdict"] in ("SKIPPED", "NOT RUN") or n_entry is None or n_entry["verdict"] == "SKIPPED":
            continue
        if n_entry["verdict"] == "NOT RUN":
            rows.append(Row(experiment, "(experiment)", "", status="regressed",
                            why=f"not run: {n_entry.get('not_run_because', '')}"))
            continue
        b_criteria, n_criteria = _criteria(b_entry), _criteria(n_entry)
        for criterion, b in b_criteria.items():
            n = n_criteria.get(criterion)
            if n is None:
                continue  # not checked in NEW (another threshold's id, or not applying at its seeds)
            labels = list(b["values"]) or [""]
            for label in labels:
                op, threshold = n["bounds"].get(label, b["bounds"].get(label, ("", None)))
                band = _band(bands, tier, experiment, criterion, label) if label else None
                b_values, n_values = b["values"].get(label, {}), n["values"].get(label, {})
                seeds = [s for s in n["ok"] if s in b["ok"]] or list(n["ok"])
                row = Row(experiment, criterion, label, {s: b_values.get(s) for s in seeds if s in b["ok"]},
                          {s: n_values.get(s) for s in seeds}, band,
                          threshold_text(op, threshold) if op else "")
                results = [_judge_value(op, threshold, _number(b_values.get(s)), _number(n_values.get(s)),
                                        b["ok"].get(s), n["ok"][s], band, exact) for s in seeds]
                worst = max(results, key=lambda result: STATUSES.index(result[0]))
                row.status, row.why = worst
                rows.append(row)
    return rows, exact, changed


def _summary(values):
    numbers = [v for v in values.values() if v is not None]
    if not numbers:
        return "–"
    if len(numbers) == 1:
        return f"{numbers[0]:.4g}"
    return f"{statistics.median(numbers):.4g} ({min(numbers):.4g}–{max(numbers):.4g}, {len(numbers)} seeds)"


def _counts(rows):
    return {status: sum(row.status == status for row in rows) for status in STATUSES}


def _mode_line(exact, changed):
    if exact and not changed:
        return "the environments match: compared exactly"
    if exact:
        return f"compared exactly (--exact), although the environments differ in {', '.join(changed)}"
    if changed:
        return f"the environments differ in {', '.join(changed)}: compared against the bands over seeds"
    return "compared against the bands over seeds (--bands)"


def render_text(rows, exact, changed):
    """The lines ``compare`` prints: every criterion that is not identical, then the counts."""
    lines = [f"{row.status:<12} {row.experiment}: {row.criterion}" + (f" / {row.label}" if row.label and
                                                                     row.label != row.criterion else "")
             + f": {_summary(row.base)} → {_summary(row.new)}"
             + (f" (band {row.band[0]:.4g}–{row.band[1]:.4g})" if row.band else "")
             + (f" {row.threshold}" if row.threshold else "") + (f"; {row.why}" if row.why else "")
             for row in rows if row.status != "identical"]
    counts = _counts(rows)
    lines.append(f"{len(rows)} criterion values: " + ", ".join(f"{counts[s]} {s}" for s in STATUSES)
                 + f"; {_mode_line(exact, changed)}")
    return "\n".join(lines)


def _cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_markdown(rows, exact, changed, base_name="BASE", new_name="NEW"):
    """The comparison as Markdown (a CI job summary, a pull-request comment): counts, then a table."""
    counts = _counts(rows)
    title = "❌ regression" if counts["regressed"] else "✅ no regression"
    out = [f"### Reproduction: {title}", "",
           f"`{_cell(new_name)}` against `{_cell(base_name)}`: {_mode_line(exact, changed)}.", "",
           " · ".join(f"{_ICONS[s]} {counts[s]} {s}" for s in STATUSES), ""]
    shown = [row for row in rows if row.status != "identical"]
    if not shown:
        out.append(f"All {len(rows)} criterion values identical.")
        return "\n".join(out) + "\n"
    out += ["| experiment | criterion | value | base | new | band | threshold | result |",
            "|---|---|---|---|---|---|---|---|"]
    order = sorted(shown, key=lambda row: -STATUSES.index(row.status))
    for row in order:
        band = f"{row.band[0]:.4g}–{row.band[1]:.4g}" if row.band else "–"
        label = "" if row.label == row.criterion else row.label
        result = f"{_ICONS[row.status]} {row.status}" + (f": {row.why}" if row.why else "")
        out.append("| " + " | ".join(_cell(x) for x in (row.experiment, row.criterion, label, _summary(row.base),
                                                         _summary(row.new), band, row.threshold, result)) + " |")
    out.append("")
    out.append(f"{counts['identical']} identical criterion values not listed.")
    return "\n".join(out) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m checks.reproduce.compare",
                                     description="Compare two runs' results.json (or report folders) criterion by "
                                                 "criterion: identical, within band, improved or regressed.")
    parser.add_argument("base", help="the reference run: a results.json or its report folder")
    parser.add_argument("new", help="the run to judge against it")
    parser.add_argument("--markdown", metavar="FILE",
                        help="also write the table as Markdown to FILE (appended; '-' for standard output), e.g. "
                             "$GITHUB_STEP_SUMMARY")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--exact", action="store_true", help="compare exactly even when the environments differ")
    mode.add_argument("--bands", action="store_true", help="compare against the bands even when the environments match")
    parser.add_argument("--bands-file", default=str(bands_module.BANDS_FILE), metavar="FILE",
                        help="the bands over seeds (default: the committed checks/reproduce/claims/bands.json)")
    args = parser.parse_args(argv)
    try:
        base, new = _load(args.base), _load(args.new)
        bands = bands_module.load(args.bands_file)
    except (OSError, ValueError) as error:
        print(f"cannot read a results.json: {error}", file=sys.stderr)
        return 2
    try:
        rows, exact, changed = compare(base, new, bands, exact=True if args.exact else False if args.bands else None)
    except ValueError as error:
        print(f"cannot compare: {error}", file=sys.stderr)
        return 2
    print(render_text(rows, exact, changed))
    if args.markdown:
        text = render_markdown(rows, exact, changed, args.base, args.new)
        if args.markdown == "-":
            sys.stdout.write(text)
        else:
            with open(args.markdown, "a", encoding="utf-8") as f:
                f.write(text)
    return 1 if any(row.status == "regressed" for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
