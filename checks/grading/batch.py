"""`python -m checks.grading.batch SUBMISSIONS`: grade every submission folder in SUBMISSIONS
(what `make grade-all` runs).

Each submission is graded by its own grading process (one pytest process and its
implementation child), `--jobs` at a time (default: the number of cores). Writes
`<out>/<name>/results.json` (plus junit.xml, summary.txt) for each and
`<out>/scores.csv` for all. While one submission is graded, the others' folders are
read-only to it (it cannot sabotage them). Exit status 0 when every folder could be
graded, 1 when some could not (their rows say why), 2 on bad arguments.
"""

import argparse
import concurrent.futures
import csv
import io
import os
import sys
import time
from pathlib import Path

from .core import DEFAULT_CALL_TIMEOUT, GradingError, grade
from .report import write_atomic
from .submission import SubmissionError, locate

__all__ = ["grade_all", "CSV_COLUMNS", "main"]

CSV_COLUMNS = ("submission", "impl", "status", "score", "max_score", "percent", "passed", "wrong",
               "not_attempted", "error", "deviation", "seconds", "message")


def _submissions(folder):
    return sorted(p for p in Path(folder).iterdir() if p.is_dir() and not p.name.startswith((".", "__")))


def _grade_one(path, out_root, protect_root, options):
    started = time.monotonic()
    row = dict.fromkeys(CSV_COLUMNS, "")
    row["submission"] = path.name
    try:
        impl = locate(path)
        row["impl"] = impl
        result = grade(impl, out_dir=out_root / path.name, read_only=[protect_root], **options)
    except (SubmissionError, GradingError) as error:
        row.update(status="not graded", message=" ".join(str(error).split())[:500],
                   seconds=f"{time.monotonic() - started:.1f}")
        return row
    counts = result.counts()
    row.update(status="graded", score=f"{result.score:.4f}", max_score=f"{result.max_score:.4f}",
               percent=f"{result.percent:.2f}", seconds=f"{result.execution_time:.1f}",
               **{name: counts[name] for name in ("passed", "wrong", "not_attempted", "error", "deviation")})
    return row


def grade_all(submissions, out_dir, jobs=None, workers=1, progress=None, **options):
    """Grade every folder in `submissions`; returns the CSV rows (dicts), also written to scores.csv."""
    submissions = Path(submissions).resolve()
    out_dir = Path(out_dir).resolve()
    jobs = jobs or os.cpu_count() or 1
    folders = _submissions(submissions)
    rows = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {pool.submit(_grade_one, path, out_dir, submissions, {"workers": workers, **options}): path
                   for path in folders}
        for future in concurrent.futures.as_completed(futures):
            row = future.result()
            rows.append(row)
            if progress is not None:
                progress(row)
    rows.sort(key=lambda row: row["submission"])
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    write_atomic(out_dir / "scores.csv", text.getvalue())
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m checks.grading.batch", description=__doc__.splitlines()[0])
    parser.add_argument("submissions", help="a folder holding one folder per submission")
    parser.add_argument("--out", default="build/grade-all", help="where scores.csv and <name>/results.json go")
    parser.add_argument("--jobs", type=int, default=None, help="submissions graded at once (default: cores)")
    parser.add_argument("--component", action="append", default=None, help="grade only this component")
    parser.add_argument("--chapter", type=int, action="append", default=None, help="grade only this chapter")
    parser.add_argument("--call-timeout", type=float, default=DEFAULT_CALL_TIMEOUT)
    args = parser.parse_args(argv)
    if not Path(args.submissions).is_dir():
        print(f"grade-all: {args.submissions} is not a folder", file=sys.stderr)
        return 2

    def progress(row):
        score = f"{row['score']} / {row['max_score']}" if row["status"] == "graded" else row["message"]
        print(f"{row['submission']}: {row['status']}: {score}", flush=True)

    rows = grade_all(args.submissions, args.out, jobs=args.jobs, progress=progress, components=args.component,
                     chapters=args.chapter, call_timeout=args.call_timeout)
    print(f"\n{len(rows)} submission(s); scores in {Path(args.out) / 'scores.csv'}")
    return 0 if all(row["status"] == "graded" for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
