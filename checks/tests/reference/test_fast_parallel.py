"""The data-parallel conv nets of reference.fast (``accelerate(network, threads=...)``) compute the book's numbers.

- threads=1: each batch runs through one ``Plan`` (channels-last kernels, ReLU and pooling
  fused): the loss and gradients equal the book's layers' within 1e-10 relative (the
  kernels' own tolerances are in test_fast_kernels.py), accuracy and predicted classes are
  the same, ties included (MNIST-like images with a zero background), the same dropout
  masks are drawn, and two seeded runs are bit-identical.
- threads=2: the gradients and the loss equal the one-thread ones up to the rounding of
  summing the slices' shares (relative 1e-9), are identical from run to run with the
  same seed, and draw exactly the dropout masks (and leave NumPy's global generator
  exactly where) the unthreaded network does.
- Only the reference's own networks of reference layers are parallelized; a subclass
  (a bug-corpus variant) or a network holding a learner's layer runs as written.
- cast_network(float32): the same initial values rounded, layers on the new arrays.
"""

import numpy as np
import pytest

from reference import Adam, DeepConvNet, SimpleConvNet
from reference.experiments._common import check_dtype
from reference.fast import accelerate, cast_network
from reference.layers import Relu

GRADIENT_RTOL = 1e-12


def _batch(n=40, seed=3):
    rng = np.random.default_rng(seed)
    x = np.zeros((n, 1, 28, 28))
    # A zero background around random strokes: many exact ties in conv outputs and pools.
    x[:, :, 6:22, 6:22] = rng.random((n, 1, 16, 16)) * (rng.random((n, 1, 16, 16)) > 0.6)
    return x, rng.integers(0, 10, n)


def _networks(cls, *threads):
    made = []
    for count in threads:
        np.random.seed(11)
        made.append(accelerate(cls(), threads=count))
    return made


def _relative(a, b):
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(a)), np.finfo(float).tiny))


NETWORK_RTOL = 1e-10


def _book_network(cls):
    """The network as the book builds it, its own layers (no accelerate), from the seed of _networks."""
    np.random.seed(11)
    return cls()


@pytest.mark.parametrize("cls", [SimpleConvNet, DeepConvNet])
def test_one_thread_computes_the_book_networks_numbers(cls):
    book = _book_network(cls)
    parallel, again = _networks(cls, 1, 1)
    x, t = _batch()
    for network in (book, parallel, again):
        np.random.seed(5)
        network.result = (network.gradient(x, t), network.loss(x, t), network.gradient(x, t),
                          network.accuracy(x, t, batch_size=15), network.predict(x), np.random.rand())
    (g1, loss1, h1, acc1, p1, r1), (g2, loss2, h2, acc2, p2, r2) = book.result, parallel.result
    # The same dropout masks and draws: the generator ends in the same state.
    assert acc1 == acc2 and r1 == r2
    assert abs(loss1 - loss2) <= NETWORK_RTOL * abs(loss1)
    assert np.array_equal(np.argmax(p1, axis=1), np.argmax(p2, axis=1))
    assert _relative(p1, p2) <= NETWORK_RTOL
    for key in g1:
        assert _relative(g1[key], g2[key]) <= NETWORK_RTOL, f"{cls.__name__} {key} (first call)"
        assert _relative(h1[key], h2[key]) <= NETWORK_RTOL, f"{cls.__name__} {key} (masks drawn by the executor)"
    g3, loss3, h3, acc3, p3, r3 = again.result
    assert loss3 == loss2 and acc3 == acc2 and r3 == r2 and np.array_equal(p3, p2)
    for key in g2:
        assert np.array_equal(g2[key], g3[key]) and np.array_equal(h2[key], h3[key]), f"{cls.__name__} {key} repeats"


@pytest.mark.parametrize("cls", [SimpleConvNet, DeepConvNet])
def test_two_threads_match_one_and_repeat_exactly(cls):
    one, two, again = _networks(cls, 1, 2, 2)
    x, t = _batch()
    results = []
    for network in (one, two, again):
        np.random.seed(5)
        optimizer = Adam(lr=0.001)
        losses, grads = [], None
        for _ in range(3):  # the first call learns the dropout shapes; the next ones split the batch
            grads = network.gradient(x, t)
            optimizer.update(network.params, grads)
            losses.append(network.loss(x, t))
        results.append((losses, grads, np.random.rand(), network.accuracy(x, t, batch_size=15)))
    (loss1, g1, r1, a1), (loss2, g2, r2, a2), (loss3, g3, r3, a3) = results
    # Same dropout masks and mini-batch draws: the generator ends in the same state.
    assert r1 == r2 == r3
    assert a1 == a2 == a3
    assert loss2 == loss3
    np.testing.assert_allclose(loss2, loss1, rtol=1e-9)
    for key in g1:
        assert np.array_equal(g2[key], g3[key]), f"{cls.__name__} {key} differs between two seeded runs"
        assert _relative(g1[key], g2[key]) <= 1e-9, f"{cls.__name__} {key}"


def test_dropout_masks_are_the_unthreaded_ones():
    one, two = _networks(DeepConvNet, 1, 2)
    x, t = _batch()
    masks = []
    for network in (one, two):
        network.gradient(x[:2], t[:2])  # learn the mask shapes
        np.random.seed(8)
        network.gradient(x, t)
        masks.append(network.data_parallel.last_masks)
    assert len(masks[0]) == len(masks[1]) == 2
    for a, b in zip(*masks):
        assert np.array_equal(a, b)


def test_single_gradient_step_matches_plain_network():
    plain, two = _networks(SimpleConvNet, None, 2)
    x, t = _batch()
    g_plain, g_two = plain.gradient(x, t), two.gradient(x, t)
    for key in g_plain:
        assert _relative(g_plain[key], g_two[key]) <= GRADIENT_RTOL, key


class _BuggyRelu(Relu):
    def backward(self, dout):
        return dout


def test_only_reference_networks_of_reference_layers_are_parallelized():
    class Variant(SimpleConvNet):
        pass

    variant = accelerate(Variant(), threads=2)
    assert "data_parallel" not in vars(variant) and "gradient" not in vars(variant)
    network = SimpleConvNet()
    network.layers["Relu1"] = _BuggyRelu()
    accelerate(network, threads=2)
    assert "data_parallel" not in vars(network)
    shared = SimpleConvNet()
    shared.layers["Relu2"] = shared.layers["Relu1"]  # the bug-corpus variant simple_convnet_relu_layer_shared
    accelerate(shared, threads=2)
    assert "data_parallel" not in vars(shared)
    with pytest.raises(ValueError, match="threads must be at least 1, got 0"):
        accelerate(SimpleConvNet(), threads=0)


def test_cast_network_float32_rounds_the_same_initial_values():
    np.random.seed(2)
    wide = SimpleConvNet()
    np.random.seed(2)
    narrow = cast_network(accelerate(SimpleConvNet(), threads=2), np.float32)
    for key, value in wide.params.items():
        assert narrow.params[key].dtype == np.float32
        assert np.array_equal(narrow.params[key], value.astype(np.float32))
    assert narrow.layers["Conv1"].W is narrow.params["W1"] and narrow.layers["Affine2"].b is narrow.params["b3"]
    x, t = _batch()
    grads = narrow.gradient(x.astype(np.float32), t)
    assert all(g.dtype == np.float32 for g in grads.values())
    with pytest.raises(ValueError, match="floating-point dtype, got int64"):
        cast_network(SimpleConvNet(), np.int64)


def test_training_dtype_is_checked():
    check_dtype("float32")
    with pytest.raises(ValueError, match="dtype must be one of float64, float32, got 'float16'"):
        check_dtype("float16")
