"""sigmoid straight from the formula, warning about overflow for large negative inputs (book §3.2.4)."""

import numpy as np

COMPONENT = "sigmoid"
MISTAKE = "§3.2.4: 1 / (1 + np.exp(-x)) overflows (RuntimeWarning) below x ≈ −709 in a learner's package"


def sigmoid(x):
    return 1 / (1 + np.exp(-np.asarray(x, dtype=float)))


REPLACES = {"sigmoid": sigmoid}
