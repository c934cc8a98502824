"""Layer cases: every layer of chapters 5–8 in the configurations we check.

Inputs are chosen so that central differences are meaningful: ReLU inputs keep
|x| ≥ 0.1 away from the kink (the value at 0 has its own check), pooling inputs are
distinct and spaced far above h, softmax logits stay small (|x| < 2) so the book's
1e-7 inside the log is negligible, and batch-coupled layers get N ≥ 4.
"""

import numpy as np

from .. import definitions
from .base import LayerCase

__all__ = ["BATCHNORM_RUNNING_STATS", "DROPOUT_TEST_TIME", "LAYER_CASES", "POOLING_TIES", "RELU_AT_ZERO",
           "SPECIAL_LAYER_CASES", "away_from_zero", "distinct_values"]


def away_from_zero(rng, shape, margin=0.1):
    """Normal draws pushed at least `margin` away from 0 (no ReLU kink in reach of h)."""
    x = rng.standard_normal(shape)
    return np.where(x >= 0, x + margin, x - margin)


def distinct_values(rng, shape, spacing=0.01):
    """A random permutation of evenly spaced values: no ties, gaps ≫ h."""
    count = int(np.prod(shape))
    values = (np.arange(count) - count / 2) * spacing
    return rng.permutation(values).reshape(shape)


def _affine(a):
    return (a["W"], a["b"]), {}


def _conv(stride, pad):
    return lambda a: ((a["W"], a["b"]), {"stride": stride, "pad": pad})


def _conv_out(stride, pad):
    def shape(a):
        n, _, h, w = a["x"].shape
        fn, _, fh, fw = a["W"].shape
        return (n, fn, (h + 2 * pad - fh) // stride + 1, (w + 2 * pad - fw) // stride + 1)
    return shape


def _pool(pool_h, pool_w, stride):
    return lambda a: ((pool_h, pool_w), {"stride": stride})


def _labels(rng, n, classes):
    return rng.integers(0, classes, size=n)


def _one_hot(rng, n, classes):
    return np.eye(classes)[_labels(rng, n, classes)]


def _batch_norm(a):
    return (a["gamma"], a["beta"]), {}


def _batch_norm_values(a):
    return tuple(definitions.batchnorm_train(a["x"], a["gamma"], a["beta"], eps) for eps in definitions.BATCHNORM_EPSILONS)


def _same_shape(a):
    return a["x"].shape


LAYER_CASES = [
    LayerCase("Relu", "2d", "§5.5.1", lambda rng: {"x": away_from_zero(rng, (4, 5))},
              out_shape=_same_shape, definition=lambda a: definitions.relu(a["x"])),
    LayerCase("Relu", "4d", "§5.5.1", lambda rng: {"x": away_from_zero(rng, (2, 3, 4, 5))},
              out_shape=_same_shape, definition=lambda a: definitions.relu(a["x"])),
    LayerCase("Sigmoid", "2d", "§5.5.2", lambda rng: {"x": rng.standard_normal((4, 5))},
              out_shape=_same_shape, definition=lambda a: definitions.sigmoid(a["x"])),
    LayerCase("Affine", "2d", "§5.6.2",
              lambda rng: {"x": rng.standard_normal((5, 4)), "W": rng.standard_normal((4, 3)),
                           "b": rng.standard_normal(3)},
              init=_affine, params={"W": "dW", "b": "db"},
              out_shape=lambda a: (a["x"].shape[0], a["W"].shape[1]),
              definition=lambda a: definitions.affine(a["x"], a["W"], a["b"])),
    # The §5.6.2 Affine is 2-D; a tensor input, flattened and its shape restored in dx, is what
    # the conv nets of chapter 7 need (§7.5): checked and credited there.
    LayerCase("Affine", "4d-input", "§7.5",
              lambda rng: {"x": rng.standard_normal((3, 2, 3, 2)), "W": rng.standard_normal((12, 5)),
                           "b": rng.standard_normal(5)},
              init=_affine, params={"W": "dW", "b": "db"},
              out_shape=lambda a: (a["x"].shape[0], a["W"].shape[1]),
              definition=lambda a: definitions.affine(a["x"], a["W"], a["b"])),
    # §5.6.3 writes SoftmaxWithLoss for one-hot targets; integer labels are what the book's
    # code feeds it from chapter 6 on (MNIST labels in §6.1.8's comparison, Trainer): credited there.
    LayerCase("SoftmaxWithLoss", "one-hot", "§5.6.3",
              lambda rng: {"x": rng.uniform(-2, 2, (4, 5)), "t": _one_hot(rng, 4, 5)},
              loss=True, batch_coupled=True,
              definition=lambda a: definitions.softmax_cross_entropy(a["x"], a["t"])),
    LayerCase("SoftmaxWithLoss", "labels", "§6.1.8",
              lambda rng: {"x": rng.uniform(-2, 2, (4, 5)), "t": _labels(rng, 4, 5)},
              loss=True, batch_coupled=True,
              definition=lambda a: definitions.softmax_cross_entropy(a["x"], a["t"])),
    LayerCase("Dropout", "train", "§6.4.3", lambda rng: {"x": away_from_zero(rng, (6, 8))},
              init=lambda a: ((), {"dropout_ratio": 0.3}), forward_kwargs={"train_flg": True},
              stochastic=True, batch_coupled=True, out_shape=_same_shape),
    # ε: the book's 10e-7 or another common one (definitions.BATCHNORM_EPSILONS), each its own variant
    LayerCase("BatchNormalization", "train-2d", "§6.3.2",
              lambda rng: {"x": rng.standard_normal((6, 4)) * 2 + 1,
                           "gamma": rng.uniform(0.5, 1.5, 4), "beta": rng.standard_normal(4)},
              init=_batch_norm, params={"gamma": "dgamma", "beta": "dbeta"},
              forward_kwargs={"train_flg": True}, batch_coupled=True, out_shape=_same_shape,
              definition=_batch_norm_values, tolerance=(1e-9, 1e-7)),
    # §6.3 feeds batch normalization (N, D) activations; the book's layer also flattens the (N, C, H, W)
    # maps a convolution layer gives it (its own comment), the conv nets' setting: checked and credited in chapter 7
    LayerCase("BatchNormalization", "train-4d", "§7.5",
              lambda rng: {"x": rng.standard_normal((4, 2, 3, 2)),
                           "gamma": rng.uniform(0.5, 1.5, 12), "beta": rng.standard_normal(12)},
              init=_batch_norm, params={"gamma": "dgamma", "beta": "dbeta"},
              forward_kwargs={"train_flg": True}, batch_coupled=True, out_shape=_same_shape,
              definition=_batch_norm_values, tolerance=(1e-9, 1e-7)),
    LayerCase("Convolution", "stride1-pad0", "§7.4.3",
              lambda rng: {"x": rng.standard_normal((2, 3, 6, 5)), "W": rng.standard_normal((4, 3, 3, 3)),
                           "b": rng.standard_normal(4)},
              init=_conv(1, 0), params={"W": "dW", "b": "db"}, out_shape=_conv_out(1, 0),
              definition=lambda a: definitions.conv2d(a["x"], a["W"], a["b"], 1, 0)),
    LayerCase("Convolution", "stride2-pad1", "§7.4.3",
              lambda rng: {"x": rng.standard_normal((2, 2, 7, 5)), "W": rng.standard_normal((3, 2, 3, 3)),
                           "b": rng.standard_normal(3)},
              init=_conv(2, 1), params={"W": "dW", "b": "db"}, out_shape=_conv_out(2, 1),
              definition=lambda a: definitions.conv2d(a["x"], a["W"], a["b"], 2, 1)),
    LayerCase("Convolution", "stride1-pad2-rect-filter", "§7.4.3",
              lambda rng: {"x": rng.standard_normal((1, 2, 4, 6)), "W": rng.standard_normal((2, 2, 2, 3)),
                           "b": rng.standard_normal(2)},
              init=_conv(1, 2), params={"W": "dW", "b": "db"}, out_shape=_conv_out(1, 2),
              definition=lambda a: definitions.conv2d(a["x"], a["W"], a["b"], 1, 2)),
    LayerCase("Pooling", "2x2-stride2", "§7.4.4", lambda rng: {"x": distinct_values(rng, (2, 3, 4, 6))},
              init=_pool(2, 2, 2),
              out_shape=lambda a: a["x"].shape[:2] + (a["x"].shape[2] // 2, a["x"].shape[3] // 2),
              definition=lambda a: definitions.max_pool(a["x"], 2, 2, 2)),
    LayerCase("Pooling", "3x2-stride1-overlap", "§7.4.4", lambda rng: {"x": distinct_values(rng, (2, 2, 5, 4))},
              init=_pool(3, 2, 1),
              out_shape=lambda a: a["x"].shape[:2] + (a["x"].shape[2] - 2, a["x"].shape[3] - 1),
              definition=lambda a: definitions.max_pool(a["x"], 3, 2, 1)),
]

# What the generic layer checks cannot see; each of these checks builds its own inputs.
RELU_AT_ZERO = LayerCase("Relu", "at-zero", "§5.5.1", None)
DROPOUT_TEST_TIME = LayerCase("Dropout", "test-time", "§6.4.3", None)
BATCHNORM_RUNNING_STATS = LayerCase("BatchNormalization", "running-stats", "§6.3.2", None)
POOLING_TIES = LayerCase("Pooling", "ties", "§7.4.4", None)
SPECIAL_LAYER_CASES = [RELU_AT_ZERO, DROPOUT_TEST_TIME, BATCHNORM_RUNNING_STATS, POOLING_TIES]
