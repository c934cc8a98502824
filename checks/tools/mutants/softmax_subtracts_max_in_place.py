"""softmax subtracting the maximum in place, changing the caller's array (book §3.5.2)."""

import numpy as np

COMPONENT = "softmax"
MISTAKE = "§3.5.2: x -= np.max(x, axis=-1, keepdims=True) modifies the scores the caller passed in"


def softmax(x):
    x -= np.max(x, axis=-1, keepdims=True)
    exp_x = np.exp(x)
    return exp_x / np.sum(exp_x, axis=-1, keepdims=True)


REPLACES = {"softmax": softmax}
