"""`make margins` (python -m checks.tools.margins): measure the claims' criteria over seeds; write the bands.

Every threshold of a book claim lives in its judge (checks/reproduce/claims/chNN.py). This
runs a claim's own experiment calls (the claims table's, for the chosen tier) once per seed
on the same engines as ``make reproduce`` (this machine's processes, or Dask:
``--cluster``), judges each run with the claim's judge, prints per criterion its rule, the
values of every seed with their min / median / max and on how many seeds it held, and
writes the (tier, claim) entries of checks/reproduce/claims/bands.json (seeds, values, date,
environment): the bands that justify the thresholds (``checks/reproduce/bands.py``).

    make margins                                                   # quick tier, seeds 0-19
    python -m checks.tools.margins ch06_weight_init --seeds 0-9
    python -m checks.tools.margins --tier book --seeds 0-4        # make reproduce's sizes
    python -m checks.tools.margins --tier book --seeds 0-4 ch07_simple_convnet_training ch08_deep_convnet_training
    python -m checks.tools.margins gradient_checker               # gradcheck.py's ATOL/RTOL (printed only)

Each seed's data goes into the results cache as soon as it is computed, so an interrupted
run (hours, at the book sizes of the conv nets) picks up where it stopped: run the same
command again. Run it on a quiet machine, or nice'd.
"""

from checks.library.blas import pin_blas_threads

# One BLAS thread, as make reproduce: the same numbers as its runs (the bands' environment says so).
pin_blas_threads(1)

import argparse  # noqa: E402
import datetime  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from checks.reproduce import bands as bands_module  # noqa: E402
from checks.reproduce.cache import DEFAULT_CACHE  # noqa: E402
from checks.reproduce.claims import CLAIMS, claim_named  # noqa: E402
from checks.reproduce.environment import fingerprint  # noqa: E402
from checks.reproduce.model import Options, parse_seeds  # noqa: E402
from checks.reproduce.outcomes import distribution  # noqa: E402
from checks.reproduce.runner import Engine, run_claims  # noqa: E402

__all__ = ["measure", "measure_claims", "seeded_claims", "EXTRA_MEASURES", "format_table", "tier_options", "main"]

TIERS = ("quick", "book")
DEFAULT_SEEDS = "0-19"


def tier_options(tier, seed=0, impl="reference"):
    """The run options of ``tier`` at ``seed`` (every claim enabled, the convnet trainings too)."""
    if tier not in TIERS:
        raise ValueError(f"unknown tier {tier!r}; expected one of {', '.join(TIERS)}")
    return Options(seed=seed, quick=tier == "quick", train_convnets=True, impl=impl)


def seeded_claims(tier="quick"):
    """Names of the claims whose data depends on the seed (the ones with margins to measure)."""
    opts = tier_options(tier)
    return [c.name for c in CLAIMS if c.seeded(opts)]


def measure_claims(names, seeds, tier="quick", *, jobs=1, cluster=None, cache=None, show_progress=False,
                   seconds=None):
    """({claim name: its distribution over ``seeds``}, engine) for the claims ``names``.

    The distribution is ``outcomes.distribution``'s: per criterion its rule, seeds, held, pass
    rate and per measured value the per-seed values with min / median / max. ``seconds``, a
    dict, receives {claim name: [wall seconds of each seed's calls]} (the cache's, for a seed
    computed earlier).
    """
    claims = [claim_named(name) for name in names]
    tasks = sum(len(seeds) if claim.seeded(tier_options(tier)) else 1 for claim in claims)
    engine = (Engine("dask", jobs, cluster) if cluster else
              Engine("pool", min(jobs, tasks)) if jobs > 1 and tasks > 1 else Engine("serial"))
    outcomes = run_claims(claims, tier_options(tier, seeds[0]), seeds, engine=engine, cache=cache,
                          show_progress=show_progress)
    if seconds is not None:
        seconds.update({o.claim.name: [round(run.run_seconds, 1) for run in o.runs] for o in outcomes})
    return {o.claim.name: distribution(o.runs) for o in outcomes}, engine


def gradient_checker(seed):
    """Honest errors of the gradient checker: every layer case of checks/library/cases/ on the reference."""
    from checks.isolation.adapters import open_implementation
    from checks.library.cases import LAYER_CASES
    from checks.library.gradcheck import ATOL, RTOL
    from checks.library.gradcheck import numerical_gradient as central_differences
    from checks.library.named.layer_checks import LayerRun

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


def measure(name, seeds):
    """An EXTRA_MEASURES name's statistics over ``seeds``, as a distribution-like table (printed, not written)."""
    function, where = EXTRA_MEASURES[name]
    values = {}
    for seed in seeds:
        for statistic, value in function(seed).items():
            values.setdefault(statistic, []).append(float(value))
    return {where: {"held": [], "values": {label: {"per_seed": v, "min": min(v), "median": float(np.median(v)),
                                                   "max": max(v), "op": "", "threshold": None}
                                           for label, v in values.items()}}}


def format_table(table):
    """The printed table of a distribution: per criterion its rule and pass count, per value its seeds' values."""
    lines = []
    for criterion, row in table.items():
        held = f"held on {sum(row['held'])}/{len(row['held'])} seeds" if row["held"] else ""
        lines.append(f"  {row.get('rule', criterion)}  {held}".rstrip())
        for label, v in row["values"].items():
            shown = " ".join(f"{x:.4g}" for x in v["per_seed"])
            low, mid, high = (f"{x:<10.4g}" if x is not None else f"{'nan':<10}" for x in (v["min"], v["median"],
                                                                                          v["max"]))
            lines.append(f"      {label:<40} min {low} median {mid} max {high} [{shown}]")
    return "\n".join(lines)


def main(argv=None):
    known = [c.name for c in CLAIMS] + list(EXTRA_MEASURES)
    parser = argparse.ArgumentParser(prog="python -m checks.tools.margins", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*",
                        help=f"claims or measures (default: the claims depending on a seed): {', '.join(known)}")
    parser.add_argument("--seeds", default=DEFAULT_SEEDS, help=f"seeds, e.g. 0-4 or 5,8,12 (default {DEFAULT_SEEDS})")
    parser.add_argument("--tier", default="quick", choices=TIERS,
                        help="the claims' budgets: quick (make check, --quick; default) or book (make reproduce)")
    parser.add_argument("--jobs", type=int, default=None, metavar="N",
                        help="worker processes or LocalCluster workers (default: the cores this process may use)")
    parser.add_argument("--cluster", metavar="ADDRESS",
                        help="compute on Dask: 'local' (a LocalCluster: the default for several seeds when Dask is "
                             "installed) or a scheduler's address (docs/reproduce.md)")
    parser.add_argument("--no-cluster", action="store_true", help="use this machine's worker processes")
    parser.add_argument("--cache", default=DEFAULT_CACHE, metavar="DIR",
                        help=f"results cache, which makes an interrupted run resumable (default {DEFAULT_CACHE})")
    parser.add_argument("--no-cache", action="store_true", help="compute every seed again")
    parser.add_argument("--no-write", action="store_true",
                        help="print the values only; leave checks/reproduce/claims/bands.json as it is")
    parser.add_argument("--bands", default=str(bands_module.BANDS_FILE), metavar="FILE",
                        help="the bands file to update (default: the committed one)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.names) - set(known))
    if unknown:
        parser.error(f"unknown claim(s) {unknown}; expected some of {known}")
    try:
        seeds = parse_seeds(args.seeds)
    except ValueError as error:
        parser.error(str(error))
    from checks.reproduce.parallel import default_jobs

    names = args.names or seeded_claims(args.tier)
    for name in [n for n in names if n in EXTRA_MEASURES]:
        start = time.process_time()
        print(f"{name}  ({EXTRA_MEASURES[name][1]}; seeds {args.seeds}; {time.process_time() - start:.0f} s CPU)")
        print(format_table(measure(name, seeds)))
    claims = [n for n in names if n not in EXTRA_MEASURES]
    for name in [n for n in claims if not claim_named(n).seeded(tier_options(args.tier))]:
        print(f"{name}  ({args.tier} tier): deterministic, no seed to vary: no band (its thresholds are rounding "
              "bounds, explained beside them)")
    claims = [n for n in claims if claim_named(n).seeded(tier_options(args.tier))]
    if not claims:
        return 0
    start = time.perf_counter()
    from checks.reproduce.cluster import available

    cluster = args.cluster or ("local" if len(seeds) > 1 and available() and not args.no_cluster else None)
    seconds = {}
    tables, engine = measure_claims(claims, seeds, args.tier, jobs=args.jobs or default_jobs(), cluster=cluster,
                                    cache=None if args.no_cache else args.cache, show_progress=not args.no_progress,
                                    seconds=seconds)
    environment = engine.environment or fingerprint(seeds)
    date = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    document = bands_module.load(args.bands)
    for name, table in tables.items():
        measured = {criterion: row for criterion, row in table.items() if row["values"]}
        print(f"{name}  ({args.tier} tier; {claim_named(name).judge.__name__} in "
              f"checks/reproduce/claims/{claim_named(name).judge.__module__.rpartition('.')[2]}.py; seeds {args.seeds})")
        print(format_table(measured) if measured else "  (no criterion compares a measured number)")
        print(f"  seconds per seed: {seconds[name]}")
        if measured and not args.no_write:
            document = bands_module.updated(document, args.tier, name, table, seeds=seeds, date=date,
                                            environment={**environment, "seeds": seeds}, seconds=seconds[name])
    if not args.no_write:
        bands_module.save(document, args.bands)
        print(f"wrote {args.bands} ({len(tables)} claim(s), {args.tier} tier, seeds {args.seeds}; "
              f"{time.perf_counter() - start:.0f} s, {engine.computed} computed, {engine.cached} from the cache)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
