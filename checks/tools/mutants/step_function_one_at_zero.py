"""step_function that outputs 1 at x = 0 (book §3.2.2)."""

import numpy as np

COMPONENT = "step_function"
MISTAKE = "§3.2.2: x >= 0 instead of x > 0, so h(0) = 1; the book defines h(x) = 0 for x ≤ 0"


def step_function(x):
    return np.array(np.asarray(x) >= 0, dtype=int)


REPLACES = {"step_function": step_function}
