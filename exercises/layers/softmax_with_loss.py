# Generated from reference/layers/softmax_with_loss.py by `make exercises`. Your exercise: replace each
# `raise NotImplementedError(...)` below with your own code; `make exercises` never overwrites your edits.
"""Output layer: softmax followed by the cross-entropy loss (chapter 5)."""

import numpy as np

from ..functions import cross_entropy_error, softmax
from .._messages import not_implemented

__all__ = ["SoftmaxWithLoss"]


class SoftmaxWithLoss:
    """Softmax and cross-entropy error as one layer, whose gradient is simply y - t (book §5.6.3)."""

    def __init__(self):
        """Create the layer; forward stores the loss, the probabilities and the targets (book §5.6.3)."""
        raise NotImplementedError(not_implemented("SoftmaxWithLoss.__init__", "§5.6.3", "exercises/layers/softmax_with_loss.py"))

    def forward(self, x, t):
        """Softmax of the scores, then the mean cross-entropy error (book §5.6.3).

        Args:
            x: (N, C) scores, or (C,) for one sample.
            t: (N, C) one-hot targets or (N,) integer labels (for one sample: (C,) or a scalar).

        Returns:
            loss: float, the mean loss over the batch.
        """
        raise NotImplementedError(not_implemented("SoftmaxWithLoss.forward", "§5.6.3", "exercises/layers/softmax_with_loss.py"))

    def backward(self, dout=1):
        """Gradient of the mean loss with respect to the scores, (y - t)·dout / N (book §5.6.3).

        Args:
            dout: upstream gradient of the loss, a number (1 when this is the last layer).

        Returns:
            dx: array shaped like the forward input x.
        """
        raise NotImplementedError(not_implemented("SoftmaxWithLoss.backward", "§5.6.3", "exercises/layers/softmax_with_loss.py"))
