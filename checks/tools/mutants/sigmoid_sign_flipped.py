"""sigmoid computed as 1 / (1 + exp(x)): the sign in the exponent dropped (book §3.2.4)."""

import numpy as np

COMPONENT = "sigmoid"
MISTAKE = "§3.2.4: 1 / (1 + np.exp(x)) instead of 1 / (1 + np.exp(-x)), a mirrored sigmoid"


def sigmoid(x):
    return 1 / (1 + np.exp(np.asarray(x, dtype=float)))


REPLACES = {"sigmoid": sigmoid}
