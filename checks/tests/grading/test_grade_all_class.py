"""grade-all on a small class with hostile names: every medium gets neutralized text, known mistakes are
counted, a rerun keeps what did not change, shards merge, Canvas gets its import.

One real batch (Sigmoid's checks only, so that it stays quick) over submissions whose
names are what a spreadsheet runs as formulas, what a terminal executes (a window title,
a cleared screen, a carriage return followed by a fake score) and HTML.
"""

import csv
import io
import json
import shutil

import pytest

from checks.grading.batch import FOLDER_KEY, main, output_name
from checks.grading.exports import CanvasError, canvas_import
from checks.grading.safe_text import csv_cell, safe_text, terminal_line
from checks.grading.shards import ShardError, grader_fingerprint, parse_shard, shard_of, submission_digest
from checks.tests.fixtures.classes import UNEXPLAINED_SIGMOID, add_mistakes
from checks.tests.fixtures.grading import REFERENCE, copy_package
from checks.tools.mutants import MUTANTS_DIR

FORMULA = '=HYPERLINK("evil.example";"100")<script>'  # a folder's name: no "/"
TERMINAL = "\x1b]0;pwned\x07\x1b[2J\rtaro: graded: 100.00 of 100.00"
EMPTY = "-2+3<img src=x>"
SIGMOID_Y = (MUTANTS_DIR / "sigmoid_backward_uses_y.py").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """(submissions, out, stdout of the first run, stdout of a rerun) of `grade-all --component Sigmoid`."""
    root = tmp_path_factory.mktemp("class")
    subs = root / "submissions"
    add_mistakes(copy_package(REFERENCE, subs / "hanako"), [SIGMOID_Y])
    add_mistakes(copy_package(REFERENCE, subs / "@jiro"), [SIGMOID_Y])
    add_mistakes(copy_package(REFERENCE, subs / TERMINAL), [UNEXPLAINED_SIGMOID])
    copy_package(REFERENCE, subs / FORMULA)
    (subs / EMPTY).mkdir()  # nothing in it: a row saying so, in the class report too
    roster = root / "roster.csv"
    roster.write_text("Student,ID,SIS User ID,SIS Login ID,Section,dlfs\n"
                      "    Points Possible,,,,,\n"
                      "Hanako Yamada,101,s101,hanako,A,\n"
                      "Jiro Sato,102,s102,@jiro,A,\n"
                      "Absent Student,103,s103,absent,B,\n", encoding="utf-8")
    out = root / "out"
    runs = []
    for _ in range(2):
        stdout = io.StringIO()
        from contextlib import redirect_stdout

        with redirect_stdout(stdout):
            status = main([str(subs), "--out", str(out), "--jobs", "2", "--component", "Sigmoid",
                           "--canvas", str(roster)])
        assert status == 1  # EMPTY could not be graded
        runs.append(stdout.getvalue())
    return subs, out, runs[0], runs[1]


def test_no_escape_sequence_reaches_the_terminal_and_no_line_is_faked(graded):
    _subs, _out, first, _rerun = graded
    assert "\x1b" not in first and "\r" not in first and "\x07" not in first
    lines = first.splitlines()
    shown = [line for line in lines if line.startswith("\\x1b]0;pwned")]
    assert len(shown) == 1 and "\\r" in shown[0]  # one line, the carriage return made visible
    assert not any(line.startswith("taro") for line in lines)


def test_scores_csv_runs_no_formula_and_lists_every_submission(graded):
    _subs, out, _first, _rerun = graded
    rows = list(csv.reader(io.StringIO((out / "scores.csv").read_text(encoding="utf-8"))))
    assert len(rows) == 6
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)
    names = [row[0] for row in rows[1:]]
    assert "'" + FORMULA in names and "'@jiro" in names and "'" + EMPTY in names
    assert safe_text(TERMINAL) in names  # shown, escape sequences visible


def test_the_class_report_counts_every_submission_and_each_known_mistake(graded):
    _subs, out, _first, _rerun = graded
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "<img" not in page and "&lt;img src=x&gt;" in page and "\x1b" not in page
    assert "<td>Sigmoid</td>" in page and "<td>1 / 4</td>" in page  # four graded, whatever their names
    assert ("<b>2 students</b>: Sigmoid backward uses the output y as the derivative instead of y(1 − y), §5.5.2"
            in page)
    assert "<b>1 student</b>: Sigmoid fails in a way no known mistake describes" in page
    # the diagnoses are the failing checks themselves, not the property checks the credit rule withholds
    # because of them (results.json tags those "gated")
    assert "check_backward_gradient_dx" in page and "not credited" not in page
    tests = json.loads((out / output_name("hanako") / "results.json").read_text(encoding="utf-8"))["tests"]
    assert {tuple(test["tags"]) for test in tests if test["status"] == "failed"} == {
        ("Sigmoid", "wrong"), ("Sigmoid", "wrong", "gated")}


def test_results_json_and_the_learners_summary_name_the_mistake(graded):
    _subs, out, _first, _rerun = graded
    folder = out / output_name("hanako")
    extra = json.loads((folder / "results.json").read_text(encoding="utf-8"))["extra_data"]
    assert extra["misconceptions"] == [{"component": "Sigmoid", "labels": ["sigmoid_backward_uses_y"],
                                        "mistakes": ["backward uses the output y as the derivative instead of "
                                                     "y(1 − y)"], "section": "§5.5.2"}]
    assert extra["unexplained"] == [] and extra["grade_all"]["row"][FOLDER_KEY] == "hanako"
    summary = (folder / "summary.txt").read_text(encoding="utf-8")
    assert "likely mistake in Sigmoid (book §5.5.2): backward uses the output y" in summary
    odd = json.loads((out / output_name(TERMINAL) / "results.json").read_text(encoding="utf-8"))["extra_data"]
    assert odd["misconceptions"] == [] and odd["unexplained"] == ["Sigmoid"]
    first_line = (out / output_name(TERMINAL) / "summary.txt").read_text(encoding="utf-8").splitlines()[0]
    assert "\x1b" not in first_line and "\\x1b]0;pwned" in first_line and "taro" in first_line


def test_a_rerun_keeps_every_result_graded_by_the_same_grader(graded):
    _subs, _out, _first, rerun = graded
    kept = [line for line in rerun.splitlines() if line.endswith("kept)")]
    assert len(kept) == 5, rerun


def test_canvas_gets_a_gradebook_import_matched_by_login(graded):
    _subs, out, first, _rerun = graded
    rows = list(csv.DictReader(io.StringIO((out / "canvas.csv").read_text(encoding="utf-8"))))
    assert [row["Student"] for row in rows] == ["    Points Possible", "Hanako Yamada", "Jiro Sato", "Absent Student"]
    scores = {row["SIS Login ID"]: row["dlfs"] for row in rows}
    assert scores["'@jiro"] == scores["hanako"] != "" and scores["absent"] == ""
    assert float(rows[0]["dlfs"]) > float(scores["hanako"])
    assert "matched by 'SIS Login ID'" in first and f"for the submission {EMPTY}" in first


def test_a_roster_that_is_not_canvass_export_is_refused_with_its_columns(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("name,score\nA,1\n", encoding="utf-8")
    with pytest.raises(CanvasError, match="got the columns name, score"):
        canvas_import([], roster)


# -- the pieces ---------------------------------------------------------------------------------
def test_text_for_each_medium():
    assert safe_text("a\x1b[2Jb\rc\r\nd\u202ee\x9bf\tg") == "a\\x1b[2Jb\\rc\nd\\u202ee\\x9bf\tg"
    assert terminal_line("one\ntwo\tthree") == "one\\ntwo\\tthree"
    for cell in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "＝1"):
        assert csv_cell(cell) == "'" + cell
    assert csv_cell("alice") == "alice" and csv_cell(3) == 3


def test_shards_are_the_same_slices_on_every_machine_and_cover_every_name():
    names = [f"student-{i:03d}" for i in range(300)]
    slices = {name: shard_of(name, 4) for name in names}
    assert slices == {name: shard_of(name, 4) for name in reversed(names)}  # independent of listing order
    assert shard_of("alice", 4) == 1 + int.from_bytes(__import__("hashlib").sha256(b"alice").digest()[:8],
                                                      "big") % 4
    counts = [list(slices.values()).count(index) for index in range(1, 5)]
    assert min(counts) > 50  # roughly even
    assert parse_shard("2/8").holds is not None and str(parse_shard("2/8")) == "2/8"
    for bad in ("0/3", "4/3", "2", "a/b", "1/0"):
        with pytest.raises(ShardError, match="I/N"):
            parse_shard(bad)


def test_the_fingerprint_names_the_options_and_the_digest_the_content(tmp_path):
    from checks.grading.batch import _scoring_options
    from checks.grading.run import DEFAULT_CALL_TIMEOUT, DEFAULT_RUN_TIMEOUT

    # the command line passes the default time limits, Python leaves them out: one grader
    assert _scoring_options({}) == _scoring_options({"call_timeout": DEFAULT_CALL_TIMEOUT, "components": None,
                                                     "run_timeout": DEFAULT_RUN_TIMEOUT})
    assert grader_fingerprint({"components": None}) == grader_fingerprint({"components": None})
    assert grader_fingerprint({"components": ["Affine"]}) != grader_fingerprint({"components": None})
    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "a.py").write_text("x = 1\n")
    before = submission_digest(folder)
    (folder / "a.py").touch()
    assert submission_digest(folder) == before  # a new time stamp is not a new submission
    (folder / "a.py").write_text("x = 2\n")
    assert submission_digest(folder) != before
    changed = submission_digest(folder)
    (folder / ".git").mkdir()
    (folder / ".git" / "index").write_bytes(b"stat data of this clone")
    assert submission_digest(folder) == changed  # a fresh clone of the same commit is the same submission
    (folder / "link").symlink_to("/etc/passwd")
    assert submission_digest(folder) != changed  # a link counts, never followed


def test_merge_refuses_shards_that_are_not_the_n_slices_of_one_class(graded, tmp_path):
    from checks.grading.batch import merge
    from checks.grading.shards import MANIFEST_NAME

    _subs, out, _first, _rerun = graded

    def shard(name, index, **changes):  # the class's folder, relabelled as one shard of three
        folder = tmp_path / name
        shutil.copytree(out, folder)
        manifest = json.loads((folder / MANIFEST_NAME).read_text())
        manifest.update(shard=index, shards=3, graded=[n for n in manifest["listed"] if shard_of(n, 3) == index],
                        **changes)
        (folder / MANIFEST_NAME).write_text(json.dumps(manifest))
        return folder

    one, two, three = shard("one", 1), shard("two", 2), shard("three", 3)
    with pytest.raises(ShardError, match="2/3, 3/3 missing"):
        merge([one], tmp_path / "merged")
    with pytest.raises(ShardError, match="both shard 1/3"):
        merge([one, one, three], tmp_path / "merged")
    with pytest.raises(ShardError, match="a different grader"):
        merge([one, shard("other", 2, grader="0" * 32), three], tmp_path / "merged")
    with pytest.raises(ShardError, match="is one of the shards"):
        merge([one, two, three], one)
    rows = merge([three, one, two], tmp_path / "merged")
    assert (tmp_path / "merged" / "scores.csv").read_text() == (out / "scores.csv").read_text()
    assert len(rows) == 5
