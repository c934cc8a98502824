"""Test functions that checks hand to the implementation (f for numerical_gradient …).

They live beside the implementation because functions cannot be copied across a
process boundary; checks refer to them by name (`Implementation.probe`).
"""

import numpy as np

__all__ = ["PROBES"]


def quadratic(x):
    """The book's f(x) = 0.01x² + 0.1x (§4.3.2)."""
    return 0.01 * x ** 2 + 0.1 * x


def sum_of_squares(x):
    """The book's f(x0, x1) = x0² + x1² (§4.4)."""
    return np.sum(x ** 2)


def mixing(x):
    """Non-separable: each element's derivative depends on the others."""
    return float(np.sum(x ** 2) * np.sum(np.sin(x)) + np.prod(np.cos(x).ravel()[:4]))


def update_watching_arrays(optimizer, params, grads):
    """optimizer.update(params, grads), then (the arrays params held before the call, params).

    The first item shows whether the update reached the arrays a network's layers hold.
    """
    originals = dict(params)
    optimizer.update(params, grads)
    return originals, params


PROBES = {"quadratic": quadratic, "sum_of_squares": sum_of_squares, "mixing": mixing,
          "update_watching_arrays": update_watching_arrays}
