# Generated from reference/gradient.py by `make exercises`. Your exercise: replace each
# `raise NotImplementedError(...)` below with your own code; `make exercises` never overwrites your edits.
"""Numerical differentiation and gradient descent (chapter 4).

``numerical_diff`` and ``numerical_gradient`` use the central difference with
h = 1e-4 (book §4.3.1, §4.4). ``numerical_gradient`` is the project's single numerical
gradient routine: ``TwoLayerNet.numerical_gradient`` and the checks build on it.
"""

import numpy as np
from ._messages import not_implemented

__all__ = ["numerical_diff", "numerical_gradient", "gradient_descent"]


def numerical_diff(f, x):
    """Derivative of a one-variable function by central difference, h = 1e-4 (book §4.3.1).

    Args:
        f: function of one number returning a number.
        x: the point, a number.

    Returns:
        df: (f(x + h) - f(x - h)) / 2h.
    """
    raise NotImplementedError(not_implemented("numerical_diff", "§4.3.1", "exercises/gradient.py"))


def numerical_gradient(f, x):
    """Gradient of f at x by central difference on each element, h = 1e-4 (book §4.4).

    Each element of x is perturbed in place and f is called with the whole array,
    so f may be a closure that ignores its argument and reads the same array (as
    ``TwoLayerNet.numerical_gradient`` does with its parameters). Every element is
    restored before the next one is perturbed; x holds its original values on return.

    Args:
        f: function taking an array shaped like x and returning a number.
        x: float array of any shape (vector, matrix, 4-D conv weights...). An integer
            array cannot hold x ± h, so it is replaced by a float64 copy.

    Returns:
        grad: array of the same shape as x, grad[idx] = ∂f/∂x[idx].
    """
    raise NotImplementedError(not_implemented("numerical_gradient", "§4.4", "exercises/gradient.py"))


def gradient_descent(f, init_x, lr=0.01, step_num=100):
    """Gradient descent with numerical gradients, x ← x - lr·∇f(x) (book §4.4.1).

    Args:
        f: function taking an array shaped like init_x and returning a number.
        init_x: starting point, array of any shape; it is not modified.
        lr: learning rate.
        step_num: number of steps.

    Returns:
        x: float array shaped like init_x, the point after step_num steps.
    """
    raise NotImplementedError(not_implemented("gradient_descent", "§4.4.1", "exercises/gradient.py"))
