"""A valid results.json in every case, with the points reached and the reason.

Each test grades a real submission folder through the real command line (a child
process running pytest, which runs the implementation in its own child), then parses
results.json and checks the exit status: a surrogate in an exception's message, an
80 MB message, a book-layout folder holding a FIFO, a link to /dev/zero and a tree
1,000 folders deep, a correct but slow submission meeting a small total time limit,
nothing gradable at all, and grade-all with an undecodable folder name and a folder
named scores.csv. Plus the non-finite attack of the sandbox issue, graded in full.
"""

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from checks.grading.safe_text import safe_text
from checks.isolation.adapters import REPO_ROOT
from checks.tests.fixtures.attacks import build_nan_near_point_attack
from checks.tests.fixtures.grading import REFERENCE, build_book_layout, copy_package, stub_method

# One component's points: AND is worth 1.25 (grading a subset keeps what a check is worth).
AND_POINTS = 1.25


def _grade(*args, timeout=600):
    """Run `python -m checks.grading ARGS`; returns the CompletedProcess."""
    return subprocess.run([sys.executable, "-m", "checks.grading", *args], cwd=REPO_ROOT, capture_output=True,
                          timeout=timeout)


def _results(out):
    """results.json parsed, after checking it is valid UTF-8 with a score and an output."""
    data = json.loads((Path(out) / "results.json").read_bytes().decode("utf-8"))
    assert isinstance(data["score"], (int, float)) and isinstance(data["output"], str) and data["output"]
    assert isinstance(data["tests"], list)
    return data


def _forward_points(data, component):
    """The points `component` earned for its forward values (check_forward_matches_definition), which
    a submission whose backward raises keeps; every other check of it must have earned 0."""
    tests = [test for test in data["tests"] if test["name"].split(" ", 1)[-1].startswith(component + "(")]
    forward = [test for test in tests if test["name"].endswith("-check_forward_matches_definition")]
    assert forward and all(test["status"] == "passed" for test in forward)
    assert all(test["score"] == 0 for test in tests if test not in forward), tests
    return sum(test["score"] for test in forward)


def _affine_raising(tmp_path, message_expression):
    package = copy_package(REFERENCE, tmp_path / "submission")
    stub_method(package, "layers/affine.py", "Affine.backward", f"raise ValueError({message_expression})")
    return package


def test_a_lone_surrogate_in_an_exception_message_still_gives_results(tmp_path):
    package = _affine_raising(tmp_path, '"bad " + chr(0xdcff) + " value"')
    out = tmp_path / "out"
    run = _grade(f"--impl={package}", "--component", "Affine", "--component", "AND", "--out", str(out))
    assert run.returncode == 0, run.stderr.decode(errors="replace")
    data = _results(out)
    # AND passes; every Affine check reaching backward fails (its forward, right, earns its own points)
    assert data["score"] == pytest.approx(AND_POINTS + _forward_points(data, "Affine"))
    failed = [test["output"] for test in data["tests"] if test["status"] == "failed"]
    assert failed and any("bad \ufffd value" in output for output in failed)


def test_a_message_of_one_huge_line_is_capped_in_bytes(tmp_path):
    # 3 MB on one line, in every Affine check reaching backward: capped by lines it stayed whole
    # (the 80 MB results.json); capped in bytes each message keeps 8 KB
    package = _affine_raising(tmp_path, '"x" * (3 << 20)')
    out = tmp_path / "out"
    run = _grade(f"--impl={package}", "--component", "Affine", "--out", str(out))
    assert run.returncode == 0, run.stderr.decode(errors="replace")
    assert (out / "results.json").stat().st_size < 1 << 20
    data = _results(out)
    assert data["score"] == pytest.approx(_forward_points(data, "Affine"))  # only its forward, which is right
    assert any("more bytes not shown" in test["output"] or "more characters not shown" in test["output"]
               for test in data["tests"])
    assert len((out / "summary.txt").read_bytes()) < 1 << 20


def _deep_tree(root, depth):
    path = root
    path.mkdir()
    for _ in range(depth):  # one level at a time: os.makedirs recurses once per level
        path = path / "d"
        path.mkdir()
    return path


def _remove_deep_tree(root, deepest):
    # bottom up, without recursion (shutil.rmtree recurses once per level)
    for name in ("deep.py",):
        if (deepest / name).exists():
            (deepest / name).unlink()
    path = deepest
    while path != root.parent:
        path.rmdir()
        path = path.parent


def test_a_book_layout_with_a_fifo_a_dev_zero_link_and_a_deep_tree_is_graded(tmp_path):
    root = build_book_layout(tmp_path / "book")
    (root / "ch04").mkdir(exist_ok=True)
    os.mkfifo(root / "ch04" / "fifo_module.py")  # open() would wait for a writer forever
    os.symlink("/dev/zero", root / "common" / "zero.py")  # read() would never end
    deepest = _deep_tree(root / "deep", 1000)
    (deepest / "deep.py").write_text("x = np.int(3)\n")
    out = tmp_path / "out"
    try:
        run = _grade(f"--impl=book:{root}", "--component", "AND", "--out", str(out))
    finally:
        _remove_deep_tree(root / "deep", deepest)
    assert run.returncode == 0, run.stderr.decode(errors="replace")
    data = _results(out)
    assert data["score"] == AND_POINTS
    notes = "\n".join(data["extra_data"]["notes"])
    assert "folders more than 10 levels deep were not scanned" in notes, notes
    assert "common/functions.py uses NumPy aliases" in notes  # the regular files were still scanned


# slow tier: it waits out a total time limit; test_budget's autograder test keeps the fast tier's check of it
@pytest.mark.slow
def test_a_slow_correct_submission_keeps_the_points_reached_before_the_total_time_limit(tmp_path):
    package = copy_package(REFERENCE, tmp_path / "slow")
    # correct, but its first call takes an hour: only the total time limit can stop it
    (package / "layers" / "affine.py").write_text(
        "import time as _time\n" + (package / "layers" / "affine.py").read_text(encoding="utf-8"), encoding="utf-8")
    stub_method(package, "layers/affine.py", "Affine.__init__",
                "_time.sleep(3600)\nself.W, self.b = W, b\nself.x = self.original_x_shape = None\n"
                "self.dW = self.db = None")
    out = tmp_path / "out"
    run = _grade(f"--impl={package}", "--component", "AND", "--component", "Affine", "--out", str(out),
                 "--call-timeout", "7200", "--check-budget", "7200", "--total-timeout", "20")
    assert run.returncode == 0, run.stderr.decode(errors="replace")
    data = _results(out)
    assert data["score"] == AND_POINTS  # AND's verdicts were reached and are kept
    by_component = {}
    for test in data["tests"]:
        by_component.setdefault(test["tags"][0], []).append(test)
    assert all(test["status"] == "passed" for test in by_component["AND"])
    affine = by_component["Affine"]
    assert affine and all(test["status"] == "failed" and "TIMED OUT" in test["output"] for test in affine)
    assert any("total time limit of 20 s" in test["output"] for test in affine)
    assert "grading stopped early" in data["output"] and "total time limit" in data["output"]


def test_nothing_gradable_exits_2_with_a_results_json_saying_why(tmp_path):
    out = tmp_path / "out"
    run = _grade(f"--impl={tmp_path / 'no-such-folder'}", "--out", str(out))
    assert run.returncode == 2
    data = _results(out)
    assert data["score"] == 0 and "Grading could not run" in data["output"] and "no-such-folder" in data["output"]
    # every check is still listed, with 0 of its share and the reason (issue 21, step 6)
    assert data["max_score"] == 100 and len(data["tests"]) > 200
    assert all(t["score"] == 0 and t["status"] == "failed" and "no-such-folder" in t["output"] for t in data["tests"])


def test_grade_all_survives_an_undecodable_name_and_a_folder_named_scores_csv(tmp_path):
    submissions = tmp_path / "submissions"
    submissions.mkdir()
    undecodable = os.fsdecode(b"caf\xe9-latin1")  # not UTF-8: a zip unpacked on another system
    for name in (undecodable, "scores.csv", "good"):
        copy_package(REFERENCE, submissions / name)
    out = tmp_path / "out"
    run = subprocess.run([sys.executable, "-m", "checks.grading.batch", str(submissions), "--out", str(out),
                          "--jobs", "2", "--component", "AND"], cwd=REPO_ROOT, capture_output=True, timeout=900)
    assert run.returncode == 0, run.stdout.decode(errors="replace") + run.stderr.decode(errors="replace")
    text = (out / "scores.csv").read_bytes().decode("utf-8")  # a file, valid UTF-8
    rows = {row["submission"]: row for row in csv.DictReader(text.splitlines())}
    assert sorted(rows) == ["caf\\xe9-latin1", "good", "scores.csv"]
    assert all(row["status"] == "graded" and float(row["score"]) == AND_POINTS for row in rows.values()), rows
    for folder in ("caf%E9-latin1", "%73cores.csv", "good"):
        assert _results(out / folder)["score"] == AND_POINTS


def test_grade_all_gives_a_not_graded_row_and_a_results_json_to_what_cannot_be_graded(tmp_path):
    submissions = tmp_path / "submissions"
    (submissions / "empty").mkdir(parents=True)
    copy_package(REFERENCE, submissions / "good")
    from checks.grading.batch import grade_all

    rows = {row["submission"]: row for row in grade_all(submissions, tmp_path / "out", jobs=1, components=["AND"])}
    assert rows["good"]["status"] == "graded" and rows["empty"]["status"] == "not graded"
    data = _results(tmp_path / "out" / "empty")
    assert data["score"] == 0 and "nothing to grade" in data["output"]


@pytest.mark.parametrize("text, limit", [("a" * 100, 10), ("é" * 100, 11), ("ok", 10), ("\udcff" * 3, 100)])
def test_safe_text_is_valid_utf8_within_the_limit(text, limit):
    made = safe_text(text, limit)
    data = made.encode("utf-8")  # would raise on a lone surrogate
    kept = made.split("\n… (")[0]
    assert len(kept.encode("utf-8")) <= limit
    assert ("more bytes not shown" in made) == (len(text.encode("utf-8", "surrogatepass")) > limit)
    assert data


def test_the_nan_near_the_point_attack_scores_far_below_its_old_97(tmp_path):
    """Every layer NaN near the checked point and zero in backward: 98.02 before, 57.05 now — the
    points left are those of the components it leaves alone (gates, functions, optimizers)."""
    package = build_nan_near_point_attack(tmp_path / "attack")
    out = tmp_path / "out"
    layers = ("Affine", "Relu", "Sigmoid", "SoftmaxWithLoss", "TwoLayerNet")
    run = _grade(f"--impl={package}", *(f"--component={name}" for name in layers), "--out", str(out))
    assert run.returncode == 0, run.stderr.decode(errors="replace")
    data = _results(out)
    # before, only TwoLayerNet's own numerical gradient lost points here (98.02 overall); now every
    # check of an attacked layer earns 0, and what is left is TwoLayerNet's honest part (its
    # initialization, keys and shapes, loss and accuracy at the point, which the attack leaves right)
    earned = {}
    for test in data["tests"]:
        if not test["name"].endswith("-check_forward_matches_definition"):  # right at the point: it is
            earned[test["tags"][0]] = earned.get(test["tags"][0], 0) + test["score"]
    assert all(earned[name] == 0 for name in layers[:-1]), earned
    gradient = [t for t in data["tests"] if t["name"].endswith("TwoLayerNet(6-5-3)-check_gradient_matches_numerical")]
    assert gradient and gradient[0]["status"] == "failed"
    assert data["score"] < 0.15 * data["max_score"], (data["score"], data["max_score"])
    failed = [test for test in data["tests"] if test["status"] == "failed"]
    assert any("forward is not finite near" in test["output"] for test in failed)


def test_a_report_that_cannot_be_built_still_leaves_a_results_json_with_the_points(tmp_path, monkeypatch):
    from fractions import Fraction

    from checks.grading import report, scoring as core

    raw = [{"nodeid": "checks/suite/test_components.py::test_component[AND(truth-table)-check_truth_table]",
            "outcome": "passed", "message": "", "duration": 0.1, "xfail": None,
            "check": "check_truth_table", "case": "AND(truth-table)"}]
    records = core.score_records(raw, "package")
    result = core.GradeResult(impl="x", label="x", kind="package", records=records,
                              exact_score=sum((r.earned for r in records), Fraction(0)),
                              exact_max_score=sum((r.points for r in records), Fraction(0)))

    def broken(*args, **kwargs):  # fault injection: a bug in the summary
        raise RuntimeError("summary bug \udcff")

    monkeypatch.setattr(report, "render_summary", broken)
    problems = report.write_reports(result, tmp_path)
    data = _results(tmp_path)
    assert data["score"] == AND_POINTS and len(data["tests"]) == 1
    assert "summary bug \ufffd" in data["output"] and problems
