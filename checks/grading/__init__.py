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

from .records import Record
from .run import DEFAULT_CALL_TIMEOUT, DEFAULT_CHECK_BUDGET, DEFAULT_MEMORY_LIMIT, GradingError, grade
from .scoring import OUTCOMES, CheckRecord, GradeResult, score_records

__all__ = [
    "CheckRecord",
    "DEFAULT_CALL_TIMEOUT",
    "DEFAULT_CHECK_BUDGET",
    "DEFAULT_MEMORY_LIMIT",
    "GradeResult",
    "GradingError",
    "OUTCOMES",
    "Record",
    "grade",
    "score_records",
]
