"""Tests of ``make reproduce`` (checks/reproduce/): whole-or-nothing reports, figures drawn from
the run's data, determinism, the CLI.

Every run here uses ``--quick`` budgets on a few cheap experiments and writes into
tmp_path; the whole module takes about 15 s.
"""

import dataclasses
import inspect
import json

import matplotlib.image
import pytest

import reference.experiments
from checks.reproduce import claims as claims_module
from checks.reproduce.__main__ import main
from checks.reproduce.claims import CLAIMS, Options
from checks.reproduce.results import VOLATILE_KEYS, data_digest
from checks.reproduce.runner import run_report, swap_in

# Cheap at --quick: deterministic ones, plus seeded ones (histograms, gradient check).
FAST = ["ch04_gradient_descent", "ch06_optimizer_paths", "ch06_activation_histograms", "ch05_gradient_check"]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("reproduce") / "report"
    outcomes, document = run_report(Options(seed=0, quick=True), out, only=FAST, show_progress=False)
    return out, outcomes, document


def _stable(document):
    return {k: v for k, v in document.items() if k not in VOLATILE_KEYS}


def test_report_files_and_verdicts(quick_run):
    out, outcomes, document = quick_run
    assert sorted(p.name for p in out.iterdir() if not p.suffix == ".png") == ["report.html", "report.md", "results.json"]
    assert json.loads((out / "results.json").read_text()) == document
    assert [o.claim.name for o in outcomes] == [c.name for c in CLAIMS if c.name in FAST]
    assert {o.status for o in outcomes} == {"PASS"}, [(o.claim.name, o.verdict.criteria) for o in outcomes]
    md = (out / "report.md").read_text()
    for name in FAST:
        entry = document["experiments"][name]
        assert f"## {name}:" in md and entry["verdict"] == "PASS" and entry["measured"]
    assert document["run"]["seed"] == 0 and document["versions"]["numpy"]
    html = (out / "report.html").read_text()
    assert html.count("data:image/png;base64,") == sum(len(e["figures"]) for e in document["experiments"].values())


def test_each_figure_is_a_png_drawn_from_the_runs_data(quick_run):
    out, _, document = quick_run
    figures = [(name, fig, entry) for name, entry in document["experiments"].items() for fig in entry["figures"]]
    assert len(figures) >= 4
    for name, fig, entry in figures:
        path = out / fig["file"]
        raw = path.read_bytes()
        assert raw.startswith(PNG_SIGNATURE) and len(raw) > 10_000, f"{name}: {fig['file']} is not a real PNG"
        height, width = matplotlib.image.imread(path).shape[:2]
        assert height >= 300 and width >= 300, f"{name}: {fig['file']} is {width}×{height}"
        # Re-run the recorded calls independently: the figure's recorded hash must be the
        # hash of what the experiment returns for the same arguments and seed.
        data = {key: getattr(reference.experiments, call["function"])(**call["kwargs"])
                for key, call in entry["calls"].items() if key in fig["data_keys"]}
        assert data_digest(data) == fig["data_sha256"], f"{name}: {fig['file']} was not drawn from this data"


def test_same_seed_same_numbers(quick_run, tmp_path):
    _, _, first = quick_run
    again = ["ch05_gradient_check", "ch04_gradient_descent"]  # seeded and deterministic, no slow figure
    _, second = run_report(Options(seed=0, quick=True), tmp_path / "again", only=again, show_progress=False)
    for name in again:
        assert _stable(second)["experiments"][name] == first["experiments"][name]
    _, other = run_report(Options(seed=1, quick=True), tmp_path / "seed1", only=["ch05_gradient_check"],
                          show_progress=False)
    assert other["experiments"]["ch05_gradient_check"]["measured"] != first["experiments"]["ch05_gradient_check"]["measured"]
    assert other["run"]["seed"] == 1


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

    original = next(c for c in CLAIMS if c.name == "ch04_gradient_descent")
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
