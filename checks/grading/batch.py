"""`python -m checks.grading.batch SUBMISSIONS`: grade every submission folder in SUBMISSIONS
(what `make grade-all` runs).

Each submission is graded by its own grading process (one pytest process and its
implementation child), `--jobs` at a time (default: the number of cores). Writes
`<out>/<name>/results.json` (plus junit.xml, summary.txt) for each and
`<out>/scores.csv` for all (with per-chapter columns) and the class report
`<out>/report.html`. Each submission is resolved on its own (checks/isolation/intake/: zips
unpacked safely, loose `.py` files placed onto the exercises' modules, notebooks read);
the previous batch's output is cleared.
While one submission is graded, the others' folders are read-only to it (it cannot
sabotage them). Exit status 0 when every folder could be
graded, 1 when some could not (their rows say why), 2 on bad arguments.

One submission can never end the batch or spoil another's row: whatever happens while
grading it (an error of the grader included) becomes its own row and its own
results.json — a zip that cannot be unpacked, a name the file system refuses, a folder
that cannot be read, an error of the grader. A folder's name is shown as text in
scores.csv (bytes that are not UTF-8 as \\xNN) and its reports go to
`<out>/<output name>/`, where the output name escapes what could not be a safe, distinct
folder name and stays within the file system's 255 bytes (see `output_name`).
"""

import argparse
import concurrent.futures
import csv
import hashlib
import io
import os
import shutil
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

from .__main__ import _chapters, _flatten, _names
from .class_report import CHAPTER_COLUMNS, REPORT_NAME, chapter_columns, write_report
from .run import DEFAULT_CALL_TIMEOUT, DEFAULT_RUN_TIMEOUT, GradingError, grade
from .report import write_atomic, write_error_results
from ..isolation.intake import IntakeError, resolve
from ..isolation.intake.loose_files import pristine_stubs
from ..isolation.intake.submission import list_submissions
from .safe_text import display_name, safe_text

__all__ = ["grade_all", "CSV_COLUMNS", "main", "output_name", "SCORES_NAME", "clear_output"]

SCORES_NAME = "scores.csv"
# kept as they are in an output folder's name, with letters, digits and marks of any script;
# everything else is %-escaped (so '%' itself is, which keeps the mapping one-to-one)
_SAFE = set(" !#$&'()+,-.;=@[]^_`{}~")
# an output folder's name in bytes, at most (file systems allow 255): longer names are cut and
# given a digest of the whole name, so distinct names stay distinct
OUTPUT_NAME_BYTES = 200
# a row's key for its output folder's name (the class report reads results.json there); not a CSV column
FOLDER_KEY = "_folder"

CSV_COLUMNS = ("submission", "impl", "status", "score", "max_score", "percent", "passed", "wrong",
               "not_attempted", "error", "deviation", "seconds", "message")

_OUTPUT_MARK = ".dlfs-grade-all"


def _escaped(character):
    if character in _SAFE or (character.isprintable() and unicodedata.category(character)[0] in "LNM"):
        return character
    return "".join(f"%{byte:02X}" for byte in os.fsencode(character))  # a lone surrogate: its one byte


def output_name(name):
    """The folder under --out for the submission named `name`: valid UTF-8, one-to-one, never
    SCORES_NAME, at most OUTPUT_NAME_BYTES bytes.

    Bytes that are not UTF-8 and characters outside letters, digits and a safe set are
    %-escaped; a name starting with "scores." gets its "s" escaped too (`%73cores.csv`).
    A name longer than OUTPUT_NAME_BYTES once escaped (84 Japanese characters are 252
    bytes) keeps its beginning and ends in `~` and 16 hex digits of its SHA-256.
    """
    escaped = "".join(_escaped(character) for character in name)
    if escaped.startswith("scores."):
        escaped = "%73" + escaped[1:]
    if len(escaped.encode("utf-8")) <= OUTPUT_NAME_BYTES:
        return escaped
    digest = "~" + hashlib.sha256(os.fsencode(name)).hexdigest()[:16]
    kept = escaped.encode("utf-8")[:OUTPUT_NAME_BYTES - len(digest)].decode("utf-8", errors="ignore")
    cut = kept.rfind("%")
    if cut >= 0 and len(kept) - cut < 3:  # never half an escape
        kept = kept[:cut]
    return kept + digest


def clear_output(out_dir):
    """Empty `out_dir` of a previous batch (folders of submissions gone since must not linger).

    Only a folder grade-all made (it holds its mark file) or an empty one is cleared:
    `--out .` by mistake must not delete a repository.
    """
    out_dir = Path(out_dir)
    if out_dir.exists() and any(out_dir.iterdir()) and not (out_dir / _OUTPUT_MARK).is_file():
        raise ValueError(f"{out_dir}: not empty and not written by grade-all (no {_OUTPUT_MARK} in it); "
                         f"choose another --out or empty it")
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir(parents=True)
    (out_dir / _OUTPUT_MARK).write_text("written by make grade-all; emptied at its next run\n", encoding="utf-8")


def _failed_row(row, started, reason):
    row.update(status="not graded", message=safe_text(" ".join(str(reason).split()), 500),
               seconds=f"{time.monotonic() - started:.1f}")
    return row


def _grade_one(entry, out_root, protect_roots, options, work, stubs, submissions):
    started = time.monotonic()
    row = dict.fromkeys(CSV_COLUMNS + CHAPTER_COLUMNS, "")
    row["submission"] = display_name(entry.name)
    row[FOLDER_KEY] = output_name(entry.name)
    out_dir = out_root / row[FOLDER_KEY]
    try:
        # a work folder of its own: what resolving writes (a zip unpacked, loose files placed,
        # notebooks converted) never meets another submission's
        if entry.problem:
            raise IntakeError(entry.path.name, entry.problem)
        workdir = tempfile.mkdtemp(prefix="submission-", dir=work)
        spec = resolve(entry.path, workdir, stubs=stubs, shown_from=submissions)
        row["impl"] = display_name(spec.display)
        result = grade(spec, out_dir=out_dir, read_only=protect_roots, **options)
    except Exception as error:  # one submission's failure is its own row, never the batch's end
        known = isinstance(error, (IntakeError, GradingError))
        reason = str(error) if known else f"an error in the grader ({type(error).__name__}: {error})"
        try:
            write_error_results(out_dir, reason, execution_time=time.monotonic() - started)
        except OSError:
            pass
        return _failed_row(row, started, reason)
    counts = result.counts()
    row.update(status="graded", score=f"{result.score:.4f}", max_score=f"{result.max_score:.4f}",
               percent=f"{result.percent:.2f}", seconds=f"{result.execution_time:.1f}",
               **{name: counts[name] for name in ("passed", "wrong", "not_attempted", "error", "deviation")},
               **chapter_columns(result))
    return row


def grade_all(submissions, out_dir, jobs=None, workers=1, progress=None, **options):
    """Grade every folder and zip in `submissions`; returns the CSV rows (dicts), also written to scores.csv."""
    submissions = Path(submissions).resolve()
    out_dir = Path(out_dir).resolve()
    jobs = jobs or os.cpu_count() or 1
    clear_output(out_dir)
    rows = []
    with tempfile.TemporaryDirectory(prefix="dlfs-grade-all-") as work:
        work = Path(work)
        entries = list_submissions(submissions)
        stubs = pristine_stubs(work)  # rendered once, read by every submission's loose files
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            futures = {pool.submit(_grade_one, entry, out_dir, [submissions, work],
                                   {"workers": workers, **options}, work, stubs, submissions): entry
                       for entry in entries}
            for future in concurrent.futures.as_completed(futures):
                entry = futures[future]
                try:
                    row = future.result()
                except Exception as error:  # _grade_one catches everything; this is the last line of defence
                    row = _failed_row({**dict.fromkeys(CSV_COLUMNS + CHAPTER_COLUMNS, ""),
                                       "submission": display_name(entry.name), FOLDER_KEY: output_name(entry.name)},
                                      time.monotonic(), f"an error in the grader ({type(error).__name__}: {error})")
                rows.append(row)
                if progress is not None:
                    try:
                        progress(row)
                    except Exception:
                        pass
    rows.sort(key=lambda row: row["submission"])
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=CSV_COLUMNS + CHAPTER_COLUMNS, lineterminator="\n",
                            extrasaction="ignore")
    writer.writeheader()
    writer.writerows({key: safe_text(value, 1000) if isinstance(value, str) else value for key, value in row.items()}
                     for row in rows)
    write_atomic(out_dir / SCORES_NAME, text.getvalue())
    write_report(rows, out_dir)
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m checks.grading.batch", description=__doc__.splitlines()[0])
    parser.add_argument("submissions", help="a folder holding one folder or .zip per submission")
    parser.add_argument("--out", default="build/grade-all", help="where scores.csv and <name>/results.json go")
    parser.add_argument("--jobs", type=int, default=None, help="submissions graded at once (default: cores)")
    parser.add_argument("--component", type=_names, action="append", default=None, metavar="NAME[,NAME…]",
                        help="grade only these components: Affine or Affine,Relu (repeatable)")
    parser.add_argument("--chapter", type=_chapters, action="append", default=None, metavar="N[,N…]",
                        help="grade only these chapters: 5, 3,5 or 3-5 (repeatable)")
    parser.add_argument("--call-timeout", type=float, default=DEFAULT_CALL_TIMEOUT)
    parser.add_argument("--total-timeout", type=float, default=DEFAULT_RUN_TIMEOUT,
                        help="seconds one submission's run may take; checks not reached are marked timed out")
    args = parser.parse_args(argv)
    if not Path(args.submissions).is_dir():
        print(f"grade-all: {args.submissions} is not a folder", file=sys.stderr)
        return 2

    def progress(row):
        score = f"{row['score']} / {row['max_score']}" if row["status"] == "graded" else row["message"]
        print(safe_text(f"{row['submission']}: {row['status']}: {score}"), flush=True)

    try:
        clear_output(args.out)
    except ValueError as error:
        print(f"grade-all: {error}", file=sys.stderr)
        return 2
    rows = grade_all(args.submissions, args.out, jobs=args.jobs, progress=progress,
                     components=_flatten(args.component), chapters=_flatten(args.chapter),
                     call_timeout=args.call_timeout, run_timeout=args.total_timeout)
    print(f"\n{len(rows)} submission(s); scores in {Path(args.out) / SCORES_NAME}, "
          f"class report in {Path(args.out) / REPORT_NAME}")
    return 0 if all(row["status"] == "graded" for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
