"""Known signatures of wrong gradients, turned into one-line hints.

Each rule looks at the analytic result, the expected one and what the check put in
`context.extra` (e.g. the input `x`, the batch size) and returns a hint or None.
Cases may add component-specific rules (`hint_sources`); generic rules run last.
"""

import numpy as np

from checks.i18n import N_

__all__ = ["constant_ratio", "find_hint", "offset_hint", "sigmoid_derivative_hint", "tanh_hint"]


def constant_ratio(analytic, expected, compared):
    """analytic / expected when it is the same number everywhere that matters, else None."""
    mask = compared & (np.abs(expected) > 1e-8)
    if mask.sum() < 2:
        return None
    ratios = analytic[mask] / expected[mask]
    ratio = float(np.median(ratios))
    if np.allclose(ratios, ratio, rtol=1e-4, atol=1e-9):
        return ratio
    return None


def _all_zero(analytic, expected, compared, context):
    if not context.quantity.startswith(("d", "gradient")):
        return None
    if np.all(analytic[compared] == 0) and np.any(expected[compared] != 0):
        return N_("the result is all zeros — is the gradient computed at all (or is dout multiplied "
                  "by a mask that is all False)?")
    return None


def _ratio(analytic, expected, compared, context):
    ratio = constant_ratio(analytic, expected, compared)
    if ratio is None:
        return None
    batch = context.extra.get("batch_size")
    if batch and batch > 1 and np.isclose(ratio, batch, rtol=1e-3):
        return N_("every element is {batch}× too large = the batch size: divide by the batch size (book §5.6.3)",
                  batch=batch)
    if batch and batch > 1 and np.isclose(ratio, 1.0 / batch, rtol=1e-3):
        if context.quantity.startswith("db"):
            return N_("every element is {batch}× too small = 1/the batch size: db was divided by the batch size "
                      "(np.mean?) — the book's db is np.sum(dout, axis=0) (§5.6.2)", batch=batch)
        return N_("every element is {batch}× too small = 1/the batch size: something divides by the batch size "
                  "that should not (np.mean instead of np.sum?) — only the loss divides by it, once (book §5.6.3)",
                  batch=batch)
    if np.isclose(ratio, -1.0, rtol=1e-3):
        return N_("the sign is flipped everywhere (gradient descent subtracts lr·grad; grad itself is +∂L/∂x)")
    if np.isclose(ratio, 2.0, rtol=1e-3) or np.isclose(ratio, 0.5, rtol=1e-3):
        return N_("off by a factor of {ratio} everywhere (a stray 2, or a missing 0.5 in 0.5·Σ…)",
                  ratio=format(ratio, "g"))
    return N_("off by the same factor {ratio} everywhere: a scale (lr, batch size, ratio) is misapplied",
              ratio=format(ratio, ".6g"))


def _transposed(analytic, expected, compared, context):
    if analytic.ndim == 2 and analytic.shape[0] == analytic.shape[1] and compared.all():
        if np.allclose(analytic, expected.T, rtol=1e-5, atol=1e-7):
            return N_("the result equals the expected one transposed (for dW: x.T @ dout, not dout.T @ x)")
    return None


def _masked_positions(analytic, expected, compared, context):
    x = context.extra.get("x")
    if x is None or np.shape(x) != analytic.shape:
        return None
    bad = compared & ~np.isclose(analytic, expected, rtol=1e-5, atol=1e-7)
    if bad.any() and np.all(np.asarray(x)[bad] <= 0) and np.all(expected[bad] == 0):
        return N_("mismatches only where the input x ≤ 0, where the expected gradient is 0: the "
                  "backward pass must zero the masked positions (book §5.5.1)")
    return None


def _some_rows(analytic, expected, compared, context):
    # rows are samples only for dx; for a weight gradient they are input units
    if not context.quantity.startswith("dx") or analytic.ndim < 2 or analytic.shape[0] < 2:
        return None
    bad = compared & ~np.isclose(analytic, expected, rtol=1e-5, atol=1e-7)
    rows = np.unique(np.nonzero(bad)[0])
    if 0 < rows.size < analytic.shape[0] and np.all(bad[rows].reshape(rows.size, -1).any(axis=1)):
        return N_("only samples {rows} of the batch are wrong: something mixes samples or depends on the batch "
                  "position", rows=str(rows[:5].tolist()))
    return None


GENERIC_RULES = (_all_zero, _masked_positions, _transposed, _ratio, _some_rows)


def find_hint(analytic, expected, compared, context, hint_sources=()):
    for rule in tuple(hint_sources) + GENERIC_RULES:
        hint = rule(analytic, expected, compared, context)
        if hint:
            return hint
    return None


def sigmoid_derivative_hint(analytic, expected, compared, context):
    """Sigmoid backward written as dout·y: analytic = expected / (1 − y) everywhere."""
    x = context.extra.get("x")
    if x is None:
        return None
    y = 1.0 / (1.0 + np.exp(-np.asarray(x)))
    if np.shape(y) == analytic.shape and np.allclose(analytic * (1.0 - y), expected, rtol=1e-4, atol=1e-7):
        return N_("backward multiplies dout by y; the derivative of the sigmoid is y(1 − y) (book §5.5.2)")
    return None


def offset_hint(analytic, expected, compared, context):
    """Every compared value off by the same nonzero constant: a stray term added (a bias twice, a + 1)."""
    if analytic.shape != expected.shape or compared.sum() < 2:
        return None
    offsets = (analytic - expected)[compared]
    offset = float(np.median(offsets))
    if offset != 0 and np.allclose(offsets, offset, rtol=1e-6, atol=1e-9):
        return N_("every value is off by the same constant {offset}: a term is added that the book's definition "
                  "does not have (a bias added twice, a stray constant)", offset=format(offset, ".6g"))
    return None


def tanh_hint(analytic, expected, compared, context):
    """A sigmoid written as tanh: the values are tanh(x), in (−1, 1), not 1 / (1 + exp(−x)) in (0, 1)."""
    x = context.extra.get("forward_input")
    if x is None or np.shape(x) != analytic.shape:
        return None
    if np.allclose(analytic, np.tanh(np.asarray(x)), rtol=1e-6, atol=1e-9):
        return N_("these are tanh(x), between −1 and 1; the sigmoid is 1 / (1 + exp(−x)), between 0 and 1 "
                  "(book §3.2.4)")
    return None
