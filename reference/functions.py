"""Activation functions, their derivatives and loss functions (chapters 3 and 4).

Activations: ``step_function``, ``sigmoid``, ``relu``, ``identity_function`` and
``softmax`` (book §3.2, §3.5); their derivatives ``sigmoid_grad`` and ``relu_grad``
(book §5.5); losses ``mean_squared_error`` and ``cross_entropy_error`` (book §4.2).
All functions are element-wise or row-wise over NumPy arrays, never modify their
inputs, and keep a floating input's dtype (float64 in, float64 out).
"""

import numpy as np

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
    # BEGIN SOLUTION
    # dtype=int, not the np.int alias that NumPy 1.24 removed.
    return np.array(np.asarray(x) > 0, dtype=int)
    # END SOLUTION


def sigmoid(x):
    """Sigmoid function, 1 / (1 + exp(-x)), without overflow warnings (book §3.2.4).

    Args:
        x: array of any shape (or a scalar); integer input is computed in float64.

    Returns:
        out: array of the same shape and float dtype as x, values in [0, 1].
    """
    # BEGIN SOLUTION
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(np.float64)
    # exp(-x) overflows once -x passes log(largest float). Well before that point
    # 1 + exp(-x) == exp(-x) in floating point, so sigmoid(x) == exp(x) there. Everywhere
    # else the book's formula is kept so that results match the book's code bit for bit.
    # float() keeps the limit a weak Python scalar, so float32 input stays float32.
    limit = float(np.log(np.finfo(x.dtype).max)) - 1.0
    book_formula = 1 / (1 + np.exp(-np.maximum(x, -limit)))
    far_negative_tail = np.exp(np.minimum(x, -limit))
    return np.where(x < -limit, far_negative_tail, book_formula)[()]
    # END SOLUTION


def relu(x):
    """ReLU function, max(0, x) element-wise (book §3.2.7).

    Args:
        x: array of any shape (or a scalar).

    Returns:
        out: array of the same shape and dtype as x.
    """
    # BEGIN SOLUTION
    return np.maximum(0, x)
    # END SOLUTION


def identity_function(x):
    """Identity function, the output activation for regression (book §3.5.1).

    Args:
        x: array of any shape.

    Returns:
        out: x itself.
    """
    # BEGIN SOLUTION
    return x
    # END SOLUTION


def softmax(x):
    """Softmax over the last axis, safe against overflow (book §3.5.2).

    Subtracting each row's maximum leaves the result unchanged mathematically and
    keeps exp from overflowing. The caller's array is not modified.

    Args:
        x: (C,) scores of one sample, or (N, C) scores of a batch.

    Returns:
        out: probabilities of the same shape as x; each row sums to 1.
    """
    # BEGIN SOLUTION
    x = np.asarray(x)
    # Per-row maximum: one maximum for the whole batch would underflow rows whose
    # scores are far below the batch's largest score.
    shifted = x - np.max(x, axis=-1, keepdims=True)
    exp_shifted = np.exp(shifted)
    return exp_shifted / np.sum(exp_shifted, axis=-1, keepdims=True)
    # END SOLUTION


def sigmoid_grad(x):
    """Derivative of the sigmoid, sigmoid(x)·(1 - sigmoid(x)) (book §5.5.2).

    Args:
        x: array of any shape (the sigmoid's input, not its output).

    Returns:
        out: array of the same shape as x.
    """
    # BEGIN SOLUTION
    y = sigmoid(x)
    return (1.0 - y) * y
    # END SOLUTION


def relu_grad(x):
    """Derivative of ReLU, 1 where x > 0 and 0 elsewhere (book §5.5.1).

    At x == 0 the derivative is taken as 0, the same convention as the Relu layer.

    Args:
        x: array of any shape (ReLU's input).

    Returns:
        out: float array of the same shape as x (x's dtype if x is floating).
    """
    # BEGIN SOLUTION
    x = np.asarray(x)
    dtype = x.dtype if np.issubdtype(x.dtype, np.floating) else np.float64
    return (x > 0).astype(dtype)
    # END SOLUTION


def mean_squared_error(y, t):
    """Sum of squares error, 0.5·Σ(y - t)² (book §4.2.1).

    Args:
        y: network output, array of any shape.
        t: target, same shape as y (one-hot for classification).

    Returns:
        loss: float, summed over every element (not averaged over a batch, as in the book).
    """
    # BEGIN SOLUTION
    return 0.5 * np.sum((np.asarray(y) - np.asarray(t)) ** 2)
    # END SOLUTION


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
    # BEGIN SOLUTION
    y = np.asarray(y)
    t = np.asarray(t)
    if y.ndim == 1:
        y = y.reshape(1, y.size)
        t = t.reshape(1, t.size)
    # One-hot targets hold as many entries as y; turn them into labels so that only
    # the probability of the correct class is read.
    if t.size == y.size:
        t = t.argmax(axis=1)
    t = t.reshape(-1)
    batch_size = y.shape[0]
    return -np.sum(np.log(y[np.arange(batch_size), t] + 1e-7)) / batch_size
    # END SOLUTION
