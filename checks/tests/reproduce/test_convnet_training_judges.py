"""The conv-net training judges (checks/reproduce/claims/ch07.py, ch08.py) fail on runs that did not learn.

Records shaped like ``simple_convnet_training`` / ``deep_convnet_training`` return them: a
net that does not learn (loss stays at ln 10, accuracy at chance — e.g. a learning rate far
too small, or gradients that never reach the weights) fails the CI tier; one that learns
as the measured seeds do passes; the book tier fails below its stated threshold.
"""

import math

import numpy as np
import pytest

from checks.reproduce.claims.ch07 import judge_simple_convnet_training
from checks.reproduce.claims.ch08 import judge_deep_convnet_training
from checks.reproduce.model import Options

QUICK, BOOK = Options(quick=True, train_convnets=True), Options(train_convnets=True)


def _run(steps, first, last, accuracy, epochs=1, filters_change=0.0097):
    filters = np.zeros((30, 1, 5, 5))
    after = filters.copy()
    after[0, 0, 0, 0] = filters_change
    return {"run": {"train_loss": np.linspace(first, last, steps), "train_acc": np.full(epochs, accuracy),
                    "test_acc": np.full(epochs, accuracy), "final_test_acc": accuracy,
                    "filters_before": filters, "filters_after": after}}


@pytest.mark.parametrize("judge, steps", [(judge_simple_convnet_training, 10), (judge_deep_convnet_training, 30)],
                         ids=["simple", "deep"])
def test_the_ci_tier_passes_a_learning_run_and_fails_one_that_does_not_learn(judge, steps):
    learned = judge(_run(steps, 2.30, 1.9, 0.48), QUICK)
    assert learned.passed, [c.text for c in learned.failures()]
    stuck = judge(_run(steps, math.log(10), math.log(10), 0.1), QUICK)
    assert not stuck.passed
    assert any("accuracy" in c.text for c in stuck.failures())
    # the loss bound fails on its own a loss that stays at ln 10 (the bands' seeds end ≥ 0.05 below it)
    flat = judge(_run(steps, math.log(10), math.log(10), 0.48), QUICK)
    failed = [c.text for c in flat.failures()]
    assert failed and all("loss" in text for text in failed), failed
    assert not judge(_run(steps // 2, 2.30, 1.9, 0.48), QUICK).passed, "a wrong number of steps passed"


@pytest.mark.parametrize("judge, accuracy", [(judge_simple_convnet_training, 0.984),
                                             (judge_deep_convnet_training, 0.989)], ids=["simple", "deep"])
def test_the_book_tier_fails_below_its_stated_threshold(judge, accuracy):
    assert judge(_run(12000, 2.3, 0.01, accuracy + 0.002, epochs=20), BOOK).passed
    assert not judge(_run(12000, 2.3, 0.01, accuracy, epochs=20), BOOK).passed


def test_results_record_per_epoch_curves_and_dtype():
    verdict = judge_deep_convnet_training(_run(40, 2.3, 1.5, 0.5, epochs=4), QUICK)
    measured = verdict.measured
    assert measured["steps"] == 40 and measured["epochs"] == 4 and measured["dtype"] == "float64"
    assert len(measured["loss_per_epoch"]) == 4 and measured["loss_per_epoch"][0] > measured["loss_per_epoch"][-1]
    assert measured["train_acc"] == measured["test_acc"] == [0.5] * 4
