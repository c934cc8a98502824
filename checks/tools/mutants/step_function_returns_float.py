"""step_function returning floats instead of integers (book §3.2.3)."""

import numpy as np

COMPONENT = "step_function"
MISTAKE = "§3.2.3: astype(np.float64) (the fix some learners pick for the removed np.int) instead of astype(int)"


def step_function(x):
    return (np.asarray(x) > 0).astype(np.float64)


REPLACES = {"step_function": step_function}
