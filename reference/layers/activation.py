"""Activation layers with forward and backward passes: ReLU and sigmoid (chapter 5)."""

import numpy as np

from ..functions import sigmoid

__all__ = ["Relu", "Sigmoid"]


class Relu:
    """ReLU layer, out = max(0, x); passes gradient only where x > 0 (book §5.5.1)."""

    def __init__(self):
        """Create the layer; forward stores where the input was <= 0 (book §5.5.1)."""
        # BEGIN SOLUTION
        self.mask = None
        # END SOLUTION

    def forward(self, x):
        """Zero the non-positive inputs (book §5.5.1).

        Args:
            x: array of any shape.

        Returns:
            out: array of the same shape and dtype as x; x itself is not modified.
        """
        # BEGIN SOLUTION
        # Book convention: x == 0 counts as "off", so output and gradient there are 0.
        # np.where writes the result in one pass (boolean-index assignment is ~25% slower).
        self.mask = x <= 0
        return np.where(self.mask, 0, x)
        # END SOLUTION

    def backward(self, dout):
        """Pass dout where the input was positive, 0 elsewhere (book §5.5.1).

        Args:
            dout: upstream gradient, shaped like the forward input.

        Returns:
            dx: new array shaped like dout; dout itself is not modified.
        """
        # BEGIN SOLUTION
        # The book zeroes dout in place; a new array keeps the caller's intact.
        return np.where(self.mask, 0, dout)
        # END SOLUTION


class Sigmoid:
    """Sigmoid layer, out = 1 / (1 + exp(-x)) (book §5.5.2)."""

    def __init__(self):
        """Create the layer; forward stores its output, which backward reuses (book §5.5.2)."""
        # BEGIN SOLUTION
        self.out = None
        # END SOLUTION

    def forward(self, x):
        """Apply the sigmoid element-wise and remember the output (book §5.5.2).

        Args:
            x: array of any shape.

        Returns:
            out: array of the same shape as x, values in [0, 1].
        """
        # BEGIN SOLUTION
        self.out = sigmoid(x)
        return self.out
        # END SOLUTION

    def backward(self, dout):
        """Gradient through the sigmoid, dout·y·(1 - y) with y the forward output (book §5.5.2).

        Args:
            dout: upstream gradient, shaped like the forward input.

        Returns:
            dx: array shaped like dout.
        """
        # BEGIN SOLUTION
        return dout * (1.0 - self.out) * self.out
        # END SOLUTION
