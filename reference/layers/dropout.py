"""Dropout layer: random units silenced while training, outputs scaled at test time (chapter 6)."""

import numpy as np

__all__ = ["Dropout"]


class Dropout:
    """Dropout, the book's non-inverted form (book §6.4.3).

    Training: each unit is kept with probability 1 - dropout_ratio, out = x·mask.
    Test: every unit is kept and out = x·(1 - dropout_ratio), the expected value of
    the training output, so later layers see activations of the same scale. (Inverted
    dropout, common elsewhere, divides by 1 - ratio while training instead.)
    """

    def __init__(self, dropout_ratio=0.5):
        """Create the layer; forward draws and stores the mask (book §6.4.3).

        Args:
            dropout_ratio: probability that a unit is dropped while training.
        """
        # BEGIN SOLUTION
        self.dropout_ratio = dropout_ratio
        self.mask = None
        # END SOLUTION

    def forward(self, x, train_flg=True):
        """Drop units at random (training) or scale all of them (test) (book §6.4.3).

        The mask comes from ``np.random.rand`` (NumPy's global generator, like the
        book), one draw of x's shape per training call, so seeding np.random fixes it.

        Args:
            x: array of any shape, e.g. (N, D).
            train_flg: True while training, False for inference.

        Returns:
            out: array of the same shape as x.
        """
        # BEGIN SOLUTION
        if train_flg:
            self.mask = np.random.rand(*x.shape) > self.dropout_ratio
            return x * self.mask
        return x * (1.0 - self.dropout_ratio)
        # END SOLUTION

    def backward(self, dout):
        """Pass dout through the units kept by the last training forward (book §6.4.3).

        Args:
            dout: upstream gradient, shaped like the forward input.

        Returns:
            dx: array shaped like dout, zero where units were dropped.
        """
        # BEGIN SOLUTION
        return dout * self.mask
        # END SOLUTION
