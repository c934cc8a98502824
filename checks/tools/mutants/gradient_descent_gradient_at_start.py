"""gradient_descent that keeps taking the gradient at the starting point (book §4.4.1)."""

import numpy as np

from reference import numerical_gradient

COMPONENT = "gradient_descent"
MISTAKE = "§4.4.1: grad = numerical_gradient(f, init_x) while the update goes to a copy x, so every step uses the first gradient"


def gradient_descent(f, init_x, lr=0.01, step_num=100):
    init_x = np.array(init_x, dtype=float)
    x = init_x.copy()
    for _ in range(step_num):
        grad = numerical_gradient(f, init_x)
        x -= lr * grad
    return x


REPLACES = {"gradient_descent": gradient_descent}
