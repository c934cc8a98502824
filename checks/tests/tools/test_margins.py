"""checks/tools/margins.py (make margins) measures the claims' criteria over seeds with the claims' own calls and
judges, and writes the bands file."""

import dataclasses
import json

import pytest

from checks.reproduce import bands
from checks.reproduce.calls import run_calls
from checks.reproduce.claims import CLAIMS, claim_named
from checks.tools import margins

HISTOGRAMS = "ch06_activation_histograms"  # seeded, cheap at the quick tier (≈1 s a seed)


def test_the_seeded_claims_are_the_ones_with_measured_criteria():
    seeded = margins.seeded_claims()
    assert "ch06_weight_init" in seeded and HISTOGRAMS in seeded
    assert "ch04_gradient_descent" not in seeded and "ch03_sample_weights" not in seeded
    assert set(seeded) <= {c.name for c in CLAIMS}


def test_measures_each_criterion_per_seed_from_the_judge():
    tables, engine = margins.measure_claims([HISTOGRAMS], [0, 1])
    table = tables[HISTOGRAMS]
    assert engine.kind == "serial" and engine.computed == 2
    # The same rows, in the same order, as the judge's criteria at seed 0, with its values first.
    opts = margins.tier_options("quick", 0)
    claim = claim_named(HISTOGRAMS)
    verdict = claim.judge(run_calls(claim.calls(opts)), opts)
    assert list(table) == [c.id for c in verdict.criteria]
    for criterion in verdict.criteria:
        row = table[criterion.id]
        assert row["held"] == [True, True] and row["seeds"] == [0, 1] and row["pass_rate"] == 1.0
        for label, value in criterion.values.items():
            assert row["values"][label]["per_seed"][0] == value and len(row["values"][label]["per_seed"]) == 2
    # Another seed, other numbers: each seed's calls do run with that seed.
    ratios = table["ReLU, He: layer 5 / layer 1 std"]["values"]["ReLU, He: layer 5 / layer 1 std"]
    assert ratios["per_seed"][0] != ratios["per_seed"][1] and ratios["min"] == min(ratios["per_seed"])
    text = margins.format_table(table)
    assert "ReLU, He: layer 5 / layer 1 std ≥ 0.6  held on 2/2 seeds" in text


def test_a_failing_criterion_is_counted(monkeypatch):
    # A threshold the measured values miss shows up as held on 0 seeds.
    claim = claim_named(HISTOGRAMS)
    original = claim.judge

    def stricter(data, opts):
        verdict = original(data, opts)
        verdict.bound("He ratio", verdict.measured["relu_std_ratio_layer5_layer1_He"], ">=", 10)
        return verdict

    monkeypatch.setattr(margins, "claim_named", lambda name: dataclasses.replace(claim, judge=stricter))
    tables, _engine = margins.measure_claims([HISTOGRAMS], [0])
    assert tables[HISTOGRAMS]["He ratio"]["held"] == [False]


def test_main_writes_the_claims_bands_and_keeps_the_others(tmp_path, capsys):
    path = tmp_path / "bands.json"
    bands.save(bands.updated(bands.load(path), "book", "ch06_dropout", {}, seeds=[0], date="2026-01-01",
                             environment={}), path)
    assert margins.main([HISTOGRAMS, "--seeds", "0-1", "--bands", str(path), "--no-cache", "--jobs", "1", "--no-cluster",
                         "--no-progress"]) == 0
    assert "held on 2/2 seeds" in capsys.readouterr().out
    document = json.loads(path.read_text(encoding="utf-8"))
    entry = document["bands"]["quick"][HISTOGRAMS]
    assert entry["seeds"] == [0, 1] and entry["impl"] == "reference" and entry["date"]
    assert len(entry["seconds_per_seed"]) == 2 and all(s > 0 for s in entry["seconds_per_seed"])
    assert entry["environment"]["numpy"] and entry["environment"]["blas"]["library"]
    band = entry["criteria"]["ReLU, He: layer 5 / layer 1 std"]["values"]["ReLU, He: layer 5 / layer 1 std"]
    assert band["op"] == ">=" and band["threshold"] == 0.6 and len(band["per_seed"]) == 2
    assert "ch06_dropout" in document["bands"]["book"], "another tier's entry was dropped"


def test_unknown_names_and_tiers_are_rejected(capsys):
    with pytest.raises(SystemExit) as exc:
        margins.main(["ch99_nothing"])
    assert exc.value.code == 2
    assert "ch99_nothing" in capsys.readouterr().err
    with pytest.raises(ValueError, match="tier"):
        margins.tier_options("fast", 0)
    with pytest.raises(SystemExit):
        margins.main([HISTOGRAMS, "--seeds", "4-1"])


def test_deterministic_claims_print_that_they_have_no_margins(capsys):
    assert margins.main(["ch04_gradient_descent", "--seeds", "0", "--no-write", "--no-cache", "--no-progress"]) == 0
    assert "deterministic, no seed to vary: no band" in capsys.readouterr().out


def test_format_table_tolerates_a_criterion_without_finite_values():
    text = margins.format_table({"r": {"rule": "r ≥ 1", "held": [True],
                                       "values": {"x": {"per_seed": [float("nan")], "min": None, "median": None,
                                                        "max": None}}}})
    assert "held on 1/1 seeds" in text and "min nan" in text


def test_the_margin_is_the_room_between_the_threshold_and_the_nearest_measured_value():
    def value(op, threshold, low, high):
        return {"op": op, "threshold": threshold, "min": low, "max": high, "median": (low + high) / 2,
                "per_seed": [low, high]}

    assert bands.margin(value("<=", 2.26, 2.1, 2.2)) == pytest.approx((0.06, 0.6))
    assert bands.margin(value(">=", 0.35, 0.5, 0.7)) == pytest.approx((0.15, 0.75))
    assert bands.margin(value("in", [0.005, 0.02], 0.009, 0.01)) == pytest.approx((0.004, 4.0))
    assert bands.margin(value(">=", 1, 1.0, 1.0)) == (0.0, None)  # on the threshold, no spread
    assert bands.margin(value("<=", 0.2, 0.1, 0.3))[0] == pytest.approx(-0.1)  # a seed fails
    document = bands.updated({"bands": {}}, "quick", "c", {
        "a": {"rule": "", "seeds": [0, 1], "held": [True, True], "values": {"a": value("<=", 2.26, 2.1, 2.2)}},
        "b": {"rule": "", "seeds": [0, 1], "held": [True, True], "values": {"b": value(">=", 1, 1.0, 1.0)}},
        "c": {"rule": "", "seeds": [0, 1], "held": [True, False], "values": {"x |y|": value("<=", 0.2, 0.1, 0.3)}}},
        seeds=[0, 1], date="2026-12-06", environment={})
    table = bands.render_markdown(document)
    assert "| c | a | ≤ 2.26 | 2 / 2 | 2.1 | 2.15 | 2.2 | 0.06 | 0.6× |" in table
    assert "| c | b | ≥ 1 | 2 / 2 | 1 | 1 | 1 | 0 **on the threshold** | – |" in table
    assert "| c | c — x \\|y\\| | ≤ 0.2 | 1 / 2 | 0.1 | 0.2 | 0.3 | -0.1 **inside: a seed fails** | -0.5× |" in table
    assert table.endswith("Seeds and dates: seeds 0, 1 on 2026-12-06 (c).\n")
