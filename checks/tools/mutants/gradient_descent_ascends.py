"""gradient_descent adding the gradient instead of subtracting it (book §4.4.1)."""

import numpy as np

from reference import numerical_gradient

COMPONENT = "gradient_descent"
MISTAKE = "§4.4.1: x += lr·grad climbs the function instead of descending it"


def gradient_descent(f, init_x, lr=0.01, step_num=100):
    x = np.array(init_x, dtype=float)
    for _ in range(step_num):
        x += lr * numerical_gradient(f, x)
    return x


REPLACES = {"gradient_descent": gradient_descent}
