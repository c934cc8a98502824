"""``make reproduce``: run the book's experiments, judge them against its claims, write a report.

Modules: ``claims`` (the table of claims and ``run_calls``), ``verdicts`` (one judge per
claim, shared with the regression tests and the margins script), ``figures`` (drawing),
``runner`` (running, NOT RUN for missing components, atomic publication), ``results``
(results.json), ``report`` (report.md / report.html), ``__main__`` (the CLI).

The public names are loaded lazily (PEP 562) so that ``python -m checks.reproduce``
can pin the BLAS thread count before anything imports NumPy.
"""

import importlib

__all__ = ["run_report", "CLAIMS", "Options", "select_claims", "data_digest"]

_HOMES = {"run_report": ".runner", "CLAIMS": ".claims", "Options": ".claims", "select_claims": ".claims",
          "data_digest": ".results"}


def __getattr__(name):
    if name in _HOMES:
        return getattr(importlib.import_module(_HOMES[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
