"""results.json: every measured number per seed, their distributions, the figures, the environment, timings.

The file is meant to be compared between runs (``compare``, CI): everything that depends
only on the code, the data files, the environment and the seeds sits under ``run``,
``environment`` and ``experiments``; what changes from run to run of the same code
(``timings``, ``created``) sits apart, so a comparison can drop those two keys.

Per experiment: the first seed's ``measured`` numbers, ``criteria`` (each with its ``id``,
text, rule and the ``bounds`` it compares: English label, value, comparison, threshold),
``summary``, ``calls``, ``data_sha256`` and ``figures``; for a claim whose data depends on
the seed, ``seeds`` (each seed's verdict, criteria values and data digests) and
``distribution`` (``outcomes.distribution``: per criterion and value the per-seed values,
min / median / max, and the pass rate).
"""

from .digest import jsonable
from .outcomes import STATUSES, distribution
from .texts import _

__all__ = ["build_results", "RESULTS_NAME", "SCHEMA_VERSION", "VOLATILE_KEYS", "STATUSES", "criterion_record"]

RESULTS_NAME = "results.json"
SCHEMA_VERSION = 2
VOLATILE_KEYS = ("timings", "created")  # differ between runs of the same code and seed


def criterion_record(criterion, full=True):
    """A criterion as results.json keeps it (``full=False``: id, ok and values only, for each seed)."""
    record = {"id": criterion.id, "ok": criterion.ok}
    if full:
        record.update(text=criterion.text, rule=criterion.rule)
        record["bounds"] = [bound.record() for bound in criterion.bounds]
    else:
        record["values"] = criterion.values
    return record


def _experiment(o):
    c = o.claim
    entry = {"chapter": c.chapter, "section": c.section, "scripts": list(c.scripts), "title": _(c.title),
             "book_claim": _(c.book_value), "verdict": o.status}
    if o.status == "SKIPPED":
        entry["skipped_because"] = o.skipped_reason
        return entry
    entry["calls"] = {key: call.record() for key, call in o.calls.items()}
    if o.status == "NOT RUN":
        entry["not_run_because"] = o.not_run_reason
        return entry
    seeds = o.seeds
    entry.update({
        "seed": seeds[0] if seeds else None,
        "data_sha256": o.data_sha256,
        "measured": o.verdict.measured,
        "criteria": [criterion_record(cr) for cr in o.verdict.criteria],
        "summary": o.verdict.summary,
        "figures": [{"file": f.file, "data_keys": list(f.keys), "data_sha256": f.data_sha256} for f in o.figures],
    })
    if seeds:
        entry["seeds"] = {str(run.seed): {"verdict": run.status, "measured": run.verdict.measured,
                                          "criteria": [criterion_record(cr, full=False) for cr in run.verdict.criteria],
                                          "data_sha256": run.data_sha256} for run in o.runs}
        entry["distribution"] = distribution(o.runs)
    return entry


def build_results(outcomes, opts, *, only, created, seeds, environment, total_seconds, engine):
    """The results.json document for a run.

    Args:
        outcomes: list of ``outcomes.Outcome``, in report order.
        opts: the run's ``model.Options`` (its seed: the first of ``seeds``).
        only: the ``--only`` names (None: all).
        created: ISO timestamp of the run.
        seeds: the run's seeds.
        environment: ``environment.fingerprint`` of where the numbers were computed.
        total_seconds: wall time of the whole run.
        engine: ``runner.Engine.record()``: where the tasks ran (with the timings: it changes only them).
    """
    counts = {status: sum(o.status == status for o in outcomes) for status in STATUSES}
    return jsonable({
        "schema": SCHEMA_VERSION,
        "run": {"impl": opts.impl, "tier": opts.tier, "seed": seeds[0], "seeds": list(seeds), "quick": opts.quick,
                "full_numerical": opts.full_numerical, "train_convnets": opts.train_convnets,
                "only": list(only) if only else None, "verdicts": counts},
        "environment": environment,
        "experiments": {o.claim.name: _experiment(o) for o in outcomes},
        "timings": {"total_seconds": round(total_seconds, 2), "engine": engine,
                    "experiments": {o.claim.name: {"run_seconds": round(o.run_seconds, 2),
                                                   "figure_seconds": round(o.figure_seconds, 2),
                                                   "seeds": len(o.runs),
                                                   "cached": sum(run.cached for run in o.runs)}
                                    for o in outcomes if o.status not in ("SKIPPED", "NOT RUN")}},
        "created": created,
    })
