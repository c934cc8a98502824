# Generated from reference/layers/activation.py by `make exercises`. Your exercise: replace each
# `raise NotImplementedError(...)` below with your own code; `make exercises` never overwrites your edits.
"""Activation layers with forward and backward passes: ReLU and sigmoid (chapter 5)."""

import numpy as np

from ..functions import sigmoid
from .._messages import not_implemented

__all__ = ["Relu", "Sigmoid"]


class Relu:
    """ReLU layer, out = max(0, x); passes gradient only where x > 0 (book §5.5.1)."""

    def __init__(self):
        """Create the layer; forward stores where the input was <= 0 (book §5.5.1)."""
        raise NotImplementedError(not_implemented("Relu.__init__", "§5.5.1", "exercises/layers/activation.py"))

    def forward(self, x):
        """Zero the non-positive inputs (book §5.5.1).

        Args:
            x: array of any shape.

        Returns:
            out: array of the same shape and dtype as x; x itself is not modified.
        """
        raise NotImplementedError(not_implemented("Relu.forward", "§5.5.1", "exercises/layers/activation.py"))

    def backward(self, dout):
        """Pass dout where the input was positive, 0 elsewhere (book §5.5.1).

        Args:
            dout: upstream gradient, shaped like the forward input.

        Returns:
            dx: new array shaped like dout; dout itself is not modified.
        """
        raise NotImplementedError(not_implemented("Relu.backward", "§5.5.1", "exercises/layers/activation.py"))


class Sigmoid:
    """Sigmoid layer, out = 1 / (1 + exp(-x)) (book §5.5.2)."""

    def __init__(self):
        """Create the layer; forward stores its output, which backward reuses (book §5.5.2)."""
        raise NotImplementedError(not_implemented("Sigmoid.__init__", "§5.5.2", "exercises/layers/activation.py"))

    def forward(self, x):
        """Apply the sigmoid element-wise and remember the output (book §5.5.2).

        Args:
            x: array of any shape.

        Returns:
            out: array of the same shape as x, values in [0, 1].
        """
        raise NotImplementedError(not_implemented("Sigmoid.forward", "§5.5.2", "exercises/layers/activation.py"))

    def backward(self, dout):
        """Gradient through the sigmoid, dout·y·(1 - y) with y the forward output (book §5.5.2).

        Args:
            dout: upstream gradient, shaped like the forward input.

        Returns:
            dx: array shaped like dout.
        """
        raise NotImplementedError(not_implemented("Sigmoid.backward", "§5.5.2", "exercises/layers/activation.py"))
