# Generated from reference/functions.py by `make exercises`. Your exercise: replace each
# `raise NotImplementedError(...)` below with your own code; `make exercises` never overwrites your edits.
"""Activation functions, their derivatives and loss functions (chapters 3 and 4).

Activations: ``step_function``, ``sigmoid``, ``relu``, ``identity_function`` and
``softmax`` (book §3.2, §3.5); their derivatives ``sigmoid_grad`` and ``relu_grad``
(book §5.5); losses ``mean_squared_error`` and ``cross_entropy_error`` (book §4.2).
All functions are element-wise or row-wise over NumPy arrays, never modify their
inputs, and keep a floating input's dtype (float64 in, float64 out).
"""

import numpy as np
from ._messages import not_implemented

__all__ = [
    "step_function",
    "sigmoid",
    "relu",
    "identity_function",
    "softmax",
    "sigmoid_grad",
    "relu_grad",
    "mean_squared_error",
    "cross_entropy_error",
]


def step_function(x):
    """Step function, 1 where x > 0 and 0 elsewhere (book §3.2.2).

    Args:
        x: array of any shape (or a scalar).

    Returns:
        out: int array of the same shape as x.
    """
    raise NotImplementedError(not_implemented("step_function", "§3.2.2", "exercises/functions.py"))


def sigmoid(x):
    """Sigmoid function, 1 / (1 + exp(-x)), without overflow warnings (book §3.2.4).

    Args:
        x: array of any shape (or a scalar); integer input is computed in float64.

    Returns:
        out: array of the same shape and float dtype as x, values in [0, 1].
    """
    raise NotImplementedError(not_implemented("sigmoid", "§3.2.4", "exercises/functions.py"))


def relu(x):
    """ReLU function, max(0, x) element-wise (book §3.2.7).

    Args:
        x: array of any shape (or a scalar).

    Returns:
        out: array of the same shape and dtype as x.
    """
    raise NotImplementedError(not_implemented("relu", "§3.2.7", "exercises/functions.py"))


def identity_function(x):
    """Identity function, the output activation for regression (book §3.5.1).

    Args:
        x: array of any shape.

    Returns:
        out: x itself.
    """
    raise NotImplementedError(not_implemented("identity_function", "§3.5.1", "exercises/functions.py"))


def softmax(x):
    """Softmax over the last axis, safe against overflow (book §3.5.2).

    Subtracting each row's maximum leaves the result unchanged mathematically and
    keeps exp from overflowing. The caller's array is not modified.

    Args:
        x: (C,) scores of one sample, or (N, C) scores of a batch.

    Returns:
        out: probabilities of the same shape as x; each row sums to 1.
    """
    raise NotImplementedError(not_implemented("softmax", "§3.5.2", "exercises/functions.py"))


def sigmoid_grad(x):
    """Derivative of the sigmoid, sigmoid(x)·(1 - sigmoid(x)) (book §5.5.2).

    Args:
        x: array of any shape (the sigmoid's input, not its output).

    Returns:
        out: array of the same shape as x.
    """
    raise NotImplementedError(not_implemented("sigmoid_grad", "§5.5.2", "exercises/functions.py"))


def relu_grad(x):
    """Derivative of ReLU, 1 where x > 0 and 0 elsewhere (book §5.5.1).

    At x == 0 the derivative is taken as 0, the same convention as the Relu layer.

    Args:
        x: array of any shape (ReLU's input).

    Returns:
        out: float array of the same shape as x (x's dtype if x is floating).
    """
    raise NotImplementedError(not_implemented("relu_grad", "§5.5.1", "exercises/functions.py"))


def mean_squared_error(y, t):
    """Sum of squares error, 0.5·Σ(y - t)² (book §4.2.1).

    Args:
        y: network output, array of any shape.
        t: target, same shape as y (one-hot for classification).

    Returns:
        loss: float, summed over every element (not averaged over a batch, as in the book).
    """
    raise NotImplementedError(not_implemented("mean_squared_error", "§4.2.1", "exercises/functions.py"))


def cross_entropy_error(y, t):
    """Cross-entropy error averaged over a batch, -Σ log(y[label] + 1e-7) / N (book §4.2.4).

    The 1e-7 keeps log finite when a probability is exactly 0 (book §4.2.2).

    Args:
        y: (C,) probabilities of one sample, or (N, C) of a batch.
        t: one-hot targets of the same shape as y, or integer labels,
            a scalar / (1,) for one sample or (N,) for a batch.

    Returns:
        loss: float, the mean over the batch.
    """
    raise NotImplementedError(not_implemented("cross_entropy_error", "§4.2.4", "exercises/functions.py"))
