"""checks/tools/margins.py re-measures the claims' criteria with the claims' own calls and judges."""

import dataclasses

import pytest

from checks.reproduce.claims import CLAIMS, claim_named, run_calls
from checks.tools import margins


def test_the_seeded_claims_are_the_ones_with_measured_criteria():
    seeded = margins.seeded_claims()
    assert "ch06_weight_init" in seeded and "ch06_activation_histograms" in seeded
    assert "ch04_gradient_descent" not in seeded and "ch03_sample_weights" not in seeded
    assert set(seeded) <= {c.name for c in CLAIMS}


def test_measures_each_criterion_per_seed_from_the_judge():
    name = "ch06_activation_histograms"
    table = margins.measure_claim(name, [0, 1])
    # The same rows, in the same order, as the judge's measured criteria at seed 0.
    opts = margins.tier_options("quick", 0)
    claim = claim_named(name)
    verdict = claim.judge(run_calls(claim.calls(opts)), opts)
    measured = [c for c in verdict.criteria if c.values is not None]
    assert list(table) == [c.rule for c in measured]
    for criterion in measured:
        row = table[criterion.rule]
        assert row["held"] == [True, True]
        for label, value in criterion.values.items():
            assert len(row["values"][label]) == 2 and row["values"][label][0] == value
    # Another seed, other numbers: the script does rerun the calls with each seed.
    ratios = table["ReLU, He: layer 5 / layer 1 std ≥ 0.6"]["values"]["He ratio"]
    assert ratios[0] != ratios[1]
    text = margins.format_table(table)
    assert "ReLU, He: layer 5 / layer 1 std ≥ 0.6  held on 2/2 seeds" in text
    assert f"min {min(ratios):<10.4g}" in text


def test_a_failing_criterion_is_counted(monkeypatch):
    # A threshold the measured values miss shows up as held on 0 seeds.
    claim = claim_named("ch06_activation_histograms")
    original = claim.judge

    def stricter(data, opts):
        verdict = original(data, opts)
        ratio = verdict.measured["relu_std_ratio_layer5_layer1_He"]
        verdict.check(ratio >= 10, "He ratio ≥ 10", rule="He ratio ≥ 10", values={"He ratio": ratio})
        return verdict

    monkeypatch.setattr(margins, "claim_named", lambda name: dataclasses.replace(claim, judge=stricter))
    table = margins.measure_claim(claim.name, [0])
    assert table["He ratio ≥ 10"]["held"] == [False]


def test_unknown_names_and_tiers_are_rejected(capsys):
    with pytest.raises(SystemExit) as exc:
        margins.main(["ch99_nothing"])
    assert exc.value.code == 2
    assert "ch99_nothing" in capsys.readouterr().err
    with pytest.raises(ValueError, match="tier"):
        margins.tier_options("fast", 0)


def test_deterministic_claims_print_that_they_have_no_margins(capsys):
    assert margins.main(["ch04_gradient_descent", "--seeds", "0"]) == 0
    assert "no measured criteria" in capsys.readouterr().out


def test_seed_ranges_parse():
    assert margins._seeds("0-4") == [0, 1, 2, 3, 4]
    assert margins._seeds("5,8,12-13") == [5, 8, 12, 13]


def test_format_table_tolerates_a_criterion_without_finite_values():
    text = margins.format_table({"r": {"values": {"x": [float("nan")]}, "held": [True]}})
    assert "held on 1/1 seeds" in text and "min nan" in text
