# Generated from reference/layers/affine.py by `make exercises`. Your exercise: replace each
# `raise NotImplementedError(...)` below with your own code; `make exercises` never overwrites your edits.
"""Fully connected (affine) layer with forward and backward passes (chapter 5)."""

import numpy as np
from .._messages import not_implemented

__all__ = ["Affine"]


class Affine:
    """Affine layer, out = x·W + b, for batches of any input shape (book §5.6.2).

    ``W`` and ``b`` are kept as the very arrays passed in: a network shares them
    with its ``params`` dict, and optimizers update them in place.
    """

    def __init__(self, W, b):
        """Create the layer on the given parameters (book §5.6.2).

        Args:
            W: (D, M) weights.
            b: (M,) biases.
        """
        raise NotImplementedError(not_implemented("Affine.__init__", "§5.6.2", "exercises/layers/affine.py"))

    def forward(self, x):
        """Affine forward pass, out = x·W + b (book §5.6.2).

        Args:
            x: (N, D) or (N, d1, ..., dk) with d1·…·dk = D (e.g. conv feature maps).

        Returns:
            out: (N, M).
        """
        raise NotImplementedError(not_implemented("Affine.forward", "§5.6.2", "exercises/layers/affine.py"))

    def backward(self, dout):
        """Affine backward pass; sets ``dW`` and ``db`` (book §5.6.2).

        Args:
            dout: (N, M) upstream gradient.

        Returns:
            dx: gradient shaped like the forward input, (N, D) or (N, d1, ..., dk).
        """
        raise NotImplementedError(not_implemented("Affine.backward", "§5.6.2", "exercises/layers/affine.py"))
