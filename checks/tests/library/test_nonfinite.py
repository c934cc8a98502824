"""Every kind of numeric check fails on non-finite values it did not expect.

Each variant is a copy of reference/ with one method altered to give NaN somewhere
(in its result, or in what the check derives from it: a numerical gradient of its own
forward, an "expected" value computed from its own output). Each must be "wrong", with
a diagnosis saying "not finite" — never a skipped element, never a stand-in number.
"""

import numpy as np
import pytest

from checks.isolation.adapters import open_implementation
from checks.library.errors import CheckFailure
from checks.library.catalog import all_checks
from checks.tests.fixtures.grading import REFERENCE, copy_package, stub_method, wrap_method

# Forward that is right at the point a check evaluates but NaN at any point within 1e-5 of
# it (where central differences look), remembering the point per class: the attack of the
# sandbox issue. Paired with a backward that returns zeros it passed every gradient check.
NAN_NEAR_POINT = '''
self = args[0]
state = [np.array(a, dtype=float) for a in args[1:2]] + [
    np.array(v, dtype=float) for k, v in sorted(vars(self).items()) if k in ("W", "b", "gamma", "beta")]
first = getattr(type(self), "_first", None)
near = first is not None and len(first) == len(state) and all(
    a.shape == b.shape and np.allclose(a, b, rtol=0, atol=1e-5) for a, b in zip(first, state))
if not near:
    type(self)._first = first = state
out = original(*args, **kwargs)
if any(not np.array_equal(a, b) for a, b in zip(first, state)):
    return out * np.nan
return out
'''

NET_LOSS_NAN_NEAR_POINT = '''
self = args[0]
state = np.concatenate([np.ravel(np.asarray(v, dtype=float)) for v in self.params.values()])
first = getattr(type(self), "_first", None)
if first is None or first.shape != state.shape or not np.allclose(first, state, rtol=0, atol=1e-5):
    type(self)._first = first = state
loss = original(*args, **kwargs)
return float("nan") if not np.array_equal(first, state) else loss
'''

TIMES_NAN = "return original(*args, **kwargs) * np.nan"

# name: [(file, qualname, "stub" | "wrap", body)], [(case id, check name)]
VARIANTS = {
    "affine-nan-near-point-zero-backward": (
        [("layers/affine.py", "Affine.forward", "wrap", NAN_NEAR_POINT),
         ("layers/affine.py", "Affine.backward", "stub",
          "self.dW, self.db = np.zeros_like(self.W), np.zeros_like(self.b)\n"
          "return np.zeros(self.original_x_shape)")],
        [("Affine(2d)", "check_backward_gradient_dx"), ("Affine(2d)", "check_backward_gradient_params")]),
    "relu-backward-nan": (
        [("layers/activation.py", "Relu.backward", "wrap", TIMES_NAN)],
        [("Relu(2d)", "check_backward_gradient_dx"), ("Relu(2d)", "check_backward_linear_in_dout"),
         ("Relu(2d)", "check_zero_dout_gives_zero_gradients"), ("Relu(2d)", "check_backward_repeatable"),
         ("Relu(at-zero)", "check_relu_at_zero")]),
    "relu-forward-nan-for-one-sample": (
        [("layers/activation.py", "Relu.forward", "wrap",
          "out = original(*args, **kwargs)\nreturn out * np.nan if np.shape(args[1])[0] == 1 else out")],
        [("Relu(2d)", "check_batch_equals_per_sample")]),
    "two-layer-net-loss-nan-near-point": (
        [("two_layer_net.py", "TwoLayerNet.loss", "wrap", NET_LOSS_NAN_NEAR_POINT)],
        [("TwoLayerNet(6-5-3)", "check_gradient_matches_numerical")]),
    "two-layer-net-predict-nan": (
        [("two_layer_net.py", "TwoLayerNet.predict", "wrap", TIMES_NAN)],
        [("TwoLayerNet(6-5-3)", "check_loss_is_cross_entropy_of_predict")]),
    "two-layer-net-init-nan": (
        [("two_layer_net.py", "TwoLayerNet.__init__", "wrap",
          "original(*args, **kwargs)\nfor value in args[0].params.values():\n    value *= np.nan")],
        [("TwoLayerNet(init-std-0.01)", "check_initial_weight_statistics")]),
    "softmax-nan": (
        [("functions.py", "softmax", "wrap", TIMES_NAN)],
        [("softmax(book-vector)", "check_book_value"), ("softmax(batch)", "check_softmax_each_row")]),
    "softmax-without-max": (
        [("functions.py", "softmax", "stub", "exp_x = np.exp(x)\nreturn exp_x / np.sum(exp_x, axis=-1, keepdims=True)")],
        [("softmax(large-inputs)", "check_softmax_overflow_safe")]),
    "and-nan": (
        [("gates.py", "AND", "stub", "return float('nan')")],
        [("AND(truth-table)", "check_truth_table")]),
    "relu-grad-nan": (
        [("functions.py", "relu_grad", "wrap", TIMES_NAN)],
        [("relu_grad(at-zero)", "check_relu_grad_at_zero"), ("relu_grad(formula)", "check_elementwise_formula")]),
    "sgd-writes-nan": (
        [("optimizers.py", "SGD.update", "stub", "for key in params:\n    params[key][...] = np.nan")],
        [("SGD(defaults)", "check_single_update_matches_closed_form"), ("SGD(in-place)", "check_update_in_place")]),
    "im2col-nan": (
        [("util.py", "im2col", "wrap", TIMES_NAN)],
        [("im2col(3x2-stride1-pad0)", "check_im2col_matches_definition")]),
    "col2im-nan": (
        [("util.py", "col2im", "wrap", TIMES_NAN)],
        [("col2im(3x2-stride1-pad0)", "check_col2im_is_adjoint_of_im2col")]),
    "conv-output-size-nan": (
        [("util.py", "conv_output_size", "stub", "return float('nan')")],
        [("conv_output_size(formula)", "check_conv_output_size")]),
    "batchnorm-running-mean-nan": (
        [("layers/batch_normalization.py", "BatchNormalization.forward", "wrap",
          "out = original(*args, **kwargs)\nargs[0].running_mean = args[0].running_mean * np.nan\nreturn out")],
        [("BatchNormalization(running-stats)", "check_batchnorm_running_statistics")]),
    "dropout-test-time-nan": (
        [("layers/dropout.py", "Dropout.forward", "wrap",
          "out = original(*args, **kwargs)\n"
          "return out if kwargs.get('train_flg', args[2] if len(args) > 2 else True) else out * np.nan")],
        [("Dropout(test-time)", "check_dropout_test_time_scaling")]),
    "pooling-backward-nan": (
        [("layers/pooling.py", "Pooling.backward", "wrap", TIMES_NAN)],
        [("Pooling(ties)", "check_pooling_ties_conserve_gradient")]),
    "smooth-curve-nan": (
        [("util.py", "smooth_curve", "wrap", TIMES_NAN)],
        [("smooth_curve(lines)", "check_smooth_curve_preserves_lines")]),
}

ROWS = [(variant, case_id, check) for variant, (_, checks) in VARIANTS.items() for case_id, check in checks]


@pytest.fixture(scope="module")
def variants(tmp_path_factory):
    """{variant name: an open in-process implementation of its package}."""
    root = tmp_path_factory.mktemp("nonfinite")
    opened = {}
    for name, (changes, _) in VARIANTS.items():
        package = copy_package(REFERENCE, root / name.replace("-", "_"))
        for relative, qualname, how, body in changes:
            (stub_method if how == "stub" else wrap_method)(package, relative, qualname, body)
        opened[name] = open_implementation(str(package))
    return opened


def _find(case_id, check_name):
    for check, case in all_checks():
        if case.id == case_id and check.__name__ == check_name:
            return check, case
    raise LookupError(f"no check {check_name} for {case_id}")


@pytest.mark.parametrize(("variant", "case_id", "check_name"), ROWS, ids=[f"{v}-{c}-{k}" for v, c, k in ROWS])
def test_each_numeric_check_fails_on_a_nan_variant_saying_not_finite(variants, variant, case_id, check_name):
    check, case = _find(case_id, check_name)
    check(open_implementation("reference"), case)  # the same check passes on the reference
    with pytest.raises(CheckFailure) as failure:
        check(variants[variant], case)
    message = str(failure.value)
    assert "not finite" in message and check_name in message, message
    assert "-1" not in message.split("expected")[-1].split()[:1]  # NaN is shown as nan, not as a stand-in


def test_nan_near_the_checked_point_is_named_as_such(variants):
    check, case = _find("Affine(2d)", "check_backward_gradient_params")
    with pytest.raises(CheckFailure) as failure:
        check(variants["affine-nan-near-point-zero-backward"], case)
    assert "forward is not finite near W[" in str(failure.value), str(failure.value)


def test_softmax_overflow_shows_nan_as_nan_with_the_fix(variants):
    check, case = _find("softmax(large-inputs)", "check_softmax_overflow_safe")
    with pytest.raises(CheckFailure) as failure:
        check(variants["softmax-without-max"], case)
    message = str(failure.value)
    assert "nan" in message and "got -1" not in message and "subtract np.max(x) before np.exp" in message, message
