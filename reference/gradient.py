"""Numerical differentiation and gradient descent (chapter 4).

``numerical_diff`` and ``numerical_gradient`` use the central difference with
h = 1e-4 (book §4.3.1, §4.4). ``numerical_gradient`` is the project's single numerical
gradient routine: ``TwoLayerNet.numerical_gradient`` and the checks build on it.
"""

import numpy as np

__all__ = ["numerical_diff", "numerical_gradient", "gradient_descent"]


def numerical_diff(f, x):
    """Derivative of a one-variable function by central difference, h = 1e-4 (book §4.3.1).

    Args:
        f: function of one number returning a number.
        x: the point, a number.

    Returns:
        df: (f(x + h) - f(x - h)) / 2h.
    """
    # BEGIN SOLUTION
    # 1e-4 rather than something like 1e-50: tiny h rounds x + h back to x.
    h = 1e-4
    return (f(x + h) - f(x - h)) / (2 * h)
    # END SOLUTION


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
    # BEGIN SOLUTION
    h = 1e-4
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(np.float64)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        original = x[idx]
        # Computed in Python float (float64) and rounded on storing, as in the book.
        x[idx] = float(original) + h
        f_plus = f(x)
        x[idx] = float(original) - h
        f_minus = f(x)
        grad[idx] = (f_plus - f_minus) / (2 * h)
        x[idx] = original
    return grad
    # END SOLUTION


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
    # BEGIN SOLUTION
    # The book updates init_x itself; a copy leaves the caller's starting point intact.
    x = np.array(init_x)
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(np.float64)
    for _ in range(step_num):
        grad = numerical_gradient(f, x)
        x -= lr * grad
    return x
    # END SOLUTION
