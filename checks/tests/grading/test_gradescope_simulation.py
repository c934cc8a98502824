"""The built autograder.zip, run as Gradescope runs it (real processes, real paths, no mocks).

Gradescope's sequence and the stand-in for its image: checks/tests/fixtures/gradescope.py.
setup.sh installs the dependencies from the index, so the first run takes minutes: these
tests are `slow` (run them with `pytest -m slow checks/tests/grading/test_gradescope_simulation.py`).
The same zip inside Gradescope's limits (½ CPU, 768 MB, 10 minutes): test_gradescope_envelope.py.
"""

import json
import os
import shutil
from decimal import Decimal

import pytest

from checks.tests.fixtures.gradescope import autograder_image, completed_kit, gradescope
from checks.tools.release import REFERENCE

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("bwrap") is None, reason="needs bubblewrap (apt-get install bubblewrap)"),
    pytest.mark.skipif(os.geteuid() != 0, reason="Gradescope runs the autograder as root"),
]


@pytest.fixture(scope="module")
def autograder(tmp_path_factory):
    return autograder_image(tmp_path_factory)


def _run(autograder, fill):
    """Put a submission in /autograder/submission (`fill(folder)`), run the autograder, read results.json."""
    root = autograder["root"]
    for folder in ("submission", "results"):
        shutil.rmtree(root / folder, ignore_errors=True)
    (root / "submission").mkdir()
    fill(root / "submission")
    run = gradescope(root, "/autograder/run_autograder", timeout=900)
    results_path = root / "results" / "results.json"
    assert results_path.is_file(), run.stdout[-3000:] + run.stderr[-3000:]
    return run, json.loads(results_path.read_text(encoding="utf-8"))


def _exact_sum(values):
    return sum(Decimal(str(v)) for v in values)


def test_a_completed_submission_gets_100(autograder):
    run, results = _run(autograder, lambda folder: completed_kit(autograder["kit"], folder))
    assert run.returncode == 0, run.stderr[-3000:]
    assert results["score"] == 100 and results["max_score"] == 100
    assert _exact_sum(t["max_score"] for t in results["tests"]) == 100  # exactly, not 99.99998
    assert all(t["status"] == "passed" for t in results["tests"])
    assert results["output"].startswith("dlfs grade") and "100.00 / 100.00" in results["output"]


def test_two_loose_files_get_partial_credit(autograder):
    def fill(folder):
        shutil.copyfile(REFERENCE / "functions.py", folder / "functions.py")
        shutil.copyfile(REFERENCE / "layers" / "affine.py", folder / "affine.py")

    run, results = _run(autograder, fill)
    assert run.returncode == 0, run.stderr[-3000:]
    assert 0 < results["score"] < 100 and results["max_score"] == 100
    assert _exact_sum(t["max_score"] for t in results["tests"]) == 100
    passed = {t["tags"][0] for t in results["tests"] if t["status"] == "passed"}
    assert {"softmax", "sigmoid", "Affine"} <= passed
    hidden = [t for t in results["tests"] if t["visibility"] == "hidden"]
    assert hidden and all("not_attempted" in t["tags"] for t in hidden)
    assert "error" not in results["extra_data"]["counts"] or results["extra_data"]["counts"]["error"] == 0


def test_an_empty_submission_still_gets_a_valid_results_json(autograder):
    run, results = _run(autograder, lambda folder: None)
    assert results["score"] == 0 and results["max_score"] == 100
    assert "nothing to grade" in results["output"] or "Grading could not run" in results["output"]
