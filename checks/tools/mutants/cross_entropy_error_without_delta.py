"""cross_entropy_error without the 1e-7 inside the log (book §4.2.2)."""

import numpy as np

COMPONENT = "cross_entropy_error"
MISTAKE = "§4.2.2: log(y) instead of log(y + 1e-7): −inf when a probability is 0, and not the book's values"


def cross_entropy_error(y, t):
    y, t = np.asarray(y), np.asarray(t)
    if y.ndim == 1:
        y, t = y.reshape(1, y.size), t.reshape(1, t.size)
    if t.size == y.size:
        t = t.argmax(axis=1)
    t = t.reshape(-1)
    return -np.sum(np.log(y[np.arange(y.shape[0]), t])) / y.shape[0]


REPLACES = {"cross_entropy_error": cross_entropy_error}
