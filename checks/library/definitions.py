"""The book's definitions, written independently of any implementation: what a component must return.

Checks compare a submission's values with these, not only with the submission's own other
methods (a forward shifted by a constant keeps its backward consistent; only the definition
sees it). Loops or sliding windows, never the book's im2col trick, so a shared mistake cannot
agree with itself. Each function states its shapes and the section it follows.

Where the book's own code and correct learners' code differ by a convention with a small,
known effect, the definition says so by returning every accepted variant (the book's first):
cross-entropy with or without the 1e-7 inside the log (§4.2.2), batch normalization with
the book's ε = 10e-7 or another small one, dropout at test time scaled by (1 − ratio)
(the book) or not (inverted dropout).
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

__all__ = ["BATCHNORM_EPSILONS", "CROSS_ENTROPY_DELTAS", "affine", "batchnorm_train", "col2im_by_loops", "conv2d",
           "cross_entropy", "im2col_by_loops", "labels_of", "max_pool", "relu", "sigmoid", "softmax",
           "softmax_cross_entropy"]

CROSS_ENTROPY_DELTAS = (1e-7, 0.0)  # the book's delta (§4.2.2), and none (older copies, many learners)
# the book's 10e-7 inside the square root, and the others learners and libraries use (PyTorch 1e-5, Keras 1e-3)
BATCHNORM_EPSILONS = (10e-7, 1e-5, 1e-7, 1e-8, 1e-4, 1e-3, 0.0)


def sigmoid(x):
    """1 / (1 + exp(−x)) (§3.2.4), for any shape."""
    return 1.0 / (1.0 + np.exp(-x))


def relu(x):
    """max(0, x) (§3.2.7), for any shape."""
    return np.maximum(0.0, x)


def softmax(x):
    """Row-wise softmax of (N, C) scores (or one (C,) vector), the maximum subtracted (§3.5.2)."""
    shifted = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return shifted / np.sum(shifted, axis=-1, keepdims=True)


def labels_of(t):
    """(N,) integer labels from (N,) labels or (N, C) one-hot targets."""
    t = np.asarray(t)
    return t.argmax(axis=1) if t.ndim == 2 else t.astype(int)


def cross_entropy(y, t, delta=1e-7):
    """Mean over the batch of −log(y[label] + delta) (§4.2.2, §4.2.4); y (N, C), t labels or one-hot."""
    y = np.atleast_2d(y)
    return float(-np.mean(np.log(y[np.arange(len(y)), labels_of(t).reshape(-1)] + delta)))


def softmax_cross_entropy(x, t):
    """The loss of SoftmaxWithLoss for scores x (N, C): every accepted variant, the book's first (§5.6.3)."""
    return tuple(cross_entropy(softmax(x), t, delta) for delta in CROSS_ENTROPY_DELTAS)


def affine(x, W, b):
    """x·W + b with x (N, d1, …, dk) flattened to (N, D) (§5.6.2; the N-d input of §7.5)."""
    return np.asarray(x).reshape(len(x), -1) @ W + b


def _windows(x, fh, fw, stride, pad, fill=0.0):
    """(N, C, out_h, out_w, fh, fw): every window of x (N, C, H, W) after padding with `fill`."""
    padded = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)), constant_values=fill)
    return sliding_window_view(padded, (fh, fw), axis=(2, 3))[:, :, ::stride, ::stride]


def conv2d(x, W, b, stride=1, pad=0):
    """Cross-correlation of x (N, C, H, W) with filters W (FN, C, FH, FW), plus b (FN,) (§7.2):
    (N, FN, out_h, out_w), out = (H + 2·pad − FH) // stride + 1."""
    windows = _windows(x, W.shape[2], W.shape[3], stride, pad)
    return np.einsum("ncyxhw,fchw->nfyx", windows, W) + b.reshape(1, -1, 1, 1)


def max_pool(x, pool_h, pool_w, stride=1, pad=0):
    """Max over each pool_h × pool_w window of x (N, C, H, W), channel by channel (§7.3)."""
    return _windows(x, pool_h, pool_w, stride, pad, fill=-np.inf).max(axis=(4, 5))


def batchnorm_train(x, gamma, beta, eps=10e-7):
    """Training-mode batch normalization: each feature of x (N, D) — or of x (N, C, H, W)
    flattened to (N, C·H·W), as the book's layer does — normalized with the batch's mean and
    (biased) variance, then γ·x̂ + β (§6.3.1). Shape of x."""
    flat = np.asarray(x).reshape(len(x), -1)
    mean, var = flat.mean(axis=0), flat.var(axis=0)
    return (gamma * (flat - mean) / np.sqrt(var + eps) + beta).reshape(np.shape(x))


def im2col_by_loops(x, fh, fw, stride, pad):
    """The definition of im2col (§7.4.3): one row per (image, out_y, out_x), columns ordered (c, ky, kx)."""
    n, c, h, w = x.shape
    out_h, out_w = (h + 2 * pad - fh) // stride + 1, (w + 2 * pad - fw) // stride + 1
    padded = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    rows = []
    for i in range(n):
        for oy in range(out_h):
            for ox in range(out_w):
                patch = padded[i, :, oy * stride:oy * stride + fh, ox * stride:ox * stride + fw]
                rows.append(patch.reshape(-1))
    return np.array(rows)


def col2im_by_loops(col, shape, fh, fw, stride, pad):
    """The adjoint of im2col_by_loops (§7.4.3): every column entry added back where it came from."""
    n, c, h, w = shape
    out_h, out_w = (h + 2 * pad - fh) // stride + 1, (w + 2 * pad - fw) // stride + 1
    padded = np.zeros((n, c, h + 2 * pad, w + 2 * pad))
    row = 0
    for i in range(n):
        for oy in range(out_h):
            for ox in range(out_w):
                padded[i, :, oy * stride:oy * stride + fh, ox * stride:ox * stride + fw] += \
                    col[row].reshape(c, fh, fw)
                row += 1
    return padded[:, :, pad:pad + h, pad:pad + w]
