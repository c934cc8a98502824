"""numerical_gradient calling f with the perturbed element alone instead of the whole array (book §4.4)."""

import numpy as np

COMPONENT = "numerical_gradient"
MISTAKE = "§4.4: f(x[idx]) instead of f(x): right only for separable f like the book's x0² + x1²"


def numerical_gradient(f, x):
    h = 1e-4
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        tmp_val = x[idx]
        x[idx] = tmp_val + h
        fxh1 = f(x[idx])
        x[idx] = tmp_val - h
        fxh2 = f(x[idx])
        grad[idx] = (fxh1 - fxh2) / (2 * h)
        x[idx] = tmp_val
    return grad


REPLACES = {"numerical_gradient": numerical_gradient}
