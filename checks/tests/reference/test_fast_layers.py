"""The tuned kernels (reference/fast/) agree with the book's layers (reference/layers/) (book §7.4.3, §7.4.4).

The experiments and the bench run ``reference.fast``; the checks, the exercises and
the pinned numbers' meaning rest on ``reference.layers``, the book's im2col method.
These tests hold the two together on every layer shape of the book's networks:

- Convolution: forward, dx, dW and db in float64 agree to a relative 1e-12 (the
  largest difference over the largest magnitude of the array): the two sum the same
  products in a different order (one product for the whole batch vs. one per
  batch-slice, another BLAS kernel), which moves the last bits only.
- Pooling: forward and dx are identical, bit for bit: both pick the same element
  of each window (the first maximum in (ky, kx) order) and copy it, ties included.
- Networks: ``accelerate`` gives the same predicted classes, the same loss and the same
  gradients (relative 1e-10) as the plain network, on the same parameter arrays.
"""

import numpy as np
import pytest

import reference.fast.convolution as fast_convolution
from reference import DeepConvNet, SimpleConvNet
from reference.fast import FastConvolution, FastPooling, accelerate
from reference.layers import Convolution, Pooling

CONV_RTOL = 1e-12
NETWORK_RTOL = 1e-10

# (label, filter shape (FN, C, FH, FW), input height = width, pad); stride 1 everywhere, as in the book.
CONV_SHAPES = [
    ("SimpleConvNet-conv1", (30, 1, 5, 5), 28, 0),
    ("DeepConvNet-conv1", (16, 1, 3, 3), 28, 1),
    ("DeepConvNet-conv2", (16, 16, 3, 3), 28, 1),
    ("DeepConvNet-conv3", (32, 16, 3, 3), 14, 1),
    ("DeepConvNet-conv4", (32, 32, 3, 3), 14, 2),
    ("DeepConvNet-conv5", (64, 32, 3, 3), 8, 1),
    ("DeepConvNet-conv6", (64, 64, 3, 3), 8, 1),
]

# (label, (C, H, W) of the pooled maps); 2×2 windows, stride 2, as both networks pool.
POOL_SHAPES = [
    ("SimpleConvNet-pool1", (30, 24, 24)),
    ("DeepConvNet-pool1", (16, 28, 28)),
    ("DeepConvNet-pool2", (32, 16, 16)),  # conv4's pad 2 turns 14×14 into 16×16
    ("DeepConvNet-pool3", (64, 8, 8)),
]


def _relative_difference(a, b):
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(a)), np.finfo(float).tiny))


def _assert_close(name, naive, fast, rtol, where):
    assert naive.shape == fast.shape, f"{where}: {name} shapes differ, book {naive.shape} vs fast {fast.shape}"
    difference = _relative_difference(naive, fast)
    assert difference <= rtol, f"{where}: {name} differs by {difference:.2e} relative (allowed {rtol:.0e})"


def _conv_pair(filter_shape, pad, rng):
    W, b = rng.standard_normal(filter_shape), rng.standard_normal(filter_shape[0])
    return Convolution(W, b, stride=1, pad=pad), FastConvolution(W, b, stride=1, pad=pad)


def _compare_conv(filter_shape, size, pad, batch, rng, where):
    naive, fast = _conv_pair(filter_shape, pad, rng)
    x = rng.standard_normal((batch, filter_shape[1], size, size))
    out_naive, out_fast = naive.forward(x), fast.forward(x)
    _assert_close("forward", out_naive, out_fast, CONV_RTOL, where)
    dout = rng.standard_normal(out_naive.shape)
    _assert_close("dx", naive.backward(dout), fast.backward(dout), CONV_RTOL, where)
    _assert_close("dW", naive.dW, fast.dW, CONV_RTOL, where)
    _assert_close("db", naive.db, fast.db, CONV_RTOL, where)


@pytest.mark.parametrize("batch", [1, 3])
@pytest.mark.parametrize("label, filter_shape, size, pad", CONV_SHAPES, ids=[s[0] for s in CONV_SHAPES])
def test_convolution_kernels_agree(label, filter_shape, size, pad, batch):
    _compare_conv(filter_shape, size, pad, batch, np.random.default_rng(7), f"{label}, batch {batch}")


@pytest.mark.parametrize("label, filter_shape, size, pad", CONV_SHAPES, ids=[s[0] for s in CONV_SHAPES])
def test_convolution_kernels_agree_across_batch_slices(label, filter_shape, size, pad, monkeypatch):
    # The fast layer unrolls a batch-slice at a time; a small budget splits every shape's batch
    # of 5 into slices of one or two images (at the book's budget only conv2 at batch 100 splits).
    row_size = filter_shape[1] * filter_shape[2] * filter_shape[3] * size * size
    monkeypatch.setattr(fast_convolution, "_WINDOW_MATRIX_SIZE", 2 * row_size)
    _compare_conv(filter_shape, size, pad, 5, np.random.default_rng(8), f"{label}, batch 5 in slices of ≤2")


def test_convolution_kernels_agree_with_stride_and_rectangular_filters():
    _compare_conv((4, 3, 3, 2), 9, 1, 2, np.random.default_rng(9), "4×3×3×2 filters, stride 1")
    rng = np.random.default_rng(10)
    W, b = rng.standard_normal((5, 2, 3, 3)), rng.standard_normal(5)
    naive, fast = Convolution(W, b, stride=2, pad=1), FastConvolution(W, b, stride=2, pad=1)
    x = rng.standard_normal((3, 2, 9, 8))
    _assert_close("forward", naive.forward(x), fast.forward(x), CONV_RTOL, "stride 2, pad 1")
    dout = rng.standard_normal((3, 5, 5, 4))
    _assert_close("dx", naive.backward(dout), fast.backward(dout), CONV_RTOL, "stride 2, pad 1")
    _assert_close("dW", naive.dW, fast.dW, CONV_RTOL, "stride 2, pad 1")


def _compare_pool(x, pool, stride, pad, rng, where):
    naive, fast = Pooling(pool, pool, stride, pad), FastPooling(pool, pool, stride, pad)
    out_naive, out_fast = naive.forward(x), fast.forward(x)
    np.testing.assert_array_equal(out_fast, out_naive, err_msg=f"{where}: forward")
    dout = rng.standard_normal(out_naive.shape)
    dx_naive, dx_fast = naive.backward(dout), fast.backward(dout)
    np.testing.assert_array_equal(dx_fast, dx_naive, err_msg=f"{where}: dx")
    return dx_naive


def _tied(rng, shape):
    """Values from {-1, 0, 1}: most 2×2 windows hold their maximum twice or more."""
    return rng.integers(-1, 2, size=shape).astype(float)


@pytest.mark.parametrize("batch", [1, 3])
@pytest.mark.parametrize("label, shape", POOL_SHAPES, ids=[s[0] for s in POOL_SHAPES])
def test_pooling_kernels_agree(label, shape, batch):
    rng = np.random.default_rng(11)
    _compare_pool(rng.standard_normal((batch, *shape)), 2, 2, 0, rng, f"{label}, batch {batch}, distinct values")
    x = _tied(rng, (batch, *shape))
    windows = x.reshape(batch, shape[0], shape[1] // 2, 2, shape[2] // 2, 2)
    ties = np.sum(windows == windows.max(axis=(3, 5), keepdims=True), axis=(3, 5)) > 1
    assert ties.mean() > 0.5, "the tied input should tie most windows"
    _compare_pool(x, 2, 2, 0, rng, f"{label}, batch {batch}, tied maxima")


@pytest.mark.parametrize("label, shape", POOL_SHAPES, ids=[s[0] for s in POOL_SHAPES])
def test_pooling_kernels_agree_with_padding(label, shape):
    rng = np.random.default_rng(12)
    # pad 1: the windows at the border half cover zeros, the maximum there when the image is negative.
    _compare_pool(-np.abs(rng.standard_normal((2, *shape))), 2, 2, 1, rng, f"{label}, pad 1, negative")
    _compare_pool(_tied(rng, (2, *shape)), 2, 2, 1, rng, f"{label}, pad 1, tied maxima")
    # Overlapping windows (3×3, stride 2): dx sums the windows that share a maximum.
    _compare_pool(_tied(rng, (2, *shape)), 3, 2, 1, rng, f"{label}, 3×3 stride 2 pad 1, tied maxima")


def test_tied_window_routes_to_the_first_maximum_in_both():
    rng = np.random.default_rng(13)
    x = np.ones((1, 2, 4, 4))
    dx = _compare_pool(x, 2, 2, 0, rng, "constant image")
    expected = np.zeros((4, 4), dtype=bool)
    expected[::2, ::2] = True  # the top-left element of each 2×2 window
    assert np.array_equal(dx[0, 0] != 0, expected), f"the gradient of a constant window goes to {dx[0, 0]}"


def test_nan_is_the_maximum_in_both():
    rng = np.random.default_rng(14)
    x = rng.standard_normal((1, 1, 4, 4))
    x[0, 0, 1, 1] = np.nan
    x[0, 0, 2, 3] = np.nan
    _compare_pool(x, 2, 2, 0, rng, "NaN in two windows")


# -- accelerate ----------------------------------------------------------------------------
def _layers(network):
    return list(network.layers.values()) if isinstance(network.layers, dict) else list(network.layers)


NETWORKS = [SimpleConvNet, DeepConvNet]


@pytest.mark.parametrize("network_class", NETWORKS, ids=lambda c: c.__name__)
def test_accelerate_swaps_the_book_layers_on_the_same_arrays(network_class):
    np.random.seed(0)
    network = network_class()
    before = _layers(network)
    assert accelerate(network) is network
    after = _layers(network)
    assert len(after) == len(before)
    swapped = 0
    for old, new in zip(before, after):
        if type(old) is Convolution:
            assert type(new) is FastConvolution and new.W is old.W and new.b is old.b
            assert (new.stride, new.pad) == (old.stride, old.pad)
            swapped += 1
        elif type(old) is Pooling:
            assert type(new) is FastPooling
            assert (new.pool_h, new.pool_w, new.stride, new.pad) == (old.pool_h, old.pool_w, old.stride, old.pad)
            swapped += 1
        else:
            assert new is old
    assert swapped == {SimpleConvNet: 2, DeepConvNet: 9}[network_class]
    assert accelerate(network) is network and _layers(network) == after  # a second call changes nothing


def test_accelerate_leaves_subclasses_and_other_objects_alone():
    class OwnConvolution(Convolution):
        pass

    np.random.seed(0)
    network = SimpleConvNet()
    network.layers["Conv1"] = OwnConvolution(network.params["W1"], network.params["b1"])
    accelerate(network)
    assert type(network.layers["Conv1"]) is OwnConvolution
    assert type(network.layers["Pool1"]) is FastPooling
    assert accelerate(object()) is not None  # no layers: nothing to do


@pytest.mark.parametrize("network_class", NETWORKS, ids=lambda c: c.__name__)
def test_accelerated_network_predicts_and_learns_as_the_plain_one(network_class):
    np.random.seed(1)
    plain = network_class()
    np.random.seed(1)
    fast = accelerate(network_class())
    rng = np.random.default_rng(1)
    x, t = rng.random((6, 1, 28, 28)), rng.integers(0, 10, size=6)
    kwargs = {"train_flg": False} if network_class is DeepConvNet else {}
    scores_plain, scores_fast = plain.predict(x, **kwargs), fast.predict(x, **kwargs)
    assert np.array_equal(np.argmax(scores_fast, axis=1), np.argmax(scores_plain, axis=1))
    _assert_close("predict", scores_plain, scores_fast, NETWORK_RTOL, network_class.__name__)
    # DeepConvNet's dropout draws its masks from NumPy's global generator: the same seed, the same masks.
    np.random.seed(2)
    loss_plain, grads_plain = plain.loss(x, t), plain.gradient(x, t)
    np.random.seed(2)
    loss_fast, grads_fast = fast.loss(x, t), fast.gradient(x, t)
    assert abs(loss_fast - loss_plain) <= NETWORK_RTOL * abs(loss_plain)
    assert grads_fast.keys() == grads_plain.keys()
    for key in grads_plain:
        _assert_close(f"gradient {key}", grads_plain[key], grads_fast[key], NETWORK_RTOL, network_class.__name__)
