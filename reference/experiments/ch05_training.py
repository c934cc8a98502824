"""Chapter 5: TwoLayerNet with backpropagation (§5.7).

Book scripts: ch05/gradient_check.py (backprop against numerical gradients) and
ch05/train_neuralnet.py (the chapter 4 loop with ``network.gradient``, shared here
through ``ch04_training.two_layer_net_training``).
"""

import numpy as np

from ._common import resolve_lib
from ._mnist import mnist
from .ch04_training import two_layer_net_training

__all__ = ["backprop_training", "gradient_check_two_layer_net"]


def backprop_training(lib=None, seed=0, *, iterations=10000, batch_size=100, learning_rate=0.1,
                      hidden_size=50, train_size=None, test_size=None, progress=None):
    """TwoLayerNet 784-50-10 trained with backpropagation (book §5.7.4, ch05/train_neuralnet.py).

    The book: SGD lr 0.1, batch 100, 10,000 iterations, accuracy on the full training
    and test sets every 600 iterations (17 points); test accuracy ≈0.97 at the end,
    train ≈ test (no overfitting). This is ``two_layer_net_training`` with
    ``gradient="backprop"``; see it for the arguments.

    Returns:
        dict with train_loss (iterations,), initial_loss (float), train_acc and test_acc
        (n_epochs,), eval_iterations (n_epochs,).
    """
    return two_layer_net_training(
        lib, seed, gradient="backprop", iterations=iterations, batch_size=batch_size,
        learning_rate=learning_rate, hidden_size=hidden_size, train_size=train_size,
        test_size=test_size, progress=progress)


def gradient_check_two_layer_net(lib=None, seed=0, n_images=3, hidden_size=50):
    """Backprop gradient of TwoLayerNet against its numerical gradient (book §5.7.3).

    gradient_check.py builds ``TwoLayerNet(784, 50, 10)``, takes the first 3 training
    images (one-hot labels) and prints, per parameter, the mean |backprop − numerical|
    (≈1e-10…1e-13 in the book's notebook). Here the images are cast to float64 so
    that only the central difference (h = 1e-4) limits the agreement. The numerical
    gradient takes 2 forward passes per parameter (≈80,000 for the book's net).

    A hidden unit whose pre-activation x·W1[:, j] + b1[j] lies within h of ReLU's kink for
    some image is left out of W1's and b1's figures: moving one of its parameters by h can
    cross the kink (pixels are in [0, 1]), and there the central difference is not the
    derivative backprop computes. Seeds 14 and 16 of the quick network have such a unit
    (|pre-activation| 5.0e-5 and 2.4e-5); the book's own code differs there as much.

    Args:
        lib: implementation namespace (None: reference); uses ``lib.TwoLayerNet``.
        seed: seed of NumPy's global generator (the network's initial weights).
        n_images: number of training images in the batch.
        hidden_size: hidden units (the book: 50).

    Returns:
        dict mapping each parameter name (W1, b1, W2, b2) to a dict with
            mean_abs_diff: mean |backprop − numerical| (the book's printed number).
            max_abs_diff: max |backprop − numerical|.
            max_abs_grad: max |numerical|, the scale the differences compare to.
            left_out: the hidden units left out of these figures (W1, b1; else []).
    """
    lib = resolve_lib(lib)
    np.random.seed(seed)
    (x_train, t_train), _ = mnist(normalize=True, one_hot_label=True)
    x_batch = x_train[:n_images].astype(np.float64)
    t_batch = t_train[:n_images].astype(np.float64)

    network = lib.TwoLayerNet(input_size=784, hidden_size=hidden_size, output_size=10)
    near_kink = _units_near_the_kink(network, x_batch, h=1e-4)
    # Copies: a network may hand out the arrays its layers overwrite on the next pass.
    grad_numerical = {k: np.array(v, dtype=np.float64) for k, v in network.numerical_gradient(x_batch, t_batch).items()}
    grad_backprop = {k: np.array(v, dtype=np.float64) for k, v in network.gradient(x_batch, t_batch).items()}
    result = {}
    for key in ("W1", "b1", "W2", "b2"):
        backprop, numerical = grad_backprop[key], grad_numerical[key]
        left_out = near_kink if key in ("W1", "b1") else []
        if left_out:
            kept = np.setdiff1d(np.arange(numerical.shape[-1]), left_out)
            backprop, numerical = backprop[..., kept], numerical[..., kept]
        diff = np.abs(backprop - numerical)
        result[key] = {
            "mean_abs_diff": float(np.mean(diff)),
            "max_abs_diff": float(np.max(diff)),
            "max_abs_grad": float(np.max(np.abs(numerical))),
            "left_out": left_out,
        }
    return result


def _units_near_the_kink(network, x, h):
    """Hidden units j with |x·W1[:, j] + b1[j]| < h for some row of ``x`` (sorted ints).

    Computed from the network's ``params`` as the book's TwoLayerNet holds them, before any
    gradient is taken; a network without them has none left out.
    """
    params = getattr(network, "params", None)
    try:
        pre_activation = x @ np.asarray(params["W1"], dtype=np.float64) + np.asarray(params["b1"], dtype=np.float64)
    except (TypeError, KeyError, ValueError):
        return []
    return [int(j) for j in np.flatnonzero((np.abs(pre_activation) < h).any(axis=0))]
