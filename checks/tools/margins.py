"""Re-measure the margins of the claims' thresholds over several seeds.

Every threshold of a book claim lives in its judge (checks/reproduce/verdicts.py), with
the range it was measured in beside it. This script reruns a claim's own experiment
calls (the claims table's, for the chosen tier) over several seeds, judges each run
with the claim's judge, and prints, per criterion, its threshold, the measured values
of every seed with their min / max, and on how many seeds it held:

    python -m checks.tools.margins                            # the seeded claims, quick tier, seeds 0–4
    python -m checks.tools.margins ch06_weight_init --seeds 0-9
    python -m checks.tools.margins ch06_batch_norm --tier book --seeds 0-2
    python -m checks.tools.margins gradient_checker           # gradcheck.py's ATOL/RTOL

Run it on a quiet machine: it trains networks (≈1 min of CPU per seed for the quick tier).
"""

import argparse
import sys
import time

import numpy as np

from checks.reproduce.claims import CLAIMS, Options, claim_named, run_calls

__all__ = ["measure", "measure_claim", "seeded_claims", "EXTRA_MEASURES", "main"]

TIERS = ("quick", "book")


def tier_options(tier, seed):
    """The run options of ``tier`` at ``seed`` (every claim enabled, the convnet trainings too)."""
    if tier not in TIERS:
        raise ValueError(f"unknown tier {tier!r}; expected one of {', '.join(TIERS)}")
    return Options(seed=seed, quick=tier == "quick", train_convnets=True)


def seeded_claims():
    """Names of the claims whose data depends on the seed (the ones with margins to measure)."""
    opts = tier_options("quick", 0)
    return [c.name for c in CLAIMS if any("seed" in call.kwargs for call in c.calls(opts).values())]


def measure_claim(name, seeds, tier="quick", lib=None):
    """{criterion rule: {"values": {label: [value per seed]}, "held": [bool per seed]}} for claim ``name``.

    Only the criteria that name their measured values (the stochastic ones) are listed.
    """
    claim = claim_named(name)
    table = {}
    for seed in seeds:
        opts = tier_options(tier, seed)
        verdict = claim.judge(run_calls(claim.calls(opts), lib), opts)
        for criterion in verdict.criteria:
            if criterion.values is None:
                continue
            row = table.setdefault(criterion.rule, {"values": {}, "held": []})
            row["held"].append(criterion.ok)
            for label, value in criterion.values.items():
                row["values"].setdefault(label, []).append(value)
    return table


def gradient_checker(seed):
    """Honest errors of the gradient checker: every layer case of checks/library/cases/ on the reference."""
    from checks.library.cases import LAYER_CASES
    from checks.library.gradcheck import numerical_gradient as central_differences
    from checks.isolation.adapters import open_implementation
    from checks.library.named.layer_checks import LayerRun

    from checks.library.gradcheck import ATOL, RTOL

    impl = open_implementation("reference")
    worst_abs = worst_rel = worst_share = 0.0
    softmax_abs = 0.0
    for case in LAYER_CASES:
        run = LayerRun(impl, case, seed=seed)
        layer = run.build()
        dout = run.dout(run.forward(layer))
        pairs = [(run.backward(layer, dout), "x")] + [(getattr(layer, g), a) for a, g in case.params.items()]
        for analytic, name in pairs:
            expected = central_differences(lambda v, name=name: run.scalar({**run.arrays, name: v}, dout),
                                           run.arrays[name])
            diff = np.abs(np.asarray(analytic, dtype=np.float64) - expected)
            if case.component == "SoftmaxWithLoss":  # the book's 1e-7 inside the log, not rounding
                softmax_abs = max(softmax_abs, float(diff.max()))
            else:
                worst_abs = max(worst_abs, float(diff.max()))
            worst_share = max(worst_share, float(np.max(diff / (ATOL + RTOL * np.abs(expected)))))
            big = np.abs(expected) > 1e-3
            if big.any():
                worst_rel = max(worst_rel, float((diff[big] / np.abs(expected[big])).max()))
    return {"max |a − n|, all but SoftmaxWithLoss": worst_abs, "max |a − n|, SoftmaxWithLoss": softmax_abs,
            "max |a − n|/|n| where |n| > 1e-3": worst_rel, "max |a − n| / (atol + rtol·|n|)": worst_share}


# Measures that are not a claim's: name → (statistics for one seed, where the thresholds live).
EXTRA_MEASURES = {
    "gradient_checker": (gradient_checker, "gradcheck.py ATOL/RTOL (every gradient check of checks/library/cases/)"),
}


def measure(name, seeds, tier="quick"):
    """``measure_claim`` for a claim; for an EXTRA_MEASURES name one row of its statistics."""
    if name in EXTRA_MEASURES:
        function, where = EXTRA_MEASURES[name]
        values = {}
        for seed in seeds:
            for statistic, value in function(seed).items():
                values.setdefault(statistic, []).append(float(value))
        return {where: {"values": values, "held": []}}
    return measure_claim(name, seeds, tier)


def _seeds(text):
    seeds = []
    for part in text.split(","):
        low, _, high = part.partition("-")
        seeds += list(range(int(low), int(high or low) + 1))
    return seeds


def format_table(table):
    lines = []
    for rule, row in table.items():
        held = f"held on {sum(row['held'])}/{len(row['held'])} seeds" if row["held"] else ""
        lines.append(f"  {rule}  {held}".rstrip())
        for label, values in row["values"].items():
            shown = " ".join(f"{v:.4g}" for v in values)
            finite = [v for v in values if np.isfinite(v)] or [float("nan")]
            lines.append(f"      {label:<32} min {min(finite):<10.4g} max {max(finite):<10.4g} [{shown}]")
    return "\n".join(lines)


def main(argv=None):
    known = [c.name for c in CLAIMS] + list(EXTRA_MEASURES)
    parser = argparse.ArgumentParser(prog="python -m checks.tools.margins", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*",
                        help=f"claims or measures (default: the seeded claims): {', '.join(known)}")
    parser.add_argument("--seeds", default="0-4", help="seeds, e.g. 0-4 or 5,8,12 (default 0-4)")
    parser.add_argument("--tier", default="quick", choices=TIERS,
                        help="the claims' budgets: quick (make check, --quick; default) or book (make reproduce)")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.names) - set(known))
    if unknown:
        parser.error(f"unknown claim(s) {unknown}; expected some of {known}")
    seeds = _seeds(args.seeds)
    for name in args.names or seeded_claims():
        start = time.process_time()
        table = measure(name, seeds, args.tier)
        source = EXTRA_MEASURES[name][1] if name in EXTRA_MEASURES else \
            f"{claim_named(name).judge.__name__} in checks/reproduce/verdicts.py"
        print(f"{name}  ({args.tier} tier; {source}; seeds {args.seeds}; {time.process_time() - start:.0f} s CPU)")
        print(format_table(table) if table else "  (no measured criteria: deterministic at this tier)")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
