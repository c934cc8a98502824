"""results.json: every measured number, the figures and the hash of their data, seeds, versions, timings.

The file is meant to be diffed between runs (CI): everything that depends only on the
code, the data files and the seed sits under ``run`` and ``experiments``; what changes
from run to run of the same code (``timings``, ``created``) sits apart, so a comparison
can drop those two keys.

``data_digest`` is a SHA-256 over a canonical encoding of an experiment's returned
data (nested dicts, lists, NumPy arrays and scalars): key order, dtype, shape and the
raw little-endian bytes all enter it, so equal digests mean bit-identical data.
"""

import hashlib
import json
import math
import platform
import sys

import matplotlib
import numpy as np

from .texts import _

__all__ = ["data_digest", "jsonable", "build_results", "write_json", "RESULTS_NAME", "SCHEMA_VERSION",
           "VOLATILE_KEYS", "STATUSES"]

RESULTS_NAME = "results.json"
SCHEMA_VERSION = 1
VOLATILE_KEYS = ("timings", "created")  # differ between runs of the same code and seed
STATUSES = ("PASS", "FAIL", "SKIPPED", "NOT RUN")  # NOT RUN: the implementation lacks a component


def _feed(h, obj):
    if isinstance(obj, dict):
        h.update(b"{%d" % len(obj))
        for key in sorted(obj, key=str):
            _feed(h, str(key))
            _feed(h, obj[key])
        h.update(b"}")
    elif isinstance(obj, (list, tuple)):
        h.update(b"[%d" % len(obj))
        for item in obj:
            _feed(h, item)
        h.update(b"]")
    elif isinstance(obj, (np.ndarray, np.generic)):
        arr = np.asarray(obj)
        # One byte order, whatever the machine: equal values give equal digests everywhere.
        arr = np.ascontiguousarray(arr, dtype=arr.dtype.newbyteorder("<"))
        h.update(f"A{arr.dtype.str}{arr.shape}".encode())
        h.update(arr.tobytes())
    elif obj is None or isinstance(obj, (bool, int, float, str)):
        h.update(f"{type(obj).__name__}:{obj!r};".encode())
    else:
        raise TypeError(f"cannot digest a {type(obj).__name__}")


def data_digest(obj):
    """SHA-256 (hex) of ``obj``'s canonical encoding: nested dicts/lists of arrays and scalars."""
    h = hashlib.sha256()
    _feed(h, obj)
    return h.hexdigest()


def jsonable(obj):
    """``obj`` with NumPy values turned into plain Python ones; NaN and ±inf become strings (strict JSON)."""
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return jsonable(obj.tolist())
    if isinstance(obj, np.generic):
        return jsonable(obj.item())
    if isinstance(obj, float) and not math.isfinite(obj):
        return repr(obj)
    return obj


def versions():
    """Versions that can change the numbers or the figures."""
    return {"python": platform.python_version(), "numpy": np.__version__,
            "matplotlib": matplotlib.__version__, "platform": platform.platform(),
            "implementation": sys.implementation.name}


def build_results(outcomes, opts, *, only, created, total_seconds, jobs=1):
    """The results.json document for a run.

    Args:
        outcomes: list of ``runner.Outcome``, in report order.
        opts: the run's ``claims.Options``.
        only: the ``--only`` names (None: all).
        created: ISO timestamp of the run.
        total_seconds: wall time of the whole run.
        jobs: worker processes the run used (1: serial); with the timings, as it changes only them.
    """
    experiments = {}
    for o in outcomes:
        c = o.claim
        entry = {
            "chapter": c.chapter, "section": c.section, "scripts": list(c.scripts), "title": _(c.title),
            "book_claim": _(c.book_value), "verdict": o.status,
        }
        if o.status == "SKIPPED":
            entry["skipped_because"] = o.skipped_reason
        elif o.status == "NOT RUN":
            entry["not_run_because"] = o.not_run_reason
            entry["calls"] = {key: {"function": call.function, "kwargs": call.kwargs} for key, call in o.calls.items()}
        else:
            seeds = sorted({call.kwargs["seed"] for call in o.calls.values() if "seed" in call.kwargs})
            entry.update({
                "seed": seeds[0] if len(seeds) == 1 else (seeds or None),
                "calls": {key: {"function": call.function, "kwargs": call.kwargs} for key, call in o.calls.items()},
                "data_sha256": o.data_sha256,
                "measured": o.verdict.measured,
                "criteria": [{"text": cr.text, "ok": cr.ok} for cr in o.verdict.criteria],
                "summary": o.verdict.summary,
                "figures": [{"file": f.file, "data_keys": list(f.keys), "data_sha256": f.data_sha256}
                            for f in o.figures],
            })
        experiments[c.name] = entry
    counts = {status: sum(o.status == status for o in outcomes) for status in STATUSES}
    return jsonable({
        "schema": SCHEMA_VERSION,
        "run": {"impl": opts.impl, "tier": opts.tier, "seed": opts.seed, "quick": opts.quick,
                "full_numerical": opts.full_numerical, "train_convnets": opts.train_convnets,
                "only": list(only) if only else None, "verdicts": counts},
        "versions": versions(),
        "experiments": experiments,
        "timings": {"total_seconds": round(total_seconds, 2), "jobs": jobs,
                    "experiments": {o.claim.name: {"run_seconds": round(o.run_seconds, 2),
                                                   "figure_seconds": round(o.figure_seconds, 2)}
                                    for o in outcomes if o.status not in ("SKIPPED", "NOT RUN")}},
        "created": created,
    })


def write_json(document, path):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(document, f, indent=2, ensure_ascii=False, allow_nan=False)
        f.write("\n")
