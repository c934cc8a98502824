"""numerical_gradient that leaves x[idx] at x − h instead of restoring it (book §4.4)."""

import numpy as np

COMPONENT = "numerical_gradient"
MISTAKE = "§4.4: forgets x[idx] = tmp_val after the two evaluations, so x drifts and later elements see a shifted x"


def numerical_gradient(f, x):
    h = 1e-4
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        tmp_val = x[idx]
        x[idx] = tmp_val + h
        fxh1 = f(x)
        x[idx] = tmp_val - h
        fxh2 = f(x)
        grad[idx] = (fxh1 - fxh2) / (2 * h)
    return grad


REPLACES = {"numerical_gradient": numerical_gradient}
