# Generated from reference/neuralnet.py by `make exercises`. Your exercise: replace each
# `raise NotImplementedError(...)` below with your own code; `make exercises` never overwrites your edits.
"""Inference with the book's three-layer sigmoid network on MNIST (chapter 3).

The network is a dict of weights such as the book's ``sample_weight.pkl``
(784-50-100-10): ``W1`` (784, 50), ``b1`` (50,), ``W2`` (50, 100), ``b2`` (100,),
``W3`` (100, 10), ``b3`` (10,). Loading it is the job of ``data/``.
"""

import numpy as np

from .functions import sigmoid, softmax
from ._messages import not_implemented

__all__ = ["predict"]


def predict(network, x):
    """Forward pass of the three-layer network: affine-sigmoid twice, then affine-softmax (book §3.6.2).

    The same code handles one image and a batch (book §3.6.3): a (784,) input gives
    (10,) probabilities, an (N, 784) input gives (N, 10).

    Args:
        network: dict with W1, b1, W2, b2, W3, b3 (shapes as in the module docstring).
        x: (784,) one flattened image, or (N, 784) a batch of them.

    Returns:
        y: (10,) or (N, 10) class probabilities.
    """
    raise NotImplementedError(not_implemented("predict", "§3.6.2", "exercises/neuralnet.py"))
