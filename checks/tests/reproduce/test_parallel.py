"""Tests of ``make reproduce --jobs N`` (checks/reproduce/parallel.py): the same results.json as a serial
run, a worker that raises or dies named as that experiment's failure with no report published, the
comparison tool. Real spawned worker processes throughout; the signal tests are in test_reproduce.py.
"""

import json

import pytest

from checks.reproduce import compare
from checks.reproduce.claims import CLAIMS
from checks.reproduce.model import Options
from checks.reproduce.parallel import expected_seconds
from checks.reproduce.runner import run_report
from checks.reproduce.tasks import ExperimentError

# Quick-tier claims that cost a few seconds in all: seeded (the gradient check, the histograms) and
# deterministic ones, with figures; more claims than workers, so a worker runs claims one after the
# other and the order differs from the serial run's. (A conv-net training adds only CPU: the 20-seed
# run in docs/reproduce.md compares every claim between the pool and Dask.)
SAMPLE = ["ch03_activation_functions", "ch04_gradient_descent", "ch05_gradient_check",
          "ch06_optimizer_paths", "ch06_activation_histograms"]
QUICK = Options(seed=0, quick=True, train_convnets=True)


def _report_files(folder):
    return sorted(p.name for p in folder.iterdir())


def test_two_workers_give_the_serial_runs_results_json(tmp_path):
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    outcomes1, document1 = run_report(QUICK, serial, only=SAMPLE, show_progress=False, jobs=1)
    outcomes2, document2 = run_report(QUICK, parallel, only=SAMPLE, show_progress=False, jobs=2)
    assert [o.claim.name for o in outcomes2] == [o.claim.name for o in outcomes1] == [
        c.name for c in CLAIMS if c.name in SAMPLE], "outcomes not in report order"
    assert {o.status for o in outcomes2} == {"PASS"}
    assert document1["timings"]["engine"]["kind"] == "serial"
    assert document2["timings"]["engine"] == {"kind": "pool", "jobs": 2, "cluster": None, "tasks_cached": 0,
                                              "tasks_computed": len(SAMPLE)}
    assert _stable(document1) == _stable(document2)
    assert _report_files(serial) == _report_files(parallel)
    # The report's text is the same too, apart from the line with the run's wall time.
    assert compare.main([str(serial), str(parallel)]) == 0


def _stable(document):
    return {key: value for key, value in document.items() if key not in ("timings", "created")}


def test_the_comparison_names_a_regressed_criterion(tmp_path, capsys):
    _, document = run_report(QUICK, tmp_path / "a", only=["ch04_gradient_descent"], show_progress=False)
    changed = json.loads(json.dumps(document))
    entry = changed["experiments"]["ch04_gradient_descent"]
    entry["verdict"] = "FAIL"
    criterion = entry["criteria"][0]
    criterion["ok"], criterion["bounds"][0]["value"] = False, 0.5
    changed["timings"]["total_seconds"] += 100  # timings are not compared
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "results.json").write_text(json.dumps(changed))
    assert compare.main([str(tmp_path / "a"), str(tmp_path / "b" / "results.json")]) == 1
    printed = capsys.readouterr().out
    assert f"regressed    ch04_gradient_descent: {criterion['id']}" in printed and "fails now" in printed
    assert "1 regressed" in printed and "compared exactly" in printed
    assert compare.main([str(tmp_path / "a"), str(tmp_path / "missing")]) == 2


def _learner(tmp_path, step_function_body):
    # A learner's package whose step_function misbehaves inside the worker that runs chapter 3.
    package = tmp_path / "learner"
    package.mkdir()
    (package / "__init__.py").write_text(
        "import os, signal\n"
        "from reference.functions import relu, sigmoid\n"
        "from reference.gradient import numerical_gradient\n"
        f"def step_function(x):\n    {step_function_body}\n")
    return str(package)


@pytest.mark.parametrize("body, expected", [
    ("raise RuntimeError('broken step function')", "(?s)raised in its worker process:.*broken step function"),
    ("os.kill(os.getpid(), signal.SIGKILL)", r"its worker process died \(killed by signal 9\)"),
], ids=["raises", "killed"])
def test_a_failing_worker_names_its_experiment_and_publishes_nothing(tmp_path, body, expected):
    impl = _learner(tmp_path, body)
    target = tmp_path / "report"
    target.mkdir()
    (target / "report.md").write_text("previous run")
    with pytest.raises(ExperimentError, match=expected) as exc:
        run_report(Options(quick=True, impl=impl), target,
                   only=["ch03_activation_functions", "ch04_gradient_field", "ch04_gradient_descent"],
                   show_progress=False, jobs=2)
    assert exc.value.claim_name == "ch03_activation_functions"
    assert str(exc.value).startswith("experiment ch03_activation_functions: ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["learner", "report"], "a staging folder was left"
    assert [p.name for p in target.iterdir()] == ["report.md"]


def test_scheduling_takes_the_previous_reports_timings_of_the_same_tier(tmp_path):
    _, document = run_report(QUICK, tmp_path, only=["ch04_gradient_descent"], show_progress=False)
    recorded = document["timings"]["experiments"]["ch04_gradient_descent"]
    assert expected_seconds(QUICK, tmp_path)["ch04_gradient_descent"] == pytest.approx(
        recorded["run_seconds"] + recorded["figure_seconds"])
    assert expected_seconds(Options(), tmp_path) == expected_seconds(Options(), tmp_path / "none")
