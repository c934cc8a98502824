"""relu_grad returning ReLU itself instead of its derivative (book §5.5.1)."""

import numpy as np

COMPONENT = "relu_grad"
MISTAKE = "§5.5.1: np.maximum(0, x), the function instead of its derivative (1 where x > 0, else 0)"


def relu_grad(x):
    return np.maximum(0, np.asarray(x, dtype=np.float64))


REPLACES = {"relu_grad": relu_grad}
