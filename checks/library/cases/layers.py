"""Layer cases: every layer of chapters 5–8 in the configurations we check.

Inputs are chosen so that central differences are meaningful: ReLU inputs keep
|x| ≥ 0.1 away from the kink (the value at 0 has its own check), pooling inputs are
distinct and spaced far above h, softmax logits stay small (|x| < 2) so the book's
1e-7 inside the log is negligible, and batch-coupled layers get N ≥ 4.
"""

import numpy as np

from ..hints import sigmoid_derivative_hint
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


def _affine(cls, a):
    return cls(a["W"], a["b"])


def _conv(stride, pad):
    return lambda cls, a: cls(a["W"], a["b"], stride=stride, pad=pad)


def _conv_out(stride, pad):
    def shape(a):
        n, _, h, w = a["x"].shape
        fn, _, fh, fw = a["W"].shape
        return (n, fn, (h + 2 * pad - fh) // stride + 1, (w + 2 * pad - fw) // stride + 1)
    return shape


def _labels(rng, n, classes):
    return rng.integers(0, classes, size=n)


def _one_hot(rng, n, classes):
    return np.eye(classes)[_labels(rng, n, classes)]


def _batch_norm(cls, a):
    return cls(a["gamma"], a["beta"])


LAYER_CASES = [
    LayerCase("Relu", "2d", "§5.5.1", lambda rng: {"x": away_from_zero(rng, (4, 5))},
              out_shape=lambda a: a["x"].shape),
    LayerCase("Relu", "4d", "§5.5.1", lambda rng: {"x": away_from_zero(rng, (2, 3, 4, 5))},
              out_shape=lambda a: a["x"].shape),
    LayerCase("Sigmoid", "2d", "§5.5.2", lambda rng: {"x": rng.standard_normal((4, 5))},
              out_shape=lambda a: a["x"].shape, hints=(sigmoid_derivative_hint,)),
    LayerCase("Affine", "2d", "§5.6.2",
              lambda rng: {"x": rng.standard_normal((5, 4)), "W": rng.standard_normal((4, 3)),
                           "b": rng.standard_normal(3)},
              construct=_affine, params={"W": "dW", "b": "db"},
              out_shape=lambda a: (a["x"].shape[0], a["W"].shape[1])),
    LayerCase("Affine", "4d-input", "§5.6.2",
              lambda rng: {"x": rng.standard_normal((3, 2, 3, 2)), "W": rng.standard_normal((12, 5)),
                           "b": rng.standard_normal(5)},
              construct=_affine, params={"W": "dW", "b": "db"},
              out_shape=lambda a: (a["x"].shape[0], a["W"].shape[1])),
    LayerCase("SoftmaxWithLoss", "labels", "§5.6.3",
              lambda rng: {"x": rng.uniform(-2, 2, (4, 5)), "t": _labels(rng, 4, 5)},
              loss=True, batch_coupled=True),
    LayerCase("SoftmaxWithLoss", "one-hot", "§5.6.3",
              lambda rng: {"x": rng.uniform(-2, 2, (4, 5)), "t": _one_hot(rng, 4, 5)},
              loss=True, batch_coupled=True),
    LayerCase("Dropout", "train", "§6.4.3", lambda rng: {"x": away_from_zero(rng, (6, 8))},
              construct=lambda cls, a: cls(dropout_ratio=0.3), forward_kwargs={"train_flg": True},
              stochastic=True, batch_coupled=True, out_shape=lambda a: a["x"].shape),
    LayerCase("BatchNormalization", "train-2d", "§6.3.2",
              lambda rng: {"x": rng.standard_normal((6, 4)) * 2 + 1,
                           "gamma": rng.uniform(0.5, 1.5, 4), "beta": rng.standard_normal(4)},
              construct=_batch_norm, params={"gamma": "dgamma", "beta": "dbeta"},
              forward_kwargs={"train_flg": True}, batch_coupled=True, out_shape=lambda a: a["x"].shape),
    LayerCase("BatchNormalization", "train-4d", "§6.3.2",
              lambda rng: {"x": rng.standard_normal((4, 2, 3, 2)),
                           "gamma": rng.uniform(0.5, 1.5, 12), "beta": rng.standard_normal(12)},
              construct=_batch_norm, params={"gamma": "dgamma", "beta": "dbeta"},
              forward_kwargs={"train_flg": True}, batch_coupled=True, out_shape=lambda a: a["x"].shape),
    LayerCase("Convolution", "stride1-pad0", "§7.4.3",
              lambda rng: {"x": rng.standard_normal((2, 3, 6, 5)), "W": rng.standard_normal((4, 3, 3, 3)),
                           "b": rng.standard_normal(4)},
              construct=_conv(1, 0), params={"W": "dW", "b": "db"}, out_shape=_conv_out(1, 0)),
    LayerCase("Convolution", "stride2-pad1", "§7.4.3",
              lambda rng: {"x": rng.standard_normal((2, 2, 7, 5)), "W": rng.standard_normal((3, 2, 3, 3)),
                           "b": rng.standard_normal(3)},
              construct=_conv(2, 1), params={"W": "dW", "b": "db"}, out_shape=_conv_out(2, 1)),
    LayerCase("Convolution", "stride1-pad2-rect-filter", "§7.4.3",
              lambda rng: {"x": rng.standard_normal((1, 2, 4, 6)), "W": rng.standard_normal((2, 2, 2, 3)),
                           "b": rng.standard_normal(2)},
              construct=_conv(1, 2), params={"W": "dW", "b": "db"}, out_shape=_conv_out(1, 2)),
    LayerCase("Pooling", "2x2-stride2", "§7.4.4", lambda rng: {"x": distinct_values(rng, (2, 3, 4, 6))},
              construct=lambda cls, a: cls(2, 2, stride=2),
              out_shape=lambda a: a["x"].shape[:2] + (a["x"].shape[2] // 2, a["x"].shape[3] // 2)),
    LayerCase("Pooling", "3x2-stride1-overlap", "§7.4.4", lambda rng: {"x": distinct_values(rng, (2, 2, 5, 4))},
              construct=lambda cls, a: cls(3, 2, stride=1),
              out_shape=lambda a: a["x"].shape[:2] + (a["x"].shape[2] - 2, a["x"].shape[3] - 1)),
]

# What the generic layer checks cannot see; each of these checks builds its own inputs.
RELU_AT_ZERO = LayerCase("Relu", "at-zero", "§5.5.1", None)
DROPOUT_TEST_TIME = LayerCase("Dropout", "test-time", "§6.4.3", None)
BATCHNORM_RUNNING_STATS = LayerCase("BatchNormalization", "running-stats", "§6.3.2", None)
POOLING_TIES = LayerCase("Pooling", "ties", "§7.4.4", None)
SPECIAL_LAYER_CASES = [RELU_AT_ZERO, DROPOUT_TEST_TIME, BATCHNORM_RUNNING_STATS, POOLING_TIES]
