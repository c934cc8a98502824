"""numerical_gradient with the forward difference (f(x + h) − f(x)) / h (book §4.3.1)."""

import numpy as np

COMPONENT = "numerical_gradient"
MISTAKE = "§4.3.1: forward difference with an O(h) error instead of the central difference (f(x+h) − f(x−h)) / 2h"


def numerical_gradient(f, x):
    h = 1e-4
    grad = np.zeros_like(x)
    fx = f(x)
    for idx in np.ndindex(x.shape):
        tmp_val = x[idx]
        x[idx] = tmp_val + h
        grad[idx] = (f(x) - fx) / h
        x[idx] = tmp_val
    return grad


REPLACES = {"numerical_gradient": numerical_gradient}
