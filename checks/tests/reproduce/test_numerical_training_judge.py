"""ch04_numerical_training's judge (checks/reproduce/claims/ch04.py, book §4.5): the first step's drop.

Its bound is tier by tier, under the drops measured over seeds (bands.json): quick 0.0042-0.018,
book 0.0011-0.0021. A numerical gradient that is zero (x not perturbed) leaves the batch's loss
where it was, one of the wrong sign raises it: both fail in either tier, a run at the lowest
measured seed passes.
"""

import math

import numpy as np
import pytest

from checks.reproduce.claims.ch04 import judge_numerical_training
from checks.reproduce.model import Options

LN10 = math.log(10)


def _data(drop):
    loss = np.array([LN10 - drop, LN10 - drop - 0.0005, LN10 - drop - 0.001])
    return {"numerical": {"train_loss": loss, "initial_loss": LN10},
            "backprop": {"train_loss": loss.copy()}}


def _failed(verdict):
    return [criterion.text for criterion in verdict.failures()]


@pytest.mark.parametrize("opts, lowest", [(Options(quick=True), 0.0042), (Options(), 0.0011)], ids=["quick", "book"])
def test_the_first_steps_drop_fails_a_zero_or_rising_step_and_passes_the_lowest_seed(opts, lowest):
    assert judge_numerical_training(_data(lowest), opts).passed, _failed(judge_numerical_training(_data(lowest), opts))
    for drop in (0.0, -0.001):
        failed = _failed(judge_numerical_training(_data(drop), opts))
        assert any(text.startswith("first step: drop of its batch's loss") for text in failed), failed
