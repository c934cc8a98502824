"""The one gradient checker (checks/library/gradcheck.py): its inputs, its numbers, its verdicts."""

import numpy as np
import pytest

from checks.library.diagnosis import Context
from checks.library.errors import CheckFailure
from checks.library.gradcheck import (ATOL, RTOL, STEP, as_float64, assert_close, assert_finite, numerical_gradient,
                                      sample_indices)


def _context(**extra):
    return Context(check="check_demo", component="Demo(cfg)", impl="reference", quantity="dx from backward(dout)",
                   reference="central differences", shapes={"x": (2, 3)}, seed=0, step=STEP, extra=extra)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_float_inputs_are_converted_to_a_float64_copy(dtype):
    x = np.array([[0.1, -2.0, 3.5]], dtype=dtype)
    converted = as_float64("x", x)
    assert converted.dtype == np.float64 and converted is not x
    np.testing.assert_array_equal(converted, x.astype(np.float64))


def test_float32_input_gives_a_float64_gradient():
    # In float32, x ± 1e-6 rounds to x for |x| ≳ 8 and the difference quotient would be 0 or garbage.
    x = np.array([8.0, -9.5, 12.25], dtype=np.float32)
    grad = numerical_gradient(lambda v: float(np.sum(v ** 3)), x)
    assert grad.dtype == np.float64
    np.testing.assert_allclose(grad, 3 * x.astype(np.float64) ** 2, rtol=1e-7)


@pytest.mark.parametrize("value", [np.array([1, 2, 3]), np.array([True, False]), np.array(["a"], dtype=object)],
                         ids=["int", "bool", "object"])
def test_non_float_inputs_are_rejected_with_a_clear_message(value):
    with pytest.raises(TypeError) as error:
        as_float64("W", value)
    message = str(error.value)
    assert "'W'" in message and "floating-point" in message and str(value.dtype) in message


def test_integer_input_to_numerical_gradient_is_rejected_not_silently_wrong():
    with pytest.raises(TypeError, match="integer inputs cannot be perturbed"):
        numerical_gradient(lambda v: float(np.sum(v ** 2)), np.array([1, 2, 3]))


def test_numerical_gradient_of_a_non_separable_4d_function():
    x = np.random.default_rng(0).normal(size=(2, 1, 3, 2))
    w = np.random.default_rng(1).normal(size=x.shape)

    def f(v):
        return float(np.sum(v * w) * np.sum(v ** 2))

    expected = w * np.sum(x ** 2) + 2 * x * np.sum(x * w)
    np.testing.assert_allclose(numerical_gradient(f, x), expected, rtol=1e-7, atol=1e-8)


def test_numerical_gradient_never_hands_f_the_callers_array_and_leaves_it_intact():
    x = np.linspace(-1, 1, 6).reshape(2, 3)
    before = x.copy()
    seen = []

    def f(v):
        seen.append(v)
        v *= 2  # a function that mutates its argument must not corrupt the sweep
        return float(np.sum(v))

    np.testing.assert_allclose(numerical_gradient(f, x), np.full(x.shape, 2.0), rtol=1e-7)
    np.testing.assert_array_equal(x, before)
    assert all(v is not x for v in seen)


def test_sampled_gradient_masks_what_it_did_not_compute_and_compares_only_the_sample():
    x = np.arange(12, dtype=np.float64).reshape(3, 4)
    indices = sample_indices(x.shape, 4, np.random.default_rng(0))
    grad = numerical_gradient(lambda v: float(np.sum(v ** 2)), x, indices=indices)
    computed = ~np.ma.getmaskarray(grad)
    assert computed.sum() == 4 and all(computed[i] for i in indices)
    analytic = np.where(computed, 2 * x, 1e9)  # wrong only where nothing was computed
    assert_close(analytic, grad, _context())


def test_a_nan_from_the_function_is_never_taken_for_not_computed():
    # the hole this closes: f returning NaN near the point made its elements "not sampled"
    x = np.arange(12, dtype=np.float64).reshape(3, 4)
    indices = sample_indices(x.shape, 4, np.random.default_rng(0))

    def nan_near_the_point(v):
        return float("nan") if not np.array_equal(v, x) else float(np.sum(v ** 2))

    grad = numerical_gradient(nan_near_the_point, x, indices=indices)
    assert np.isnan(np.ma.getdata(grad)[~np.ma.getmaskarray(grad)]).all()
    with pytest.raises(CheckFailure) as failure:
        assert_close(np.zeros_like(x), grad, _context(perturbed="W"))
    message = str(failure.value)
    assert "forward is not finite near W[" in message and "4 NaN" in message, message


@pytest.mark.parametrize("got, expected, says", [
    (np.array([1.0, np.nan, 3.0]), np.array([1.0, 2.0, 3.0]), "dx from backward(dout) is not finite at 1 element(s) (1 NaN)"),
    (np.array([1.0, 2.0, 3.0]), np.array([1.0, np.inf, 3.0]), "forward is not finite near x[1]"),
    (np.array([1.0, np.inf, 3.0]), np.array([1.0, np.inf, 3.0]), "1 +inf"),  # inf - inf is no match either
    (np.array([np.nan, 2.0]), np.array([np.nan, 2.0]), "1 NaN"),  # nor NaN against NaN
], ids=["nan-result", "inf-expected", "inf-both", "nan-both"])
def test_non_finite_values_on_either_side_fail_with_a_diagnosis(got, expected, says):
    with pytest.raises(CheckFailure) as failure:
        assert_close(got, expected, _context())
    message = str(failure.value)
    assert "not finite" in message and says in message, message
    assert "nan" in message or "inf" in message  # shown as such, never as a stand-in number


def test_a_non_finite_expected_value_outside_a_gradient_names_the_reference():
    ctx = Context(check="check_demo", component="Demo(cfg)", impl="reference", quantity="forward(batch)",
                  reference="forward of each sample alone")
    with pytest.raises(CheckFailure, match=r"the expected value \(forward of each sample alone\) is not finite"):
        assert_close(np.zeros(2), np.array([0.0, np.nan]), ctx)


def test_assert_finite_accepts_finite_values_and_names_the_others():
    ctx = Context(check="check_demo", component="Demo(cfg)", impl="reference", quantity="params['W1']",
                  reference="weights")
    assert_finite(np.ones((2, 2)), ctx)
    with pytest.raises(CheckFailure) as failure:
        assert_finite(np.array([[1.0, -np.inf], [np.nan, 0.0]]), ctx)
    message = str(failure.value)
    assert "params['W1'] is not finite at 2 element(s) (1 NaN, 1 -inf)" in message and "any finite" in message


def test_tolerances_are_the_documented_ones():
    # Worst honest error on the reference ≈9e-7 absolute, 26% of the allowance (module docstring,
    # `python -m checks.tools.margins gradient_checker`); the smallest real bug in the corpus is ≥1e-2.
    assert (STEP, ATOL, RTOL) == (1e-6, 1e-6, 1e-5)
    expected = np.array([1.0, -2.0, 0.0])
    assert_close(expected + np.array([5e-7, -5e-7, 9e-7]), expected, _context())
    with pytest.raises(CheckFailure):
        assert_close(expected * 1.01, expected, _context())


def test_none_and_non_numeric_results_are_diagnosed():
    with pytest.raises(CheckFailure, match="returned nothing"):
        assert_close(None, np.zeros(3), _context())
    with pytest.raises(CheckFailure, match="not numeric"):
        assert_close(np.array(["a", "b"], dtype=object), np.zeros(2), _context())


def test_mismatch_message_lists_values_side_by_side_with_a_hint():
    expected = np.array([[1.0, -2.0, 3.0], [0.5, 0.25, -1.0]])
    with pytest.raises(CheckFailure) as failure:
        assert_close(expected * 4, expected, _context(batch_size=4))
    message = str(failure.value)
    for required in ("check_demo failed for Demo(cfg) [impl: reference]", "x (2, 3), seed 0, h=1e-06",
                     "tolerance: |got − expected| ≤ 1e-06 + 1e-05·|expected|", "mismatches: 6 of 6",
                     "(0, 0)", "4", "max abs diff 9 at (0, 2)", "hint: every element is 4× too large"):
        assert required in message, f"message lacks {required!r}:\n{message}"


@pytest.mark.parametrize(("analytic", "expected"), [
    (np.zeros((0, 3)), np.zeros((0, 3))),  # an empty array: e.g. the gradient of an empty params
    (np.zeros((2, 3)), np.ma.masked_all((2, 3))),  # a sampled gradient with no element sampled
], ids=["empty", "none-sampled"])
def test_a_comparison_of_nothing_fails_saying_so(analytic, expected):
    with pytest.raises(CheckFailure, match="nothing was compared") as failure:
        assert_close(analytic, expected, _context())
    assert f"has {analytic.size} element(s)" in str(failure.value)
