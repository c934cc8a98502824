"""The one numerical-gradient checker of dlfs.

Every gradient check (layers, losses, whole networks) goes through here:
central differences in float64, f scalarized by the caller (usually
sum(forward(x)·dout) with a random dout), and a comparison
|analytic − numerical| ≤ atol + rtol·|numerical| element by element.

Tolerances. With h = 1e-6 the truncation error of a central difference is
O(h²·f''') ≈ 1e-12 and the rounding error about eps·|f|/h ≈ 1e-16·10/1e-6 = 1e-9
for the O(1)–O(10) scalars our cases produce. Measured on `reference` over every
gradient case in `checks/library/cases/` (seeds 0–4, 2026-11-23, `python -m checks.tools.margins
gradient_checker`): max |a−n| = 1.2e-8 (convolutions, |n| up to 15); SoftmaxWithLoss
up to 9.1e-7, not from rounding but from the book's 1e-7 inside the log, whose
derivative the analytic (y − t)/N leaves out (hence its logits |x| < 2, so no
probability gets small); max |a−n|/|n| = 3.7e-6 where |n| > 1e-3. We assert
atol = 1e-6, rtol = 1e-5: the worst honest error uses 26% of that allowance (under 1%
outside SoftmaxWithLoss), while the smallest real bugs in the bug corpus
`checks/tools/mutants/` (a missing batch-size division, a transposed dW) give errors ≥ 1e-2.

Nothing compared is a failure: an empty result, or a sample of no element, shows nothing
(a network whose `params` is empty once passed its gradient checks that way).

Non-finite values. NaN and ±inf are never skipped: a NaN or inf in the result, in an
expected value or in a numerical gradient (the submission's own forward was not finite
near the checked point) is a failure of its own, diagnosed as such. Which elements of a
sampled numerical gradient were not computed is an explicit mask (a masked array),
never a NaN marker, so a NaN coming from the submission cannot pass for "not computed".
"""

import numpy as np

from checks.i18n import translator

from .diagnosis import Context, describe_mismatch, describe_nonfinite
from .errors import CheckFailure

__all__ = ["ATOL", "RTOL", "STEP", "as_float64", "assert_close", "assert_close_to_any", "assert_finite",
           "numerical_gradient", "sample_indices"]

STEP = 1e-6
ATOL = 1e-6
RTOL = 1e-5
_ = translator("grading")


def as_float64(name, value):
    """Return `value` as a float64 array, or refuse with a clear message.

    Float32 would make a central difference with h = 1e-6 meaningless (its
    resolution is ~1e-7 relative), so the checker converts float inputs up front and
    refuses integer or object arrays instead of silently giving a wrong gradient.
    """
    array = np.asarray(value)
    if array.dtype.kind == "f":
        return array.astype(np.float64, copy=True)
    raise TypeError(
        f"gradient check input '{name}' must be a floating-point array, got dtype {array.dtype}: "
        "integer inputs cannot be perturbed by h"
    )


def sample_indices(shape, count, rng):
    """Up to `count` distinct multi-indices of an array of `shape`, drawn from `rng`."""
    size = int(np.prod(shape))
    if size <= count:
        flat = np.arange(size)
    else:
        flat = np.sort(rng.choice(size, size=count, replace=False))
    return [np.unravel_index(i, shape) for i in flat]


def numerical_gradient(f, x, indices=None, h=STEP):
    """Central-difference gradient of scalar `f` at float64 array `x` (book §4.4).

    f is called with a perturbed copy of x each time (never the caller's array).
    Returns an array of x's shape. With `indices`, only those elements are perturbed
    (used for large parameter arrays, where we check a random sample) and the result
    is a masked array whose mask marks the elements not computed; `assert_close`
    compares only the unmasked ones. A non-finite f gives a non-finite element,
    which `assert_close` reports ("forward is not finite near x[i]").
    """
    x = as_float64("x", x)
    grad = np.zeros_like(x)
    computed = np.zeros(x.shape, dtype=bool)
    with np.errstate(invalid="ignore", over="ignore"):
        for index in indices if indices is not None else np.ndindex(x.shape):
            original = x[index]
            x[index] = original + h
            f_plus = float(f(x.copy()))
            x[index] = original - h
            f_minus = float(f(x.copy()))
            x[index] = original
            grad[index] = (f_plus - f_minus) / (2.0 * h)
            computed[index] = True
    if indices is None:
        return grad
    return np.ma.MaskedArray(grad, mask=~computed)


def assert_close(analytic, expected, context, atol=ATOL, rtol=RTOL, hint_sources=()):
    """Fail with a full diagnosis unless `analytic` matches `expected` elementwise.

    `expected` may be a masked array (a sampled numerical gradient): masked elements
    were not computed and are not compared. Every compared element must be finite on
    both sides: a NaN or inf in `analytic` or `expected` is a failure, never skipped.
    `context` says what was compared (see `Context`).
    """
    if analytic is None:
        context.fail(_("{quantity} is None: the method returned nothing (did it forget `return`, or never set "
                       "the attribute?)", quantity=_(context.quantity)))
    compared = ~np.ma.getmaskarray(expected)
    expected = np.asarray(np.ma.getdata(expected), dtype=np.float64)
    try:
        analytic = np.asarray(analytic, dtype=np.float64)
    except (TypeError, ValueError) as error:
        not_numeric = _("{quantity} is not numeric: {error}", quantity=_(context.quantity), error=str(error))
    else:
        not_numeric = None
    if not_numeric is not None:
        context.fail(not_numeric)
    if analytic.shape != expected.shape:
        context.fail_shape(analytic.shape, expected.shape)
    if not compared.any():  # a check that compared nothing has shown nothing: never a pass
        context.fail(_("nothing was compared: {quantity} has {count} element(s) and none of them was checked "
                       "(an empty array, or no element sampled)", quantity=_(context.quantity), count=analytic.size))
    nonfinite = compared & ~(np.isfinite(analytic) & np.isfinite(expected))
    if nonfinite.any():
        raise CheckFailure(describe_nonfinite(analytic, expected, nonfinite, compared, context,
                                              hint_sources))
    with np.errstate(invalid="ignore", over="ignore"):
        bad = compared & ~(np.abs(analytic - expected) <= atol + rtol * np.abs(expected))
    if bad.any():
        raise CheckFailure(describe_mismatch(analytic, expected, bad, compared, context, atol, rtol, hint_sources))


def assert_close_to_any(analytic, variants, context, atol=ATOL, rtol=RTOL, hint_sources=()):
    """`assert_close` against each accepted variant of the expected value (a tuple, the book's first);
    a plain value is one variant. Fails, diagnosed against the book's, when every variant differs."""
    variants = variants if isinstance(variants, tuple) else (variants,)
    first = None
    for expected in variants:
        try:
            assert_close(analytic, expected, context, atol=atol, rtol=rtol, hint_sources=hint_sources)
            return
        except CheckFailure as failure:
            first = first or failure
    raise first


def assert_finite(value, context, hint_sources=()):
    """Fail unless every element of `value` is a finite number (no NaN, no ±inf).

    For checks that compare in their own way (equality of integers, statistics,
    permutations): they call this first, so a non-finite result is diagnosed as one
    instead of slipping through a comparison that NaN makes False.
    """
    if value is None:
        context.fail(_("{quantity} is None: the method returned nothing (did it forget `return`, or never set "
                       "the attribute?)", quantity=_(context.quantity)))
    try:
        value = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as error:
        not_numeric = _("{quantity} is not numeric: {error}", quantity=_(context.quantity), error=str(error))
    else:
        not_numeric = None
    if not_numeric is not None:
        context.fail(not_numeric)
    nonfinite = ~np.isfinite(value)
    if nonfinite.any():
        raise CheckFailure(describe_nonfinite(value, None, nonfinite, np.ones(value.shape, dtype=bool), context,
                                              hint_sources))
