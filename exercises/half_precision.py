# Generated from reference/half_precision.py by `make exercises` (python -m checks.stubgen).
# Do not edit it in the dlfs repository: change reference/ and regenerate with `make exercises`.
# Learners: replace each `raise NotImplementedError(...)` below with your own code.
"""Inference with 16-bit floating point numbers (chapter 8).

The book's ch08/half_float_network.py shows that a trained network barely loses
accuracy when its parameters and inputs are reduced to 16-bit floats (book §8.3.4).
As in that script, values are rounded to float16 and stored back in the existing
arrays, so the arithmetic itself stays in float64: NumPy has no fast float16
matrix product, and the point of the experiment is the precision of the numbers a
network needs to store and move, not float16 arithmetic.

Use: ``half_float_network(network)`` then ``accuracy_half(network, x_test, t_test)``.
"""

import numpy as np

__all__ = ["half_float_network", "accuracy_half"]

# Arrays a layer may hold besides the shared params (Batch Normalization's running averages).
_LAYER_ARRAY_NAMES = ("W", "b", "gamma", "beta", "running_mean", "running_var")


def _round_to_half_in_place(array):
    if isinstance(array, np.ndarray) and np.issubdtype(array.dtype, np.floating):
        array[...] = array.astype(np.float16)


def half_float_network(network):
    """Round every parameter of a network to float16 precision, in place (book §8.3.4).

    Each array of ``network.params``, and each W, b, gamma, beta, running_mean and
    running_var held by its layers, keeps its identity and dtype but from now on holds
    float16-representable values (as ``param[...] = param.astype(np.float16)`` in the
    book's script). Values beyond float16's range (±65504) become ±inf.

    Args:
        network: a network with a ``params`` dict and, optionally, ``layers`` (a list
            or a dict of layers) — e.g. DeepConvNet, SimpleConvNet, MultiLayerNetExtend.

    Returns:
        network: the same object, for chaining.
    """
    raise NotImplementedError("half_float_network: not implemented yet — book §8.3.4, exercises/half_precision.py")


def accuracy_half(network, x, t, batch_size=100):
    """Accuracy with the inputs cast to float16, computed in batches (book §8.3.4).

    Call half_float_network(network) first to reduce the parameters too.

    Args:
        network: object whose predict(x) gives (N, C) scores in inference mode.
        x: (N, ...) inputs, e.g. (N, 1, 28, 28) images.
        t: (N, C) one-hot targets or (N,) labels.
        batch_size: samples per predict call.

    Returns:
        accuracy: float in [0, 1].
    """
    raise NotImplementedError("accuracy_half: not implemented yet — book §8.3.4, exercises/half_precision.py")
