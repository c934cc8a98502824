"""cross_entropy_error defined as f(t, y): targets and outputs swapped (book §4.2.2)."""

import numpy as np

COMPONENT = "cross_entropy_error"
MISTAKE = "§4.2.2: parameters declared (t, y), so −Σ y·log(t + 1e-7) is computed with the roles swapped"


def cross_entropy_error(t, y):
    y, t = np.asarray(y, dtype=float), np.asarray(t, dtype=float)
    if y.ndim == 1:
        y, t = y.reshape(1, -1), t.reshape(1, -1)
    return -np.sum(t * np.log(y + 1e-7)) / y.shape[0]


REPLACES = {"cross_entropy_error": cross_entropy_error}
