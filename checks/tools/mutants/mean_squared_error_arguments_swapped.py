"""mean_squared_error computing with t − y instead of y − t (book §4.2.1)."""

import numpy as np

COMPONENT = "mean_squared_error"
MISTAKE = "§4.2.1: 0.5·Σ(t − y)², the difference taken the other way round"
EQUIVALENT = "(t − y)² = (y − t)² exactly, element by element, so the loss is identical"


def mean_squared_error(y, t):
    return 0.5 * np.sum((np.asarray(t) - np.asarray(y)) ** 2)


REPLACES = {"mean_squared_error": mean_squared_error}
