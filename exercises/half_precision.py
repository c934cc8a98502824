# Generated from reference/half_precision.py by `make exercises`. Your exercise: replace each
# `raise NotImplementedError(...)` below with your own code; `make exercises` never overwrites your edits.
"""Inference with 16-bit floating point numbers (chapter 8).

The book's ch08/half_float_network.py shows that a trained network barely loses
accuracy when its parameters and inputs are reduced to 16-bit floats (book §8.3.4).
As in that script, values are rounded to float16 and stored back in the existing
arrays, so the arithmetic itself stays in float64: NumPy has no fast float16
matrix product, and the point of the experiment is the precision of the numbers a
network needs to store and move, not float16 arithmetic.

Use: ``half_float_network(network)``, then the network's own ``accuracy`` on float16 inputs,
``network.accuracy(x_test.astype(np.float16), t_test)``, as that script does.
"""

import numpy as np
from ._messages import not_implemented

__all__ = ["half_float_network"]

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
    raise NotImplementedError(not_implemented("half_float_network", "§8.3.4", "exercises/half_precision.py"))
