"""The verdict helper (checks/reproduce/verdict.py): a criterion's text, rule, outcome and margin from one threshold."""

import math

import pytest

from checks.i18n import N_
from checks.reproduce import bands
from checks.reproduce.verdict import Bound, Verdict, threshold_text


def test_one_threshold_gives_the_text_the_rule_the_outcome_and_the_id():
    v = Verdict({})
    assert v.bound(N_("final test accuracy"), 0.9699, ">=", 0.96, note=N_("the book: ≈0.97")) is True
    assert not v.bound(N_("final test accuracy"), 0.95, ">=", 0.96)
    held, failed = v.criteria
    assert held.id == "final test accuracy" and held.ok and not failed.ok
    assert held.text == "final test accuracy = 0.9699 ≥ 0.96 (the book: ≈0.97)"
    assert held.rule == "final test accuracy ≥ 0.96" and held.values == {"final test accuracy": 0.9699}
    assert [b.record() for b in held.bounds] == [{"label": "final test accuracy", "value": 0.9699, "op": ">=",
                                                 "threshold": 0.96}]
    assert not v.passed and v.failures() == [failed]


def test_several_bounds_under_one_title_hold_together():
    v = Verdict({})
    ok = v.require(N_("λ=0 overfits"), Bound(N_("λ=0 train accuracy"), 0.99, ">=", 0.95, ".3f"),
                   Bound(N_("λ=0 gap"), 0.1, ">=", 0.15, ".3f"))
    criterion = v.criteria[0]
    assert not ok and criterion.id == "λ=0 overfits"
    assert criterion.text == "λ=0 overfits: λ=0 train accuracy = 0.990 ≥ 0.95, λ=0 gap = 0.100 ≥ 0.15"
    assert criterion.rule == "λ=0 overfits: λ=0 train accuracy ≥ 0.95, λ=0 gap ≥ 0.15"


@pytest.mark.parametrize("op, threshold, inside, outside, margin", [
    (">=", 0.5, 0.5, 0.49, 0.1), (">", 0.5, 0.51, 0.5, 0.1), ("<=", 2.0, 2.0, 2.1, 1.4), ("<", 1e-3, 1e-4, 1e-3, None),
    ("in", (0.005, 0.02), 0.01, 0.03, -0.58), ("==", 9352, 9352, 9351, None),
])
def test_each_comparison_holds_and_fails_where_it_should(op, threshold, inside, outside, margin):
    bound = Bound("x", inside, op, threshold)
    assert bound.holds() and not bound.holds(outside) and not bound.holds(float("nan"))
    if margin is not None:  # at 0.6
        assert bound.margin(0.6) == pytest.approx(margin)
    if op == "==":
        assert bound.margin() is None


def test_a_margin_is_positive_on_the_passing_side():
    assert Bound("x", 0.97, ">=", 0.96).margin() == pytest.approx(0.01)
    assert Bound("x", 2.3, "<=", 2.26).margin() == pytest.approx(-0.04)
    assert Bound("x", 0.0096, "in", (0.005, 0.02)).margin() == pytest.approx(0.0046)


def test_exact_values_and_intervals_are_printed_as_such():
    v = Verdict({})
    v.bound(N_("correct"), 9351, "==", 9352, spec="d")
    v.bound(N_("max |ΔW1|"), 0.0097, "in", (0.005, 0.02), spec=".4f")
    assert v.criteria[0].text == "correct = 9351 (expected 9352)" and not v.criteria[0].ok
    assert v.criteria[1].text == "max |ΔW1| = 0.0097 ∈ [0.005, 0.02]" and v.criteria[1].ok
    assert threshold_text("in", [0.005, 0.02]) == "∈ [0.005, 0.02]" and threshold_text(">=", 1e-06) == "≥ 1e-06"


def test_a_wrong_comparison_is_refused():
    with pytest.raises(ValueError, match="op"):
        Bound("x", 1.0, "=>", 1.0)
    with pytest.raises(ValueError, match="low, high"):
        Bound("x", 1.0, "in", 1.0)


def test_the_text_is_translated_and_the_id_stays_english(monkeypatch):
    monkeypatch.setenv("DLFS_LANG", "ja")
    v = Verdict({})
    v.bound(N_("final test accuracy"), 0.9699, ">=", 0.96)
    assert v.criteria[0].id == "final test accuracy"
    assert v.criteria[0].text == "最終的なテストの認識精度 = 0.9699 ≥ 0.96"


def test_a_band_justifies_a_threshold_every_measured_seed_meets():
    v = Verdict({})
    v.bound(N_("test accuracy"), 0.5, ">=", 0.35)
    document = bands.updated({}, "quick", "claim", {"test accuracy": {
        "rule": "", "seeds": [0, 1], "held": [True, True],
        "values": {"test accuracy": {"op": ">=", "threshold": 0.35, "per_seed": [0.48, 0.71], "min": 0.48,
                                     "median": 0.6, "max": 0.71}}}}, seeds=[0, 1], date="d", environment={})
    assert bands.unjustified(document, "quick", "claim", v) == []
    tighter = Verdict({})
    tighter.bound(N_("test accuracy"), 0.5, ">=", 0.5)  # a seed measured 0.48: not justified
    assert "fails on 1 of the 2 measured values" in bands.unjustified(document, "quick", "claim", tighter)[0]
    assert "no band" in bands.unjustified(document, "book", "claim", v)[0]
    assert math.isclose(bands.band(document, "quick", "claim", "test accuracy", "test accuracy")["max"], 0.71)
