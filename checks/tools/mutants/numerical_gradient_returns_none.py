"""numerical_gradient that fills grad but never returns it (book §4.4)."""

import numpy as np

COMPONENT = "numerical_gradient"
MISTAKE = "§4.4: the loop fills grad but the function ends without `return grad`"


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
        x[idx] = tmp_val


REPLACES = {"numerical_gradient": numerical_gradient}
