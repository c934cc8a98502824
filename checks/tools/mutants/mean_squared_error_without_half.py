"""mean_squared_error without the factor 0.5 (book §4.2.1)."""

import numpy as np

COMPONENT = "mean_squared_error"
MISTAKE = "§4.2.1: Σ(y − t)² instead of 0.5·Σ(y − t)²"


def mean_squared_error(y, t):
    return np.sum((np.asarray(y) - np.asarray(t)) ** 2)


REPLACES = {"mean_squared_error": mean_squared_error}
