"""cross_entropy_error summing over the batch instead of averaging (book §4.2.4)."""

import numpy as np

COMPONENT = "cross_entropy_error"
MISTAKE = "§4.2.4: returns −Σ log(y[label] + 1e-7) for the whole batch, forgetting the division by N"


def cross_entropy_error(y, t):
    y, t = np.asarray(y), np.asarray(t)
    if y.ndim == 1:
        y, t = y.reshape(1, y.size), t.reshape(1, t.size)
    if t.size == y.size:
        t = t.argmax(axis=1)
    t = t.reshape(-1)
    return -np.sum(np.log(y[np.arange(y.shape[0]), t] + 1e-7))


REPLACES = {"cross_entropy_error": cross_entropy_error}
