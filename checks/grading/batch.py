"""`python -m checks.grading.batch SUBMISSIONS`: grade every submission folder in SUBMISSIONS
(what `make grade-all` runs).

Each submission is graded by its own grading process (one pytest process and its
implementation child), `--jobs` at a time (default: the number of cores). Writes
`<out>/<name>/results.json` (plus junit.xml, summary.txt) for each and
`<out>/scores.csv` for all (with per-chapter columns) and the class report
`<out>/report.html` (with the known mistakes per component, misconceptions.py). Each
submission is resolved on its own (checks/isolation/intake/: zips unpacked safely, loose
`.py` files placed onto the exercises' modules, notebooks read). While one submission is
graded, the others' folders are read-only to it (it cannot sabotage them). Exit status 0
when every folder could be graded, 1 when some could not (their rows say why), 2 on bad
arguments or shards that do not merge.

A rerun into the same `--out` keeps each result graded by the same grader from the same
content and grades the rest (`--regrade`: everything); `--shard I/N` grades one of N
deterministic slices, `--merge OUT…` joins the slices' folders into the output of one
run (shards.py). `--canvas ROSTER.csv` also writes a Canvas gradebook import
(exports.py). Every text from a submission is neutralized for where it goes: the
terminal, scores.csv, the HTML report (safe_text.py).

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
import hashlib
import inspect
import json
import os
import shutil
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

from .__main__ import _chapters, _flatten, _names
from .class_report import CHAPTER_COLUMNS, REPORT_NAME, chapter_columns, write_report
from .exports import CANVAS_KEYS, CANVAS_NAME, CanvasError, canvas_import, csv_text
from . import warm
from .run import DEFAULT_CALL_TIMEOUT, DEFAULT_RUN_TIMEOUT, GradingError, grade
from .report import RESULTS_NAME, write_atomic, write_error_results
from .shards import (RECORD_KEY, Shard, ShardError, grader_fingerprint, parse_shard, read_manifest, read_record,
                     reusable, submission_digest, write_manifest)
from ..isolation.intake import IntakeError, resolve
from ..locations import temporary_folder
from ..isolation.intake.loose_files import pristine_stubs
from ..isolation.intake.submission import list_submissions
from .safe_text import display_name, safe_text, terminal_line

__all__ = ["grade_all", "CSV_COLUMNS", "main", "merge", "output_name", "SCORES_NAME", "SKIPPED_KEY", "clear_output"]

SCORES_NAME = "scores.csv"
# kept as they are in an output folder's name, with letters, digits and marks of any script;
# everything else is %-escaped (so '%' itself is, which keeps the mapping one-to-one)
_SAFE = set(" !#$&'()+,-.;=@[]^_`{}~")
# an output folder's name in bytes, at most (file systems allow 255): longer names are cut and
# given a digest of the whole name, so distinct names stay distinct
OUTPUT_NAME_BYTES = 200
# a row's key for its output folder's name (the class report reads results.json there); not a CSV column
FOLDER_KEY = "_folder"
# a row's key saying it was kept from an earlier run into the same folder; not a CSV column
SKIPPED_KEY = "_kept"

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


def _blank_row(entry):
    row = dict.fromkeys(CSV_COLUMNS + CHAPTER_COLUMNS, "")
    row["submission"] = display_name(entry.name)
    row[FOLDER_KEY] = output_name(entry.name)
    return row


def _failed_row(row, started, reason):
    row.update(status="not graded", message=safe_text(" ".join(str(reason).split()), 500),
               seconds=f"{time.monotonic() - started:.1f}")
    return row


def _record(out_dir, row, fingerprint, digest, retry):
    """Add the grade-all record (shards.py) to `out_dir`/results.json: who graded what, and the row."""
    path = out_dir / RESULTS_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        data.setdefault("extra_data", {})[RECORD_KEY] = {"grader": fingerprint, "submission": digest,
                                                         "retry": retry, "row": row}
        write_atomic(path, json.dumps(data, indent=1, ensure_ascii=False, allow_nan=False) + "\n")
    except (OSError, ValueError, AttributeError):
        pass  # without its record the submission is graded again next time, nothing worse


def _grade_one(entry, out_root, protect_roots, options, work, stubs, submissions, fingerprint):
    started = time.monotonic()
    row = _blank_row(entry)
    out_dir = out_root / row[FOLDER_KEY]
    digest = submission_digest(entry.path)
    previous = reusable(read_record(out_dir), fingerprint, digest)
    if previous is not None:
        previous[SKIPPED_KEY] = True
        return previous
    shutil.rmtree(out_dir, ignore_errors=True)  # a stale result never mixes with the new one
    retry = False
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
        # what the submission is decides an IntakeError; anything else may pass on another try
        retry = not isinstance(error, IntakeError)
        reason = str(error) if known else f"an error in the grader ({type(error).__name__}: {error})"
        try:
            write_error_results(out_dir, reason, execution_time=time.monotonic() - started,
                                components=options.get("components"), chapters=options.get("chapters"))
        except OSError:
            pass
        row = _failed_row(row, started, reason)
    else:
        counts = result.counts()
        row.update(status="graded", score=f"{result.score:.4f}", max_score=f"{result.max_score:.4f}",
                   percent=f"{result.percent:.2f}", seconds=f"{result.execution_time:.1f}",
                   **{name: counts[name] for name in ("passed", "wrong", "not_attempted", "error", "deviation")},
                   **chapter_columns(result))
    _record(out_dir, row, fingerprint, digest, retry)
    return row


def _prepare_output(out_dir, regrade):
    """Make `out_dir` grade-all's: created, or kept for resuming (it holds the mark), or emptied
    (`regrade`); ValueError when it holds anything else."""
    out_dir = Path(out_dir)
    if regrade or not (out_dir / _OUTPUT_MARK).is_file():
        clear_output(out_dir)


def _write_outputs(rows, out_dir):
    rows.sort(key=lambda row: os.fsencode(row["submission"]))
    write_atomic(out_dir / SCORES_NAME, csv_text(rows, CSV_COLUMNS + CHAPTER_COLUMNS))
    write_report(rows, out_dir)


def _scoring_options(options):
    """The options that change a verdict, as grading will use them (an option left out is its
    default): the grader's fingerprint holds them, the same from the command line and from Python."""
    defaults = {name: parameter.default for name, parameter in inspect.signature(grade).parameters.items()}
    return {key: options[key] if options.get(key) is not None else defaults.get(key)
            for key in ("components", "chapters", "call_timeout", "run_timeout", "check_budget", "load_timeout",
                        "memory_limit", "select")}


def grade_all(submissions, out_dir, jobs=None, workers=1, progress=None, shard=None, regrade=False, **options):
    """Grade every folder and zip in `submissions` (only those of `shard`, a shards.Shard, when given);
    returns the CSV rows (dicts), also written to scores.csv.

    Into an `out_dir` of an earlier run, a submission graded there by the same grader from the
    same content keeps its result (its row says SKIPPED_KEY); `regrade` grades everything again.
    """
    submissions = Path(submissions).resolve()
    out_dir = Path(out_dir).resolve()
    shard = shard or Shard()
    jobs = jobs or os.cpu_count() or 1
    _prepare_output(out_dir, regrade)
    fingerprint = grader_fingerprint(_scoring_options(options))
    rows = []
    # dlfs-scratch-<pid>-…: a grade-all killed mid-run leaves its submissions' copies to the next sweep
    with temporary_folder("scratch") as work:
        work = Path(work)
        listed = list_submissions(submissions)
        entries = [entry for entry in listed if shard.holds(entry.name)]
        kept = {output_name(entry.name) for entry in entries}
        for stale in out_dir.iterdir():  # submissions gone, or of another shard now
            if stale.is_dir() and not stale.is_symlink() and stale.name not in kept:
                shutil.rmtree(stale, ignore_errors=True)
        stubs = pristine_stubs(work) if entries else None  # rendered once, read by every loose upload
        if len(entries) > 1:
            warm.expect_many()  # every grading forked from one warm process, the first one too
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            futures = {pool.submit(_grade_one, entry, out_dir, [submissions, work],
                                   {"workers": workers, **options}, work, stubs, submissions, fingerprint): entry
                       for entry in entries}
            for future in concurrent.futures.as_completed(futures):
                entry = futures[future]
                try:
                    row = future.result()
                except Exception as error:  # _grade_one catches everything; this is the last line of defence
                    row = _failed_row(_blank_row(entry), time.monotonic(),
                                      f"an error in the grader ({type(error).__name__}: {error})")
                rows.append(row)
                if progress is not None:
                    try:
                        progress(row)
                    except Exception:
                        pass
    _write_outputs(rows, out_dir)
    write_manifest(out_dir, shard, fingerprint, [entry.name for entry in listed], [entry.name for entry in entries])
    return rows


def merge(shard_dirs, out_dir):
    """Merge the --out folders of `grade-all --shard I/N` runs (every I of one N) into `out_dir`:
    their submissions' folders, one scores.csv and one report.html, as one unsharded run writes
    them. Returns the rows; ShardError when the folders are not the N shards of one class graded
    by one grader (naming what differs), ValueError for an `out_dir` grade-all did not write."""
    shard_dirs = [Path(folder).resolve() for folder in shard_dirs]
    out_dir = Path(out_dir).resolve()
    if out_dir in shard_dirs:
        raise ShardError(f"--out {out_dir} is one of the shards being merged; choose another folder")
    manifests = [(folder, read_manifest(folder)) for folder in shard_dirs]
    first_dir, first = manifests[0]
    seen = {}
    for folder, manifest in manifests:
        for key, what in (("grader", "a different grader (dlfs version, checks, points or options)"),
                          ("shards", "another number of shards"),
                          ("listed", "another folder of submissions (not the same names)")):
            if manifest[key] != first[key]:
                raise ShardError(f"{folder} was graded with {what} than {first_dir}: grade every shard from the "
                                 f"same checkout, options and submissions")
        if manifest["shard"] in seen:
            raise ShardError(f"{folder} and {seen[manifest['shard']]} are both shard "
                             f"{manifest['shard']}/{manifest['shards']}")
        seen[manifest["shard"]] = folder
    missing = sorted(set(range(1, first["shards"] + 1)) - set(seen))
    if missing:
        count = first["shards"]
        raise ShardError(f"shard(s) {', '.join(f'{i}/{count}' for i in missing)} missing: merge the --out "
                         f"folders of all {count} shards")
    clear_output(out_dir)
    rows = []
    for folder, manifest in manifests:
        for name in manifest["graded"]:
            name_folder = output_name(name)
            source = folder / name_folder
            record = read_record(source)
            if record is None:
                raise ShardError(f"{source}: no grade-all record in its {RESULTS_NAME}; grade shard "
                                 f"{manifest['shard']}/{manifest['shards']} again into {folder}")
            shutil.copytree(source, out_dir / name_folder)
            rows.append(dict(record["row"]))
    _write_outputs(rows, out_dir)
    write_manifest(out_dir, Shard(), first["grader"], first["listed"], first["listed"])
    return rows


def _parser():
    parser = argparse.ArgumentParser(prog="python -m checks.grading.batch", description=__doc__.splitlines()[0])
    parser.add_argument("submissions", nargs="?", help="a folder holding one folder or .zip per submission")
    parser.add_argument("--out", default="build/grade-all", help="where scores.csv and <name>/results.json go")
    parser.add_argument("--shard", type=parse_shard, default=None, metavar="I/N",
                        help="grade only the I-th of N slices of the submissions (the same on every machine)")
    parser.add_argument("--merge", nargs="+", metavar="OUT", default=None,
                        help="merge the --out folders of the N shards into --out (no grading)")
    parser.add_argument("--regrade", action="store_true",
                        help="grade every submission again (default: keep those graded into --out by the same "
                             "grader from the same content)")
    parser.add_argument("--canvas", metavar="ROSTER.csv", default=None,
                        help="also write canvas.csv, a gradebook import for Canvas, from its exported gradebook")
    parser.add_argument("--canvas-assignment", default="dlfs", metavar="NAME",
                        help='the Canvas assignment column (e.g. "dlfs (12345)" for an existing one; default dlfs)')
    parser.add_argument("--canvas-key", default=None, metavar="COLUMN",
                        help="the roster column naming each student's submission (default: the first of "
                             + ", ".join(CANVAS_KEYS) + " that matches)")
    parser.add_argument("--jobs", type=int, default=None, help="submissions graded at once (default: cores)")
    parser.add_argument("--component", type=_names, action="append", default=None, metavar="NAME[,NAME…]",
                        help="grade only these components: Affine or Affine,Relu (repeatable)")
    parser.add_argument("--chapter", type=_chapters, action="append", default=None, metavar="N[,N…]",
                        help="grade only these chapters: 5, 3,5 or 3-5 (repeatable)")
    parser.add_argument("--call-timeout", type=float, default=DEFAULT_CALL_TIMEOUT)
    parser.add_argument("--total-timeout", type=float, default=DEFAULT_RUN_TIMEOUT,
                        help="seconds one submission's run may take; checks not reached are marked timed out")
    return parser


def _progress(row):
    state = f"{row['score']} / {row['max_score']}" if row["status"] == "graded" else row["message"]
    if row.get(SKIPPED_KEY):
        state += " (unchanged since it was graded into this folder: kept)"
    # one line whatever a name or a message holds: no escape sequence reaches the terminal
    print(terminal_line(f"{row['submission']}: {row['status']}: {state}"), flush=True)


def main(argv=None):
    parser = _parser()
    args = parser.parse_args(argv)
    if args.merge is not None and (args.submissions or args.shard):
        parser.error("--merge takes the shards' --out folders, not a folder of submissions or --shard")
    if args.merge is None and not args.submissions:
        parser.error("expected a folder of submissions (or --merge OUT_1 … OUT_N)")
    if args.merge is None and not Path(args.submissions).is_dir():
        print(f"grade-all: {args.submissions} is not a folder", file=sys.stderr)
        return 2
    out = Path(args.out)
    try:
        if args.merge is not None:
            rows = merge(args.merge, out)
            print(f"merged {len(args.merge)} shard(s): {len(rows)} submission(s)")
        else:
            _prepare_output(out, args.regrade)
            rows = grade_all(args.submissions, out, jobs=args.jobs, progress=_progress, shard=args.shard,
                             regrade=False, components=_flatten(args.component), chapters=_flatten(args.chapter),
                             call_timeout=args.call_timeout, run_timeout=args.total_timeout)
            kept = sum(1 for row in rows if row.get(SKIPPED_KEY))
            print(f"\n{len(rows)} submission(s)" + (f" of shard {args.shard}" if args.shard else "")
                  + (f", {kept} kept from the last run" if kept else ""))
        if args.canvas:
            text, unmatched, column = canvas_import(rows, args.canvas, args.canvas_assignment, args.canvas_key)
            write_atomic(out / CANVAS_NAME, text)
            print(f"Canvas gradebook import in {out / CANVAS_NAME} (students matched by {column!r})")
            for name in unmatched:
                print(terminal_line(f"  no student in {args.canvas} for the submission {name}"))
    except (ShardError, CanvasError, ValueError) as error:
        print(terminal_line(f"grade-all: {error}"), file=sys.stderr)
        return 2
    print(f"scores in {out / SCORES_NAME}, class report in {out / REPORT_NAME}")
    return 0 if all(row["status"] == "graded" for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
