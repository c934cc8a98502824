"""Tests of ``make reproduce`` (checks/reproduce/): figures drawn from the run's data, whole-or-nothing
reports (also when the process is interrupted), same seed → same numbers, the CLI.

The fast tier runs ``--quick`` budgets on a few cheap experiments and draws every
other figure from real experiment data at tiny budgets; the ``slow`` test runs the
whole ``--quick --train-convnets`` report in a child process and checks every PNG.
"""

import dataclasses
import inspect
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import reference.experiments
from checks.isolation.adapters import REPO_ROOT
from checks.reproduce import calls as calls_module
from checks.reproduce import claims as claims_module
from checks.reproduce.__main__ import main
from checks.reproduce.claims import CLAIMS
from checks.reproduce.digest import data_digest, jsonable
from checks.reproduce.model import Call, Options
from checks.reproduce.results import VOLATILE_KEYS
from checks.reproduce.runner import install_signal_handlers, run_report, signals_received, staged_folder, swap_in

# Cheap at --quick: three deterministic experiments and one seeded one (the histograms).
FAST = ["ch03_activation_functions", "ch04_gradient_descent", "ch06_optimizer_paths", "ch06_activation_histograms"]
SEEDED = "ch06_activation_histograms"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MIN_PNG_BYTES = 10_000  # an empty 300×300 Agg canvas is ~2 KB; every real figure here is ≥ 18 KB
MIN_PNG_SIDE = 200  # one row of panels (e.g. a single BN weight scale) is ~250 px high

# Tiny budgets per experiment function, laid over each claim's --quick arguments, so that
# every figure of every claim is drawn from real data in the fast tier (≈ 3 s in all).
TINY = {
    "activation_functions": {"start": -2.0, "stop": 2.0},
    "gradient_descent_path": {"step_num": 5},
    "two_layer_net_training": {"iterations": 2, "hidden_size": 2, "batch_size": 5, "train_size": 100,
                               "test_size": 100},
    "backprop_training": {"iterations": 5, "train_size": 200, "test_size": 100},
    "optimizer_paths": {"steps": 5},
    "optimizer_comparison": {"iterations": 25, "hidden_size_list": [10]},
    "weight_init_comparison": {"iterations": 25, "hidden_size_list": [10]},
    "activation_histograms": {"n_samples": 50, "node_num": 20},
    "batch_norm_comparison": {"weight_scales": [1.0, 0.01], "epochs": 2, "train_size": 100,
                              "hidden_size_list": [10]},
    "weight_decay_overfitting": {"epochs": 2, "train_size": 100, "test_size": 100, "hidden_size_list": [10]},
    "dropout_overfitting": {"epochs": 2, "train_size": 100, "test_size": 100, "hidden_size_list": [10]},
    "hyperparameter_search": {"trials": 3, "epochs": 2, "train_size": 100},
    "simple_convnet_pretrained": {"test_size": 100},
    "deep_convnet_pretrained": {"test_size": 100},  # image 78 is misclassified
    "simple_convnet_training": {"epochs": 1, "train_size": 100, "test_size": 100,
                                "evaluate_sample_num_per_epoch": 100},
    "deep_convnet_training": {"epochs": 1, "train_size": 20, "test_size": 20, "batch_size": 10,
                              "evaluate_sample_num_per_epoch": 20},
}
ALL_FIGURES = [(claim, fig) for claim in CLAIMS for fig in claim.figures]


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("reproduce") / "report"
    outcomes, document = run_report(Options(seed=0, quick=True), out, only=FAST, show_progress=False)
    return out, outcomes, document


def _stable(document):
    return {k: v for k, v in document.items() if k not in VOLATILE_KEYS}


def _claim(name):
    return next(c for c in CLAIMS if c.name == name)


def _rerun(entry, keys):
    """Run again the experiment calls results.json recorded, for ``keys``."""
    return {key: getattr(reference.experiments, call["function"])(**call["kwargs"])
            for key, call in entry["calls"].items() if key in keys}


def _assert_real_png(path, what):
    raw = path.read_bytes()
    assert raw.startswith(PNG_SIGNATURE), f"{what}: {path.name} is not a PNG"
    assert len(raw) > MIN_PNG_BYTES, f"{what}: {path.name} has {len(raw)} bytes, expected > {MIN_PNG_BYTES}"
    import matplotlib.image  # here: collecting this module loads no matplotlib (checks/reproduce/plotting.py)

    height, width = matplotlib.image.imread(path).shape[:2]
    assert min(height, width) >= MIN_PNG_SIDE, f"{what}: {path.name} is {width}×{height} px"
    return raw


def test_report_has_one_section_per_experiment_with_claim_tolerance_verdict_and_seed(quick_run):
    out, outcomes, document = quick_run
    assert sorted(p.name for p in out.iterdir() if p.suffix != ".png") == ["report.html", "report.md", "results.json"]
    assert json.loads((out / "results.json").read_text()) == document
    assert [o.claim.name for o in outcomes] == [c.name for c in CLAIMS if c.name in FAST]
    assert {o.status for o in outcomes} == {"PASS"}, [(o.claim.name, o.verdict.criteria) for o in outcomes]
    md = (out / "report.md").read_text()
    sections = md.split('<a id="')[1:]
    assert [s.split('"')[0] for s in sections] == [o.claim.name for o in outcomes]
    for section, o in zip(sections, outcomes):
        for label in ("**Source:**", "**The book:**", "**Measured:**", "**Tolerance and why:**", "**Seed:**",
                      "**Verdict: PASS**"):
            assert label in section, f"{o.claim.name}: no {label} in its section"
        entry = document["experiments"][o.claim.name]
        assert entry["verdict"] == "PASS" and entry["measured"] and entry["book_claim"]
    assert document["experiments"][SEEDED]["seed"] == 0
    assert document["experiments"]["ch04_gradient_descent"]["seed"] is None
    assert document["run"]["seed"] == 0 and document["environment"]["numpy"]
    assert document["run"]["impl"] == "reference" and "Implementation: **reference**" in (out / "report.md").read_text()
    html = (out / "report.html").read_text()
    assert html.count("data:image/png;base64,") == sum(len(e["figures"]) for e in document["experiments"].values())


def test_same_seed_same_numbers_and_figures_redrawn_byte_for_byte(quick_run, tmp_path):
    out, _, document = quick_run
    opts = Options(seed=0, quick=True)
    for name, entry in document["experiments"].items():
        claim = _claim(name)
        # Rerun with the arguments (and seed) results.json recorded: the same data, the same
        # measured numbers, and drawing it gives the very PNG of the report.
        data = _rerun(entry, entry["calls"])
        assert {key: data_digest(value) for key, value in data.items()} == entry["data_sha256"], name
        assert jsonable(claim.judge(data, opts).measured) == entry["measured"], name
        for fig in entry["figures"]:
            raw = _assert_real_png(out / fig["file"], name)
            subset = {key: data[key] for key in fig["data_keys"]}
            assert data_digest(subset) == fig["data_sha256"], f"{name}: {fig['file']} was not drawn from this data"
            draw = next(f.draw for f in claim.figures if f.file == fig["file"])
            draw(subset, tmp_path / fig["file"])
            assert (tmp_path / fig["file"]).read_bytes() == raw, f"{name}: {fig['file']} differs from a redraw of its data"
    assert {name for name, e in document["experiments"].items() if e["figures"]} == set(FAST)


def test_same_seed_same_report_other_seed_other_numbers(quick_run, tmp_path):
    _, _, first = quick_run
    _, again = run_report(Options(seed=0, quick=True), tmp_path / "again", only=["ch04_gradient_descent"],
                          show_progress=False)
    assert _stable(again)["experiments"]["ch04_gradient_descent"] == first["experiments"]["ch04_gradient_descent"]
    claim, other = _claim(SEEDED), Options(seed=1, quick=True)
    data = {key: getattr(reference.experiments, call.function)(**call.kwargs)
            for key, call in claim.calls(other).items()}
    assert {key: data_digest(value) for key, value in data.items()} != first["experiments"][SEEDED]["data_sha256"]
    assert jsonable(claim.judge(data, other).measured) != first["experiments"][SEEDED]["measured"]


# The histograms are drawn (twice) from the quick run already; each costs ~1 s to draw.
TINY_FIGURES = [(c, f) for c, f in ALL_FIGURES if c.name != SEEDED]


@pytest.mark.parametrize("claim,figure", TINY_FIGURES, ids=[f.file for _, f in TINY_FIGURES])
def test_every_figure_draws_from_real_experiment_data(claim, figure, tmp_path, request):
    calls = claim.calls(Options(seed=0, quick=True, train_convnets=True))
    data = {key: getattr(reference.experiments, calls[key].function)(
                **{**calls[key].kwargs, **TINY.get(calls[key].function, {})})
            for key in figure.keys}
    figure.draw(data, tmp_path / figure.file)
    raw = _assert_real_png(tmp_path / figure.file, claim.name)
    if claim.name in FAST:
        # Other data (tiny budgets) must give another picture than the quick run's: without
        # this, the byte-for-byte redraw above would also pass for a figure ignoring its data.
        out, _, _ = request.getfixturevalue("quick_run")
        assert raw != (out / figure.file).read_bytes(), f"{figure.file} does not depend on its data"


def _raise(*args, **kwargs):
    raise RuntimeError("experiment interrupted")


def test_failing_experiment_leaves_no_report(tmp_path, monkeypatch):
    monkeypatch.setattr(reference.experiments, "gradient_descent_path", _raise)
    target = tmp_path / "report"
    with pytest.raises(RuntimeError, match="interrupted"):
        run_report(Options(quick=True), target, only=["ch04_gradient_field", "ch04_gradient_descent"],
                   show_progress=False)
    assert list(tmp_path.iterdir()) == [], "a half-written report (or its staging folder) was left behind"


def test_failing_experiment_keeps_the_previous_report(tmp_path, monkeypatch):
    target = tmp_path / "report"
    target.mkdir()
    (target / "report.md").write_text("previous run")
    monkeypatch.setattr(reference.experiments, "gradient_field", _raise)
    with pytest.raises(RuntimeError):
        run_report(Options(quick=True), target, only=["ch04_gradient_field"], show_progress=False)
    assert [p.name for p in tmp_path.iterdir()] == ["report"]
    assert [p.name for p in target.iterdir()] == ["report.md"] and (target / "report.md").read_text() == "previous run"


def _workers_of(pid):
    """The pids of ``pid``'s spawned multiprocessing workers (Linux /proc)."""
    children = []
    for task in (Path("/proc") / str(pid) / "task").glob("*/children"):
        children += [int(c) for c in task.read_text().split()]
    return [c for c in children if b"spawn_main" in _cmdline(c)]


def _cmdline(pid):
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes()
    except OSError:
        return b""


@pytest.mark.parametrize("jobs", [1, 2], ids=["serial", "2-workers"])
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_interrupted_run_leaves_the_previous_report_and_no_staging_folder(tmp_path, signum, jobs):
    target = tmp_path / "report"
    target.mkdir()
    (target / "report.md").write_text("previous run")
    # The first experiment's figure lands in the staging folder within a second; the second
    # experiment (ch05_backprop_training at --quick, 601 iterations) is still running when
    # the signal arrives (with 2 workers: started first, as the longer one).
    child = subprocess.Popen(
        [sys.executable, "-m", "checks.reproduce", "--quick", "--no-progress", "--out", str(target),
         "--only", "ch04_gradient_descent,ch05_backprop_training", "--jobs", str(jobs), "--no-cache"],
        cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120  # a guard against hanging, not a timing assertion
        while not list(tmp_path.glob(".report.tmp-*/ch04_gradient_descent.png")):
            assert child.poll() is None, f"the run ended before it could be interrupted: {child.communicate()}"
            assert time.monotonic() < deadline, "the staging folder never received the first figure"
            time.sleep(0.05)
        workers = _workers_of(child.pid)
        assert len(workers) == (0 if jobs == 1 else 2), workers
        child.send_signal(signum)
        _, stderr = child.communicate(timeout=120)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode != 0, f"an interrupted run must not report success\n{stderr[-2000:]}"
    assert not [pid for pid in workers if b"spawn_main" in _cmdline(pid)], "a worker outlived the interrupted run"
    assert [p.name for p in tmp_path.iterdir()] == ["report"], \
        f"left behind: {sorted(p.name for p in tmp_path.iterdir())}\n{stderr[-2000:]}"
    assert [p.name for p in target.iterdir()] == ["report.md"] and (target / "report.md").read_text() == "previous run"


def test_a_signal_whose_exception_was_swallowed_still_stops_publication(tmp_path):
    # A real SIGTERM to this process, whose exception the body swallows (as C code that
    # clears errors once did): the run then completes, but must not be published.
    target = tmp_path / "report"
    previous = install_signal_handlers()
    try:
        with pytest.raises(SystemExit) as exc:
            with staged_folder(target) as staging:
                (staging / "report.md").write_text("complete, but interrupted")
                try:
                    os.kill(os.getpid(), signal.SIGTERM)
                    while not signals_received:
                        time.sleep(0.01)
                except SystemExit:
                    pass
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        signals_received.clear()
    assert exc.value.code == 128 + signal.SIGTERM
    assert list(tmp_path.iterdir()) == [], "published (or left a staging folder) after a signal"


def test_swap_in_replaces_the_old_folder(tmp_path):
    target, staging = tmp_path / "report", tmp_path / ".staging"
    target.mkdir()
    (target / "old.txt").write_text("old")
    staging.mkdir()
    (staging / "new.txt").write_text("new")
    swap_in(staging, target)
    assert [p.name for p in tmp_path.iterdir()] == ["report"]
    assert [p.name for p in target.iterdir()] == ["new.txt"]


def test_cli_prints_the_summary_and_exits_0(tmp_path, capsys):
    out = tmp_path / "cli"
    assert main(["--quick", "--only", "ch04_gradient_descent", "--out", str(out), "--no-progress", "--seed", "3"]) == 0
    printed = capsys.readouterr().out
    assert "ch04_gradient_descent" in printed and "PASS" in printed and "verdict" in printed
    assert json.loads((out / "results.json").read_text())["run"]["seed"] == 3


def test_cli_rejects_an_unknown_experiment(tmp_path):
    with pytest.raises(SystemExit) as exc:
        main(["--only", "ch99_nothing", "--out", str(tmp_path / "x")])
    assert exc.value.code == 2
    assert not (tmp_path / "x").exists()


def test_a_failed_verdict_is_reported_and_exits_1(tmp_path, monkeypatch, capsys):
    def failing(data, opts):
        verdict = original.judge(data, opts)
        verdict.check(False, "deliberately failed by the test")
        return verdict

    original = _claim("ch04_gradient_descent")
    patched = tuple(dataclasses.replace(c, judge=failing) if c is original else c for c in CLAIMS)
    monkeypatch.setattr(claims_module, "CLAIMS", patched)
    out = tmp_path / "report"
    assert main(["--quick", "--only", "ch04_gradient_descent", "--out", str(out), "--no-progress"]) == 1
    assert "FAIL" in capsys.readouterr().out
    document = json.loads((out / "results.json").read_text())
    assert document["experiments"]["ch04_gradient_descent"]["verdict"] == "FAIL"
    assert "✘ deliberately failed by the test" in (out / "report.md").read_text()


@pytest.mark.parametrize("opts", [Options(), Options(quick=True), Options(full_numerical=True, train_convnets=True),
                                  Options(quick=True, train_convnets=True)], ids=["book", "quick", "full", "quick-full"])
def test_every_claim_calls_real_experiments_with_valid_arguments(opts):
    names = [c.name for c in CLAIMS]
    assert len(names) == len(set(names))
    files = [f.file for c in CLAIMS for f in c.figures]
    assert len(files) == len(set(files))
    for claim in CLAIMS:
        assert claim.scripts and claim.book and claim.tolerance and claim.method, claim.name
        calls = claim.calls(opts)
        for key, call in calls.items():
            function = getattr(reference.experiments, call.function)
            inspect.signature(function).bind(**call.kwargs)  # raises on a wrong argument
            json.dumps(call.kwargs)  # recorded in results.json
        for fig in claim.figures:
            assert set(fig.keys) <= set(calls), f"{claim.name}: {fig.file} draws from a call that is not made"


def test_tiny_budgets_name_real_arguments():
    for function, kwargs in TINY.items():
        inspect.signature(getattr(reference.experiments, function)).bind(**kwargs)


@pytest.mark.slow
def test_whole_quick_report_in_a_child_process_has_every_figure(tmp_path):
    out = tmp_path / "report"
    run = subprocess.run([sys.executable, "-m", "checks.reproduce", "--quick", "--train-convnets", "--no-progress",
                          "--out", str(out)], cwd=REPO_ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    document = json.loads((out / "results.json").read_text())
    assert document["run"]["verdicts"] == {"PASS": len(CLAIMS), "FAIL": 0, "SKIPPED": 0, "NOT RUN": 0}
    recorded = {fig["file"]: (name, fig) for name, entry in document["experiments"].items()
                for fig in entry["figures"]}
    assert sorted(recorded) == sorted(f.file for _, f in ALL_FIGURES)
    assert sorted(p.name for p in out.glob("*.png")) == sorted(recorded)
    for file, (name, fig) in recorded.items():
        _assert_real_png(out / file, name)
        entry = document["experiments"][name]
        # The figure's data is exactly the data of the calls it names (their recorded hashes).
        assert set(fig["data_keys"]) <= set(entry["data_sha256"])


def test_the_suite_judges_with_the_reports_calls_and_judge(quick_run):
    # checks/suite/test_claims.py's quick tier is --quick: the same calls, the same criteria.
    from checks.suite import test_claims

    _, _, document = quick_run
    for name, entry in document["experiments"].items():
        claim = _claim(name)
        calls = claim.calls(test_claims.QUICK)
        assert {k: {"function": c.function, "kwargs": c.kwargs} for k, c in calls.items()} == entry["calls"], name
        verdict = claim.judge(calls_module.run_calls(calls), test_claims.QUICK)
        assert [(c.id, c.text, c.ok) for c in verdict.criteria] == [(c["id"], c["text"], c["ok"])
                                                                    for c in entry["criteria"]], name
    for claim in CLAIMS:
        assert claim.calls(test_claims.BOOK) == claim.calls(Options(seed=0, train_convnets=True)), claim.name


def test_a_failing_claim_fails_its_test_with_every_criterion_listed():
    from checks.suite.test_claims import QUICK, judge_claim

    claim = _claim("ch04_gradient_descent")

    def failing(data, opts):
        verdict = claim.judge(data, opts)
        verdict.check(False, "deliberately failed: 1 ≥ 2", hint="look here")
        return verdict

    with pytest.raises(pytest.fail.Exception) as exc:
        judge_claim(dataclasses.replace(claim, judge=failing), QUICK, None, {})
    message = str(exc.value)
    assert "ch04_gradient_descent" in message and "✘ deliberately failed: 1 ≥ 2" in message
    assert "hint: look here" in message
    assert "✔ path: max |error| against 0.8^k · (-3, 4) = " in message and " < 1e-08" in message


def test_a_call_made_by_two_claims_runs_once():
    calls = {"a": Call("gradient_descent_path", {"step_num": 3})}
    cache = {}
    first = calls_module.run_calls(calls, cache=cache)
    again = calls_module.run_calls({"b": Call("gradient_descent_path", {"step_num": 3})}, cache=cache)
    assert again["b"] is first["a"] and len(cache) == 1


# --- --impl: the book's experiments on a learner's implementation -------------------------


def test_on_the_exercises_every_claim_is_not_run_naming_the_component(tmp_path, capsys):
    out = tmp_path / "report"
    # In this process: the pool's workers started for 19 claims that all stop at once cost 2-10 s of
    # CPU in make check; a claim not run in a worker is the test below.
    assert main(["--impl=exercises", "--quick", "--train-convnets", "--out", str(out), "--no-progress",
                 "--jobs", "1"]) == 0
    document = json.loads((out / "results.json").read_text())
    assert document["run"]["impl"] == "exercises"
    assert document["run"]["verdicts"] == {"PASS": 0, "FAIL": 0, "SKIPPED": 0, "NOT RUN": len(CLAIMS)}
    for name, entry in document["experiments"].items():
        assert entry["verdict"] == "NOT RUN" and "not implemented yet" in entry["not_run_because"], name
    assert document["experiments"]["ch03_sample_weights"]["not_run_because"].startswith("predict: ")
    md = (out / "report.md").read_text()
    assert "Implementation: **exercises**" in md and "**Verdict: NOT RUN** (step_function: not implemented yet" in md
    assert f"{len(CLAIMS)} NOT RUN; implementation exercises" in capsys.readouterr().out


def test_a_claim_not_run_in_a_worker_is_reported_as_in_this_process(tmp_path):
    # Two claims that stop at once on the exercises (their first component missing): two workers.
    only = ["ch03_activation_functions", "ch04_gradient_descent"]
    opts = Options(quick=True, impl="exercises")
    serial = run_report(opts, tmp_path / "serial", only=only, show_progress=False, jobs=1)[1]
    pooled = run_report(opts, tmp_path / "pooled", only=only, show_progress=False, jobs=2)[1]
    assert pooled["timings"]["engine"]["kind"] == "pool"
    reasons = {name: entry["not_run_because"] for name, entry in pooled["experiments"].items()}
    assert reasons == {name: entry["not_run_because"] for name, entry in serial["experiments"].items()}
    assert all("not implemented yet" in reason for reason in reasons.values()), reasons


def test_a_missing_name_is_not_run_and_the_rest_is_judged(tmp_path):
    # A learner's package with chapter 3's activations only: chapter 3 is judged, chapter 4 needs
    # numerical_gradient, which is not there.
    package = tmp_path / "learner"
    package.mkdir()
    (package / "__init__.py").write_text("from reference.functions import relu, sigmoid, step_function\n")
    outcomes, document = run_report(Options(quick=True, impl=str(package)), tmp_path / "report",
                                    only=["ch03_activation_functions", "ch04_gradient_field"], show_progress=False)
    assert [o.status for o in outcomes] == ["PASS", "NOT RUN"]
    assert "numerical_gradient" in outcomes[1].not_run_reason
    assert document["run"]["impl"] == str(package)


def test_a_wrong_component_fails_and_exits_1(tmp_path, capsys):
    # mutant:NAME (the bug corpus) runs like any learner's implementation; a claim it breaks is a FAIL.
    out = tmp_path / "report"
    assert main(["--impl=mutant:sigmoid_sign_flipped", "--quick", "--only", "ch03_activation_functions",
                 "--out", str(out), "--no-progress"]) == 1
    document = json.loads((out / "results.json").read_text())
    entry = document["experiments"]["ch03_activation_functions"]
    assert document["run"]["impl"] == "mutant:sigmoid_sign_flipped" and entry["verdict"] == "FAIL"
    assert [c["ok"] for c in entry["criteria"]] == [True, False, True]  # step, sigmoid, ReLU
    assert "1 FAIL" in capsys.readouterr().out


def test_only_missing_components_count_as_not_run():
    from checks.isolation.namespace import in_process_namespace
    from checks.reproduce.calls import missing_component

    lib = in_process_namespace("exercises")
    try:
        lib.sigmoid(0.0)
    except NotImplementedError as error:
        assert missing_component(error, lib).startswith("sigmoid: not implemented yet")

    def learner_stub():
        raise NotImplementedError

    try:
        learner_stub()
    except NotImplementedError as error:
        # the function's qualified name where Python has it (3.11+: co_qualname), else its name
        assert missing_component(error, lib).endswith("learner_stub: not implemented yet")
    try:
        lib.no_such_component
    except AttributeError as error:
        assert "has no component 'no_such_component'" in missing_component(error, lib)
    assert missing_component(AttributeError("'NoneType' object has no attribute 'x'"), lib) is None


def test_cli_rejects_an_unknown_implementation(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--impl=mutant:no_such_mutant", "--out", str(tmp_path / "x")])
    assert exc.value.code == 2 and "no_such_mutant" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_a_claim_on_a_stub_fails_its_test_as_not_run_without_a_traceback():
    from checks.isolation.namespace import in_process_namespace
    from checks.suite.test_claims import QUICK, judge_claim

    with pytest.raises(pytest.fail.Exception) as exc:
        judge_claim(_claim("ch03_activation_functions"), QUICK, in_process_namespace("exercises"), {})
    assert "NOT RUN: step_function: not implemented yet" in str(exc.value)
    assert not exc.value.pytrace
