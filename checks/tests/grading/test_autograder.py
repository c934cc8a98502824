"""checks/grading/run_autograder, Gradescope's entry point, run for real with bash.

Gradescope runs it as root in /autograder; here its folders come from the environment
(DLFS_SOURCE = this repository, DLFS_SUBMISSION / DLFS_RESULTS in tmp_path); the
submission runs inside the boundary grading chooses here (checks/isolation/boundary.py).
DLFS_GRADE_ARGS keeps the run to chapter 2.
"""

import json
import os
import subprocess
import sys

from checks.tests.fixtures.grading import restore_from_reference, shipped_exercises
from checks.isolation.adapters import REPO_ROOT

RUN_AUTOGRADER = REPO_ROOT / "checks" / "grading" / "run_autograder"
GRADESCOPE_TEST_KEYS = {"name", "number", "score", "max_score", "status", "output", "visibility"}


def _run_autograder(submission, results):
    env = {**os.environ, "DLFS_SOURCE": str(REPO_ROOT), "DLFS_SUBMISSION": str(submission),
           "DLFS_RESULTS": str(results), "DLFS_PYTHON": sys.executable,
           "DLFS_GRADE_ARGS": "--chapter 2"}
    return subprocess.run(["bash", str(RUN_AUTOGRADER)], env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True)


def test_run_autograder_writes_gradescope_results_for_a_copy_of_the_repository(tmp_path):
    submission = tmp_path / "submission"
    package = shipped_exercises(submission / "exercises")
    restore_from_reference(package, "gates.py")
    before = sorted(p.relative_to(submission) for p in submission.rglob("*"))

    run = _run_autograder(submission, tmp_path / "results")

    assert run.returncode == 0, run.stdout + run.stderr
    data = json.loads((tmp_path / "results" / "results.json").read_text())
    assert data["score"] == data["max_score"] == 5
    assert isinstance(data["execution_time"], (int, float)) and "Perceptrons" in data["output"]
    assert len(data["tests"]) == 4
    for test in data["tests"]:
        assert set(test) >= GRADESCOPE_TEST_KEYS and test["status"] == "passed"
    # the grader worked on a copy: the submitted folder is as it was
    assert sorted(p.relative_to(submission) for p in submission.rglob("*")) == before


def test_run_autograder_explains_a_submission_it_cannot_grade(tmp_path):
    submission = tmp_path / "submission"
    submission.mkdir()
    (submission / "answers.txt").write_text("no code here")

    run = _run_autograder(submission, tmp_path / "results")

    assert run.returncode == 2
    data = json.loads((tmp_path / "results" / "results.json").read_text())
    assert data["score"] == 0 and "nothing to grade" in data["output"]
    # every check still listed, with 0 and the reason (issue 21, step 6)
    assert data["tests"] and all(t["score"] == 0 and t["max_score"] > 0 and "nothing to grade" in t["output"]
                                 for t in data["tests"])


def test_run_autograder_never_follows_a_link_out_of_the_submission(tmp_path):
    """A submitted symlink to the grader's own reference/ is left out of the graded copy, not copied."""
    submission = tmp_path / "submission"
    package = shipped_exercises(submission / "exercises")
    (package / "gates.py").unlink()
    os.symlink(REPO_ROOT / "reference" / "gates.py", package / "gates.py")  # "my solution"
    os.symlink(REPO_ROOT / "reference", submission / "answers")

    run = _run_autograder(submission, tmp_path / "results")

    assert run.returncode == 0, run.stdout + run.stderr
    assert "left out of the graded copy: exercises/gates.py (a link leaving the submission)" in run.stderr
    assert "answers (a link to a folder)" in run.stderr
    data = json.loads((tmp_path / "results" / "results.json").read_text())
    assert data["score"] == 0 < data["max_score"]  # the reference's gates were not graded as the submission's
