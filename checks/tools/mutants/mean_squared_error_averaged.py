"""mean_squared_error averaging over the elements instead of summing (book §4.2.1)."""

import numpy as np

COMPONENT = "mean_squared_error"
MISTAKE = "§4.2.1: 0.5·np.mean((y − t)²), taking the name literally; the book's 'sum of squares error' sums"


def mean_squared_error(y, t):
    return 0.5 * np.mean((np.asarray(y) - np.asarray(t)) ** 2)


REPLACES = {"mean_squared_error": mean_squared_error}
