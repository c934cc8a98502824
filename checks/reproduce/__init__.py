"""``make reproduce``: run the book's experiments, judge them against its claims, write a report.

Modules, in the order they depend on one another (none imports a later one):

- ``texts`` (the report's language), ``model`` (Options, Call, Figure, Claim, seeds),
  ``verdict`` (a judge's verdict: each threshold written once), ``calls`` (where the
  experiments are, the implementation they run on, running a claim's calls), ``plotting``;
- ``claims/`` (one module per chapter: its claims, judges and figures; ``bands.json``, the
  values over seeds that justify the thresholds), ``bands`` (reading and writing them);
- ``digest``, ``environment`` (the fingerprint of where numbers come from), ``tasks`` (a
  claim at one seed, computed anywhere), ``cache`` (tasks already computed), ``outcomes``
  (a claim over its seeds, distributions), ``progress``;
- the engines: ``parallel`` (worker processes), ``cluster`` (Dask);
- ``results`` (results.json), ``seed_figures``, ``report`` (report.md / report.html),
  ``runner`` (a whole run, published atomically), ``compare`` (two runs, criterion by
  criterion), ``__main__`` (the CLI).

The public names are loaded lazily (PEP 562) so that ``python -m checks.reproduce``
can pin the BLAS thread count before anything imports NumPy.
"""

import importlib

__all__ = ["run_report", "CLAIMS", "Options", "select_claims", "data_digest"]

_HOMES = {"run_report": ".runner", "CLAIMS": ".claims", "Options": ".model", "select_claims": ".claims",
          "data_digest": ".digest"}


def __getattr__(name):
    if name in _HOMES:
        return getattr(importlib.import_module(_HOMES[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
