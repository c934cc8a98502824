"""The channels-last kernels and the fused plan (reference/fast/kernels.py, plan.py) equal the book's layers (book §7.4).

Tolerances, each the largest difference over the largest magnitude of the array:

- Convolution forward, dx, dW, db in float64: 1e-12 relative. The kernels sum the same
  products as the book's im2col layer in another order (columns (ky, kx, c) instead of
  (c, ky, kx), one product per batch-slice, a ones-vector product for db, dx as a
  convolution with the flipped filters instead of col2im), which moves the last bits.
- The same in float32 against the float64 book layer: 1e-5 relative (float32 rounding,
  2^-24 ≈ 6e-8 per operation, over sums of up to 576 products).
- Pooling (with or without the fused ReLU): values and dx equal the book's Relu + Pooling
  exactly (as numbers: a zero of dx may be -0.0), ties and NaN included.
- Whole networks (Plan vs the book's layers): scores, loss and every gradient within
  1e-10 relative in float64, same predicted classes, the same dropout masks.
"""

import numpy as np
import pytest

from reference import DeepConvNet, SimpleConvNet
from reference.fast import kernels
from reference.fast.plan import Plan, Unsupported
from reference.layers import Convolution, Pooling, Relu, SoftmaxWithLoss

FLOAT64_RTOL = 1e-12
FLOAT32_RTOL = 1e-5
NETWORK_RTOL = 1e-10

# (label, filter shape (FN, C, FH, FW), input height, input width, pad); stride 1 as in the book.
CONV_SHAPES = [
    ("SimpleConvNet-conv1", (30, 1, 5, 5), 28, 28, 0),
    ("DeepConvNet-conv1", (16, 1, 3, 3), 28, 28, 1),
    ("DeepConvNet-conv2", (16, 16, 3, 3), 28, 28, 1),
    ("DeepConvNet-conv3", (32, 16, 3, 3), 14, 14, 1),
    ("DeepConvNet-conv4", (32, 32, 3, 3), 14, 14, 2),
    ("DeepConvNet-conv5", (64, 32, 3, 3), 8, 8, 1),
    ("DeepConvNet-conv6", (64, 64, 3, 3), 8, 8, 1),
    # Off the networks: rectangular filters and images, pad 0 with several channels, and a pad
    # larger than FH-1 (the input gradient then crops dout instead of padding it).
    ("rectangular", (4, 3, 3, 2), 9, 7, 1),
    ("pad-0-channels", (5, 2, 3, 3), 6, 8, 0),
    ("pad-3", (3, 2, 2, 3), 5, 6, 3),
]

# (label, (C, H, W) of the maps before pooling); 2×2 windows, stride 2, as both networks pool.
POOL_SHAPES = [
    ("SimpleConvNet-pool1", (30, 24, 24)),
    ("DeepConvNet-pool1", (16, 28, 28)),
    ("DeepConvNet-pool2", (32, 16, 16)),
    ("DeepConvNet-pool3", (64, 8, 8)),
    ("odd", (3, 7, 9)),  # the last row and column belong to no window
]


def _relative(a, b):
    return float(np.max(np.abs(np.asarray(a, dtype=float) - b)) / max(np.max(np.abs(a)), np.finfo(float).tiny))


def _assert_close(name, book, fast, rtol, where):
    assert book.shape == fast.shape, f"{where}: {name} shapes differ, book {book.shape} vs fast {fast.shape}"
    difference = _relative(book, fast)
    assert difference <= rtol, f"{where}: {name} differs by {difference:.2e} relative (allowed {rtol:.0e})"


def _fast_conv(W, b, x, pad, dout, dtype, input_gradient=True):
    """The kernels on NCHW arrays: forward, then (dW, db, dx) for `dout`, all back in the book's layout."""
    W, b = W.astype(dtype), b.astype(dtype)
    xp = kernels.padded(np.ascontiguousarray(kernels.to_nhwc(x.astype(dtype))), pad)
    filter_h, filter_w = W.shape[2:]
    keep = xp.shape[3] == 1
    result = kernels.conv_forward(xp, kernels.filters_matrix(W), b, filter_h, filter_w, keep_windows=keep)
    out, col = result if keep else (result, None)
    dW, db, dx = kernels.conv_backward(kernels.to_nhwc(dout.astype(dtype)), W, xp,
                                       kernels.to_nhwc(x).shape, pad, input_gradient=input_gradient, col=col)
    return kernels.to_nchw(out), dW, db, None if dx is None else kernels.to_nchw(dx)


@pytest.mark.parametrize("dtype, rtol", [(np.float64, FLOAT64_RTOL), (np.float32, FLOAT32_RTOL)],
                         ids=["float64", "float32"])
@pytest.mark.parametrize("label, filter_shape, height, width, pad", CONV_SHAPES, ids=[s[0] for s in CONV_SHAPES])
def test_convolution_kernels_equal_the_book_layer(label, filter_shape, height, width, pad, dtype, rtol):
    rng = np.random.default_rng(1)
    W, b = rng.standard_normal(filter_shape), rng.standard_normal(filter_shape[0])
    x = rng.standard_normal((3, filter_shape[1], height, width))
    book = Convolution(W, b, stride=1, pad=pad)
    out = book.forward(x)
    dout = rng.standard_normal(out.shape)
    dx = book.backward(dout)
    fast_out, fast_dW, fast_db, fast_dx = _fast_conv(W, b, x, pad, dout, dtype)
    where = f"{label} in {np.dtype(dtype).name}"
    assert fast_out.dtype == dtype and fast_dW.dtype == dtype and fast_dx.dtype == dtype, where
    for name, expected, got in (("forward", out, fast_out), ("dx", dx, fast_dx), ("dW", book.dW, fast_dW),
                                ("db", book.db, fast_db)):
        _assert_close(name, expected, got, rtol, where)


def test_convolution_kernels_split_the_batch_into_slices(monkeypatch):
    # At the networks' sizes a batch of 3 fits one slice; a budget of one image's windows
    # makes every image its own slice, in forward and in the filters' gradient.
    monkeypatch.setattr(kernels, "_WINDOW_BYTES", 1)
    test_convolution_kernels_equal_the_book_layer(*CONV_SHAPES[2], np.float64, FLOAT64_RTOL)
    test_convolution_kernels_equal_the_book_layer(*CONV_SHAPES[5], np.float64, FLOAT64_RTOL)


def test_first_layer_skips_the_input_gradient_only():
    rng = np.random.default_rng(2)
    W, b = rng.standard_normal((16, 1, 3, 3)), rng.standard_normal(16)
    x = rng.standard_normal((2, 1, 28, 28))
    book = Convolution(W, b, stride=1, pad=1)
    dout = rng.standard_normal(book.forward(x).shape)
    book.backward(dout)
    _, dW, db, dx = _fast_conv(W, b, x, 1, dout, np.float64, input_gradient=False)
    assert dx is None
    _assert_close("dW", book.dW, dW, FLOAT64_RTOL, "first layer")
    _assert_close("db", book.db, db, FLOAT64_RTOL, "first layer")


def _book_relu_pool(x, dout, relu):
    pooling = Pooling(2, 2, stride=2)
    if relu:
        rectifier = Relu()
        out = pooling.forward(rectifier.forward(x))
        return out, rectifier.backward(pooling.backward(dout))
    out = pooling.forward(x)
    return out, pooling.backward(dout)


def _compare_pool(x, rng, relu, where):
    n, c, height, width = x.shape
    dout = rng.standard_normal((n, c, height // 2, width // 2))
    out, dx = _book_relu_pool(x, dout, relu)
    nhwc = np.ascontiguousarray(kernels.to_nhwc(x))
    fast_out, routes = kernels.pool_relu_forward(nhwc, relu=relu, keep_routes=True)
    np.testing.assert_array_equal(kernels.to_nchw(fast_out), out, err_msg=f"{where}: forward")
    np.testing.assert_array_equal(kernels.to_nchw(kernels.pool_relu_forward(nhwc, relu=relu)), out,
                                  err_msg=f"{where}: forward without routes")
    fast_dx = kernels.pool_relu_backward(kernels.to_nhwc(dout), fast_out, routes, nhwc.shape, relu=relu)
    # assert_array_equal compares numbers: -0.0 == 0.0 (pool_relu_backward's docstring).
    np.testing.assert_array_equal(kernels.to_nchw(fast_dx), dx, err_msg=f"{where}: dx")


def _tied(rng, shape):
    """Values from {-1, 0, 1}: most 2×2 windows hold their maximum twice or more."""
    return rng.integers(-1, 2, size=shape).astype(float)


@pytest.mark.parametrize("relu", [True, False], ids=["relu-then-pool", "pool"])
@pytest.mark.parametrize("label, shape", POOL_SHAPES, ids=[s[0] for s in POOL_SHAPES])
def test_pool_relu_kernels_equal_the_book_layers(label, shape, relu):
    rng = np.random.default_rng(3)
    _compare_pool(rng.standard_normal((2, *shape)), rng, relu, f"{label}, distinct values")
    x = _tied(rng, (2, *shape))
    windows = x[:, :, :shape[1] // 2 * 2, :shape[2] // 2 * 2].reshape(2, shape[0], shape[1] // 2, 2, shape[2] // 2, 2)
    ties = np.sum(windows == windows.max(axis=(3, 5), keepdims=True), axis=(3, 5)) > 1
    assert ties.mean() > 0.5, "the tied input should tie most windows"
    _compare_pool(x, rng, relu, f"{label}, tied maxima")


@pytest.mark.parametrize("relu", [True, False], ids=["relu-then-pool", "pool"])
def test_pool_relu_routes_nan_as_the_book(relu):
    rng = np.random.default_rng(4)
    x = rng.standard_normal((1, 2, 6, 6))
    x[0, 0, 1, 1] = np.nan  # the last element of its window: np.argmax still picks it
    x[0, 0, 2, 3] = x[0, 0, 3, 2] = np.nan  # two NaN in one window: the first
    x[0, 1, 0, 1] = np.nan
    _compare_pool(x, rng, relu, "NaN")


# -- whole networks -------------------------------------------------------------------------
def _layers(network):
    return list(network.layers.values()) if isinstance(network.layers, dict) else list(network.layers)


def _mnist_like(n, rng):
    # A zero background around random strokes: exact ties in conv outputs and pools.
    x = np.zeros((n, 1, 28, 28))
    x[:, :, 6:22, 6:22] = rng.random((n, 1, 16, 16)) * (rng.random((n, 1, 16, 16)) > 0.6)
    return x, rng.integers(0, 10, n)


@pytest.mark.parametrize("network_class", [SimpleConvNet, DeepConvNet], ids=lambda c: c.__name__)
def test_plan_computes_the_networks_scores_loss_and_gradients(network_class):
    np.random.seed(5)
    network = network_class()
    x, t = _mnist_like(12, np.random.default_rng(5))
    kwargs = {"train_flg": False} if network_class is DeepConvNet else {}
    plan = Plan(_layers(network))
    scores = network.predict(x, **kwargs)
    fast_scores = plan.forward(x)
    assert np.array_equal(np.argmax(fast_scores, axis=1), np.argmax(scores, axis=1))
    _assert_close("scores", scores, fast_scores, NETWORK_RTOL, network_class.__name__)
    # Training: the book's layers draw the dropout masks; the plan draws the same ones from the same seed.
    np.random.seed(6)
    grads = network.gradient(x, t)
    np.random.seed(6)
    last = SoftmaxWithLoss()
    loss = last.forward(plan.forward(x, train_flg=True, keep=True), t)
    book_masks = [layer.mask for layer in _layers(network) if hasattr(layer, "dropout_ratio")]
    for book_mask, mask in zip(book_masks, plan.dropout_masks(), strict=True):
        assert np.array_equal(book_mask, mask)
    assert abs(loss - network.last_layer.loss) <= NETWORK_RTOL * abs(loss)
    key_of = {id(array): key for key, array in network.params.items()}
    seen = set()
    for W, b, dW, db in plan.backward(last.backward(1)):
        for param, value in ((W, dW), (b, db)):
            key = key_of[id(param)]
            _assert_close(f"gradient {key}", grads[key], value, NETWORK_RTOL, network_class.__name__)
            seen.add(key)
    assert seen == set(network.params)


def test_plan_refuses_what_it_does_not_run():
    np.random.seed(7)
    strided = SimpleConvNet(conv_param={"filter_num": 4, "filter_size": 3, "pad": 0, "stride": 2})
    with pytest.raises(Unsupported, match="stride 2"):
        Plan(_layers(strided))
    network = SimpleConvNet()
    layers = _layers(network)
    layers[2] = Pooling(3, 3, stride=2)
    with pytest.raises(Unsupported, match="pooling 3×3"):
        Plan(layers)

    class OwnRelu(Relu):
        pass

    layers = _layers(network)
    layers[1] = OwnRelu()
    with pytest.raises(Unsupported, match="OwnRelu"):
        Plan(layers)
