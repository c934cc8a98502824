"""§5.7.3's gradient check next to ReLU's kink (checks/reproduce/claims/ch05.py).

At seeds 14 and 16 the quick network (784-10-10) has a hidden unit whose pre-activation for
one of the 3 images lies within h = 1e-4 of 0: moving its weights by h crosses the kink, so
the central difference there is no derivative and differs from backprop by far more than the
threshold — for the book's code as for ours. The experiment leaves such units out of W1's and
b1's figures and names them; a backward pass that is wrong elsewhere still fails.
"""

from types import SimpleNamespace

import numpy as np
import pytest

from checks.reproduce.calls import implementation_namespace
from checks.reproduce.claims.ch05 import judge_gradient_check
from checks.reproduce.model import Options
from reference.experiments.ch05_training import gradient_check_two_layer_net

QUICK = Options(quick=True)


@pytest.mark.parametrize("seed, unit", [(14, 6), (16, 9)])
def test_a_unit_at_the_kink_is_left_out_and_named(seed, unit):
    result = gradient_check_two_layer_net(seed=seed, hidden_size=10)
    assert result["W1"]["left_out"] == result["b1"]["left_out"] == [unit]
    assert result["W2"]["left_out"] == result["b2"]["left_out"] == []
    verdict = judge_gradient_check({"check": result}, QUICK)
    assert verdict.passed, [c.text for c in verdict.failures()]
    assert verdict.measured["left_out_units"] == [unit]
    assert f"hidden units {unit} left out of W1 and b1" in verdict.summary


def test_the_left_out_unit_is_where_the_central_difference_is_no_derivative():
    # Why it is left out: on that unit's column alone, backprop and the central difference differ
    # far beyond the judge's 1e-4 ratio, while the pre-activation is within h of the kink.
    from reference.two_layer_net import TwoLayerNet
    from reference.experiments._mnist import mnist

    np.random.seed(14)
    (x_train, t_train), _ = mnist(normalize=True, one_hot_label=True)
    x, t = x_train[:3].astype(np.float64), t_train[:3].astype(np.float64)
    network = TwoLayerNet(input_size=784, hidden_size=10, output_size=10)
    pre_activation = x @ network.params["W1"] + network.params["b1"]
    assert np.abs(pre_activation[:, 6]).min() < 1e-4
    numerical = {k: v.copy() for k, v in network.numerical_gradient(x, t).items()}
    backprop = network.gradient(x, t)
    ratio = np.abs(backprop["b1"][6] - numerical["b1"][6]) / np.abs(numerical["b1"]).max()
    assert ratio > 1e-4


def test_no_unit_is_left_out_where_none_is_near_the_kink():
    result = gradient_check_two_layer_net(seed=0, hidden_size=10)
    assert all(stats["left_out"] == [] for stats in result.values())
    verdict = judge_gradient_check({"check": result}, QUICK)
    assert verdict.passed and "left_out_units" not in verdict.measured


def test_a_backward_pass_without_the_relu_mask_still_fails_at_a_seed_with_a_unit_left_out():
    # The book's TwoLayerNet holding a Relu whose backward passes dout through (the bug corpus's
    # relu_backward_no_mask): the units left out are one of ten, the mask is wrong on all of them.
    from checks.tools.mutants.relu_backward_no_mask import Relu as UnmaskedRelu
    from reference.two_layer_net import TwoLayerNet

    def unmasked_two_layer_net(**sizes):
        network = TwoLayerNet(**sizes)
        network.layers["Relu1"] = UnmaskedRelu()
        return network

    result = gradient_check_two_layer_net(SimpleNamespace(TwoLayerNet=unmasked_two_layer_net), seed=14,
                                          hidden_size=10)
    assert result["W1"]["left_out"] == [6]
    verdict = judge_gradient_check({"check": result}, QUICK)
    assert not verdict.passed
    assert {c.text.split(":")[0] for c in verdict.failures()} == {"W1", "b1"}
