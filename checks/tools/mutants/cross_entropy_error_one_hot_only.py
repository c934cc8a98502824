"""cross_entropy_error that only handles one-hot targets (book §4.2.4)."""

import numpy as np

COMPONENT = "cross_entropy_error"
MISTAKE = "§4.2.4: −Σ t·log(y + 1e-7)/N for every t, wrong (or crashing) when t holds integer labels"


def cross_entropy_error(y, t):
    y, t = np.asarray(y), np.asarray(t)
    if y.ndim == 1:
        y, t = y.reshape(1, y.size), t.reshape(1, t.size)
    return -np.sum(t * np.log(y + 1e-7)) / y.shape[0]


REPLACES = {"cross_entropy_error": cross_entropy_error}
