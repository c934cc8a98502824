"""float32 inference is allowed where the published weights classify the test images as in float64 (book §8.3.4).

The fast path (``reference.fast``: ``cast_network(network, np.float32)``) infers in float32
where the accuracy on the 10,000 test images stays within 0.0005 of float64 (5 images).
For both published weights it is 0: the same count. SimpleConvNet's 10,000 images and
DeepConvNet's first 2,000 run in the fast tier; DeepConvNet's 10,000 in the slow tier.
(The book's own half_float_network shows float16 keeping 0.9798.)
"""

import numpy as np
import pytest

from reference import DeepConvNet, SimpleConvNet
from reference.experiments._mnist import mnist
from reference.fast import accelerate, cast_network

ALLOWED = 0.0005


def _accuracies(network_class, params, n_images):
    from data import book_params_path

    _, (x_test, t_test) = mnist(normalize=True, flatten=False)
    x_test, t_test = x_test[:n_images], t_test[:n_images]
    counts = {}
    for dtype in (np.float64, np.float32):
        network = accelerate(network_class(), threads=1)
        network.load_params(book_params_path(params))
        cast_network(network, dtype)
        counts[np.dtype(dtype).name] = round(network.accuracy(x_test.astype(dtype), t_test) * n_images)
    return counts


def _assert_within(counts, n_images, pinned):
    assert counts["float64"] == pinned, counts
    difference = abs(counts["float32"] - counts["float64"]) / n_images
    assert difference <= ALLOWED, f"float32 {counts['float32']} vs float64 {counts['float64']} of {n_images}"


def test_simple_convnet_published_weights_classify_alike_in_float32():
    _assert_within(_accuracies(SimpleConvNet, "ch07/params.pkl", 10_000), 10_000, 9600)


def test_deep_convnet_published_weights_classify_alike_in_float32_on_2000_images():
    _assert_within(_accuracies(DeepConvNet, "ch08/deep_convnet_params.pkl", 2_000), 2_000, 1949)


@pytest.mark.slow
def test_deep_convnet_published_weights_classify_alike_in_float32():
    _assert_within(_accuracies(DeepConvNet, "ch08/deep_convnet_params.pkl", 10_000), 10_000, 9797)


def test_float32_training_gradient_equals_float64_at_the_published_weights():
    # The first measurement of checks/tools/bench/float32_drift.py, one batch: a float32 step of the
    # fast path computes float64's gradient to float32's rounding (about 1e-6 relative), also where
    # the scaled last layer makes true-class probabilities round to exactly 1.0.
    from checks.tools.bench.float32_drift import step_errors, trajectories

    (x_train, t_train), (x_test, t_test) = mnist(normalize=True, flatten=False)
    rows = step_errors(x_train, t_train, scales=(1.0, 4.0), batches=1)
    assert rows[1][1] > 0.1, rows  # ×4: the saturated case is really exercised
    for scale, _saturated, errors in rows:
        assert set(errors) == {"W1", "b1", "W2", "b2", "W3", "b3"}
        assert max(errors.values()) < 1e-5, (scale, errors)
    step, distances, accuracies = trajectories(x_train, t_train, x_test, t_test, steps=2, test_images=100)[-1]
    assert step == 2 and set(distances) == {"rounded start", "float32"} and len(accuracies) == 3
    assert 0 < distances["rounded start"] < 1e-6 and 0 < distances["float32"] < 1e-4, distances
