"""sigmoid that clamps its inputs to ±1e-15 where it meant to clamp its outputs (book §3.2.4)."""

import numpy as np

COMPONENT = "sigmoid"
MISTAKE = ("§3.2.4: guarding exp against overflow by clamping x itself to ±1e-15 beyond ±34.5, "
           "so sigmoid(-1000) is 0.5 instead of 0 (a learner's notebook)")

_RANGE = 34.538776394910684  # -log(1e-15): where 1e-15 was meant to be the output's floor


def sigmoid(x):
    x = np.array(x, dtype=float)
    x[x <= -_RANGE] = 1e-15
    x[x >= _RANGE] = 1.0 - 1e-15
    return 1.0 / (1.0 + np.exp(-x))


REPLACES = {"sigmoid": sigmoid}
