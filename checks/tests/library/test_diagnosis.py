"""The checks fail on realistic broken layers, with a diagnosis a learner can act on.

Each row: a variant from the bug corpus (checks/tools/mutants/), the check that must
catch it, and what its message must say. Messages must name the check, the
component, the implementation, the seed and the tolerance, and give the hint for
the bug's known signature.
"""

import pytest

from checks.library.errors import CheckFailure
from checks.library.catalog import all_checks
from checks.isolation.adapters import open_implementation

CAUGHT_WITH_HINT = [
    ("affine_dw_transposed", "Affine(2d)", "check_backward_gradient_params", "transposed"),
    ("affine_dx_not_reshaped", "Affine(4d-input)", "check_backward_gradient_dx", "reshape"),
    ("relu_backward_no_mask", "Relu(2d)", "check_backward_gradient_dx", "zero the masked positions"),
    ("softmax_with_loss_no_batch_division", "SoftmaxWithLoss(labels)", "check_backward_gradient_dx",
     "divide by the batch size"),
    ("sigmoid_backward_uses_y", "Sigmoid(2d)", "check_backward_gradient_dx", "y(1 − y)"),
    ("affine_db_summed_over_features", "Affine(2d)", "check_output_and_gradient_shapes",
     "summed over the wrong axis"),
    ("dropout_inverted_backward_unscaled", "Dropout(train)", "check_backward_gradient_dx",
     "a scale (lr, batch size, ratio) is misapplied"),
    # the layer checks without a numerical gradient, one realistic bug each
    ("dropout_mask_redrawn_in_backward", "Dropout(train)", "check_backward_linear_in_dout",
     "backward must be linear in dout"),
    ("sigmoid_backward_drops_dout", "Sigmoid(2d)", "check_zero_dout_gives_zero_gradients", "is dout ignored"),
    ("convolution_im2col_rows_position_major", "Convolution(stride1-pad0)", "check_batch_equals_per_sample",
     "mixes the batch axis"),
    ("relu_forward_mutates_input", "Relu(2d)", "check_forward_keeps_input", "work on a copy"),
    ("dropout_mask_redrawn_in_backward", "Dropout(train)", "check_backward_repeatable",
     "not draw random numbers"),
    # forward values against the book's definition, which a self-consistent backward cannot show
    ("affine_forward_shifted", "Affine(2d)", "check_forward_matches_definition", "off by the same constant 1"),
    ("sigmoid_layer_as_tanh", "Sigmoid(2d)", "check_forward_matches_definition", "these are tanh(x)"),
]

# Checks of values and properties (no gradient, so no step h): the message still names the
# check, the component and the implementation, and gives the hint for the bug's signature.
PROPERTY_CAUGHT_WITH_HINT = [
    ("softmax_sums_whole_batch", "softmax(batch)", "check_softmax_each_row", "sum over axis=-1"),
    ("softmax_subtracts_batch_max", "softmax(rows-far-apart)", "check_softmax_rows_far_apart",
     "each row's own maximum"),
    ("step_function_one_at_zero", "step_function(at-zero)", "check_step_function_at_zero", "x > 0, not x >= 0"),
    ("numerical_gradient_passes_one_element", "numerical_gradient(2d)", "check_numerical_gradient_any_shape",
     "not with x[idx] alone"),
    ("col2im_assigns_overlaps", "col2im(3x2-stride1-pad0)", "check_col2im_is_adjoint_of_im2col",
     "accumulate (+=)"),
    ("col2im_averages_overlaps", "col2im(3x2-stride1-pad0)", "check_col2im_is_adjoint_of_im2col",
     "overlaps are averaged"),
    ("adagrad_without_epsilon", "AdaGrad(defaults)", "check_single_update_matches_closed_form", "add 1e-7"),
    ("sgd_rebinds_params", "SGD(in-place)", "check_update_in_place", "update in place"),
    ("batchnorm_running_stats_never_updated", "BatchNormalization(running-stats)",
     "check_batchnorm_running_statistics", "update the running statistics"),
    ("two_layer_net_weights_from_rand", "TwoLayerNet(init-std-0.01)", "check_initial_weight_statistics",
     "np.random.randn"),
    ("multi_layer_net_he_xavier_swapped", "MultiLayerNet(init-he)", "check_initial_weight_statistics",
     "swapped?"),
    ("deep_convnet_xavier_init", "DeepConvNet(init-he)", "check_initial_weight_statistics", "off by √2"),
    ("trainer_rmsprop_key_misspelt", "Trainer(rmsprop)", "check_trainer_builds_the_named_optimizer",
     "a known issue of old copies of the book's code"),
    ("trainer_adam_name_builds_sgd", "Trainer(adam)", "check_trainer_builds_the_named_optimizer",
     "these are the steps of SGD"),
    ("simple_convnet_load_params_lowercase_w", "SimpleConvNet(1x8x8)", "check_save_load_round_trip",
     "give each layer its arrays again"),
]


def _find(case_id, check_name):
    for check, case in all_checks():
        if case.id == case_id and check.__name__ == check_name:
            return check, case
    raise LookupError(f"no check {check_name} for {case_id}")


def _diagnosis(mutant, case_id, check_name, hint):
    """The CheckFailure message of one check on one bug-corpus variant; it names the check,
    the component, the implementation, and gives the hint for the bug's signature."""
    check, case = _find(case_id, check_name)
    with pytest.raises(CheckFailure) as failure:
        check(open_implementation(f"mutant:{mutant}"), case)
    message = str(failure.value)
    for required in (check_name, case_id, f"impl: mutant:{mutant}", "hint:", hint):
        assert required in message, f"diagnosis lacks {required!r}:\n{message}"
    return message


def _ids(rows):
    return [f"{mutant}-{check_name}" for mutant, _, check_name, _ in rows]


@pytest.mark.parametrize(("mutant", "case_id", "check_name", "hint"), CAUGHT_WITH_HINT, ids=_ids(CAUGHT_WITH_HINT))
def test_broken_layer_fails_with_diagnosis(mutant, case_id, check_name, hint):
    """Every layer check fails on a realistic broken layer, and says why in the issue's terms."""
    message = _diagnosis(mutant, case_id, check_name, hint)
    if "shape" not in message.splitlines()[-2]:
        numerical = "central differences" in message  # only a numerical gradient has a step h
        for required in ("seed 0", "h=1e-06" if numerical else "seed 0", "tolerance", "mismatches",
                         "max abs diff", "expected"):
            assert required in message, f"diagnosis lacks {required!r}:\n{message}"


@pytest.mark.parametrize(("mutant", "case_id", "check_name", "hint"), PROPERTY_CAUGHT_WITH_HINT,
                         ids=_ids(PROPERTY_CAUGHT_WITH_HINT))
def test_broken_component_fails_with_hint(mutant, case_id, check_name, hint):
    _diagnosis(mutant, case_id, check_name, hint)


@pytest.mark.parametrize(("mutant", "case_id", "check_name", "hint"), CAUGHT_WITH_HINT + PROPERTY_CAUGHT_WITH_HINT,
                         ids=_ids(CAUGHT_WITH_HINT + PROPERTY_CAUGHT_WITH_HINT))
def test_same_check_passes_on_reference(mutant, case_id, check_name, hint):
    check, case = _find(case_id, check_name)
    check(open_implementation("reference"), case)


def test_wrong_scalar_gets_a_diagnosis_not_a_crash():
    """A scalar result (loss, accuracy, book value) is diagnosed like an array of one element."""
    check, case = _find("mean_squared_error(book-correct)", "check_book_value")
    with pytest.raises(CheckFailure) as failure:
        check(open_implementation("mutant:mean_squared_error_without_half"), case)
    message = str(failure.value)
    for required in ("check_book_value", "mean_squared_error(book-correct)", "mismatches: 1 of 1", "0.195", "0.0975"):
        assert required in message, f"diagnosis lacks {required!r}:\n{message}"


def test_every_layer_check_has_a_demonstration():
    from checks.library.cases import LAYER_CASES
    from checks.library.catalog import checks_on

    layer_checks = {check.__name__ for case in LAYER_CASES for check in checks_on(case)}
    demonstrated = {row[2] for row in CAUGHT_WITH_HINT}
    assert layer_checks <= demonstrated, f"layer checks without a broken-layer demonstration: {layer_checks - demonstrated}"


def test_relative_difference_is_not_reported_against_zero():
    """An expected 0 gives no 1e+300 relative difference: only |expected| above atol counts."""
    check, case = _find("Sigmoid(2d)", "check_zero_dout_gives_zero_gradients")
    with pytest.raises(CheckFailure) as failure:
        check(open_implementation("mutant:sigmoid_backward_drops_dout"), case)
    message = str(failure.value)
    assert "no relative diff (every expected value is ≈ 0)" in message and "e+30" not in message, message


def test_a_db_averaged_over_the_batch_gets_the_hint_for_np_mean(tmp_path):
    """db = np.mean(dout, axis=0) is N× too small once: the hint says so, not "divided twice"."""
    from checks.tests.fixtures.grading import REFERENCE, copy_package, stub_method

    package = copy_package(REFERENCE, tmp_path / "averaged_db")
    stub_method(package, "layers/affine.py", "Affine.backward",
                "dx = np.dot(dout, self.W.T)\n"
                "self.dW = np.dot(self.x.T, dout)\n"
                "self.db = np.mean(dout, axis=0)\n"
                "return dx.reshape(self.original_x_shape)\n")
    check, case = _find("Affine(2d)", "check_backward_gradient_params")
    implementation = open_implementation(str(package))
    try:
        with pytest.raises(CheckFailure) as failure:
            check(implementation, case)
    finally:
        implementation.close()
    message = str(failure.value)
    assert "db after backward" in message and "5× too small" in message, message
    assert "np.mean" in message and "np.sum(dout, axis=0)" in message and "twice" not in message, message
