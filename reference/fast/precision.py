"""A network's parameters in another floating-point type, for float32 training runs (not in the book).

The book computes in float64 throughout, and so does everything here by default
(the pinned accuracies and every check are float64). For long training runs a
report may choose float32: the matrix products then run about twice as fast and the
element-wise passes move half the bytes. ``cast_network(network, np.float32)`` casts
each parameter once (the initial values drawn by the book's constructor, rounded)
and rebinds the layers to the new arrays; the optimizers keep their state in the
parameters' dtype and the inputs must be cast by the caller (once, e.g. the whole
training set).
"""

import numpy as np

__all__ = ["cast_network"]


def cast_network(network, dtype):
    """Replace every array of ``network.params`` by a copy of dtype `dtype`, and point the layers at the copies.

    Each layer whose ``W`` / ``b`` is one of the old parameter arrays gets the new
    one, so the layers, ``params`` and an optimizer's in-place updates share them
    again. float64 (the default dtype) changes nothing.

    Args:
        network: a network with a ``params`` dict and ``layers`` (a list or dict).
        dtype: the floating-point type, e.g. np.float32.

    Returns:
        network: the same object.
    """
    dtype = np.dtype(dtype)
    if not np.issubdtype(dtype, np.floating):
        raise ValueError(f"cast_network needs a floating-point dtype, got {dtype}")
    replaced = {}
    for key, array in list(network.params.items()):
        if array.dtype != dtype:
            network.params[key] = array.astype(dtype)
            replaced[id(array)] = network.params[key]
    layers = getattr(network, "layers", ())
    for layer in (layers.values() if isinstance(layers, dict) else layers):
        for name in ("W", "b"):
            new = replaced.get(id(getattr(layer, name, None)))
            if new is not None:
                setattr(layer, name, new)
    return network
