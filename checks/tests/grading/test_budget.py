"""A budget for the whole run (issue 27, step 7; issue 25, step 1): honoured, and results written as checks finish.

A submission slow in every call, each call inside its own limit, is the case the
per-call limits cannot stop: only the run's total can. Here it meets a total time
limit (the run stops, results.json lists every check, the reached ones keep their
points), and a kill from outside in the middle of the run (Gradescope's timeout or
memory limit: nothing of the grader survives to write anything) still leaves a valid
results.json holding every check reached. The built autograder inside Gradescope's
whole envelope (½ CPU, 768 MB, 10 minutes) is the slow test_gradescope_envelope.py.
Each runs under the boundary chosen here and, in the slow tier, under the fallback.
"""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from checks.grading.budget import GRADER_BYTES, Budget
from checks.isolation.adapters import REPO_ROOT
from checks.tests.fixtures.grading import REFERENCE, copy_package, wrap_exports

def slowed_reference(destination, seconds):
    """The reference, every exported function and method sleeping `seconds` first (right, but slow everywhere)."""
    return wrap_exports(copy_package(REFERENCE, destination), f"""
        import time as _time

        def _before():
            _time.sleep({seconds})
        """)


def test_the_limits_are_derived_from_the_budget():
    default = Budget()  # Gradescope's: 10 minutes, 768 MB
    limits = default.limits(default.usable_seconds())
    assert default.usable_seconds() < 600 and limits["run_timeout"] < default.usable_seconds()
    assert limits["memory_limit"] + GRADER_BYTES < 700 << 20  # the tree and the grader under 700 MB
    # 525 s usable, 510 s for the checks: a call 10 s (1/50), a check 51 s (1/10), an import 25.5 s (1/20)
    assert (limits["run_timeout"], limits["call_timeout"], limits["check_budget"], limits["load_timeout"]) == \
        (510.0, 10.0, 51.0, 25.5)
    short = default.limits(60.0)  # little left: every limit shrinks, none below what an honest call needs
    assert short["run_timeout"] == 45.0 and short["call_timeout"] == 2.0 and short["check_budget"] == 10.0
    raised = Budget.from_settings(40, 3072)
    assert raised.child_memory() > default.child_memory() and raised.usable_seconds() > 2000


def _chapter_checks(chapter):
    from checks.library.catalog import all_checks
    from checks.library.registry import chapter_of

    return sum(1 for _check, case in all_checks() if chapter_of(case) == chapter)


def _results_tests(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    return data, {test["name"]: test for test in data["tests"]}


def test_a_kill_in_the_middle_of_the_run_leaves_every_check_reached(tmp_path, each_boundary):
    package = slowed_reference(tmp_path / "slow", 0.2)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "checks.grading", "--impl", str(package), "--out", str(out), "--chapter", "3"]
    process = subprocess.Popen(command, cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    results = out / "results.json"
    try:
        give_up = time.monotonic() + 300
        while time.monotonic() < give_up and process.poll() is None:
            if results.is_file() and '"status": "passed"' in results.read_text(encoding="utf-8"):
                break
            time.sleep(0.2)
        assert process.poll() is None, "the run ended before it could be killed"
    finally:
        os.killpg(process.pid, signal.SIGKILL)  # all of it: the grader, pytest, the children
        process.wait()
    data, tests = _results_tests(results)
    passed = [name for name, test in tests.items() if test["status"] == "passed"]
    not_reached = [name for name, test in tests.items() if "NOT REACHED" in test["output"]]
    print(f"\n[budget] {each_boundary.name}, killed: {len(passed)} passed, {len(not_reached)} not reached, "
          f"{len(tests)} listed")
    assert passed and not_reached and len(tests) == _chapter_checks(3)  # every check listed
    assert 0 < data["score"] < data["max_score"]
    assert "grading did not finish" in data["output"]


def test_the_autograder_stops_at_its_total_and_lists_every_check(tmp_path, each_boundary):
    package = slowed_reference(tmp_path / "submission" / "slow", 0.3)
    (tmp_path / "submission" / "slow").rename(tmp_path / "submission" / "exercises")
    env = {**os.environ, "DLFS_SOURCE": str(REPO_ROOT), "DLFS_SUBMISSION": str(tmp_path / "submission"),
           "DLFS_RESULTS": str(tmp_path / "results"), "DLFS_PYTHON": sys.executable,
           "DLFS_GRADE_ARGS": "--chapter 3,5 --total-timeout 12"}
    run = subprocess.run(["bash", str(REPO_ROOT / "checks" / "grading" / "run_autograder")], env=env,
                         stdin=subprocess.DEVNULL, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    data, tests = _results_tests(tmp_path / "results" / "results.json")
    passed = sum(test["status"] == "passed" for test in tests.values())
    timed_out = sum("TIMED OUT: not reached" in test["output"] for test in tests.values())
    print(f"\n[budget] {each_boundary.name}, total 12 s: {passed} passed, {timed_out} not reached, {len(tests)} listed")
    assert passed and timed_out and len(tests) == _chapter_checks(3) + _chapter_checks(5)
    assert data["max_score"] == 100 and 0 < data["score"] < 100
    assert "the run hit its total time limit of 12 s" in data["output"]
    assert package.name == "slow"
