"""Grading: score an implementation of the book's components, out of 100 points.

    from checks.grading import grade
    result = grade("exercises", out_dir=Path("build/grade"))
    result.score, result.max_score, result.records  # per-check records

`impl` is an ImplSpec or any IMPL value: `reference`, `exercises`, a package PATH,
`book:PATH` (a folder laid out like the book's repository), `mutant:NAME` (the
reference with one component of the bug corpus swapped in), notebooks, a .py, loose
files or a .zip — resolved once by checks/isolation/intake/. The checks run in a
pytest subprocess and the implementation in child processes of that (see
run.py), each check's `Record` (records.py: how it ended, in the outcome model of
checks/library/outcomes.py) scored by scoring.py; points come from points.py; reports (Gradescope
results.json, JUnit XML, a text summary) from report.py. `python -m checks.grading` is the command line
(`make grade`), `python -m checks.grading.batch` grades a folder of submissions
(`make grade-all`).
"""

import importlib

# Imported on first use (PEP 562): the grading run's pytest process imports two submodules
# (records, deviations) for every grading, and the package importing run.py and scoring.py with
# them cost that process about 0.1 s of CPU, a sixth of its start-up (80 gradings in make check).
_EXPORTS = {
    "CheckRecord": "scoring",
    "DEFAULT_CALL_TIMEOUT": "run",
    "DEFAULT_CHECK_BUDGET": "run",
    "DEFAULT_MEMORY_LIMIT": "run",
    "GradeResult": "scoring",
    "GradingError": "run",
    "OUTCOMES": "scoring",
    "Record": "records",
    "grade": "run",
    "score_records": "scoring",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_EXPORTS))
