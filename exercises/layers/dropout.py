# Generated from reference/layers/dropout.py by `make exercises`. Your exercise: replace each
# `raise NotImplementedError(...)` below with your own code; `make exercises` never overwrites your edits.
"""Dropout layer: random units silenced while training, outputs scaled at test time (chapter 6)."""

import numpy as np
from .._messages import not_implemented

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
        raise NotImplementedError(not_implemented("Dropout.__init__", "§6.4.3", "exercises/layers/dropout.py"))

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
        raise NotImplementedError(not_implemented("Dropout.forward", "§6.4.3", "exercises/layers/dropout.py"))

    def backward(self, dout):
        """Pass dout through the units kept by the last training forward (book §6.4.3).

        Args:
            dout: upstream gradient, shaped like the forward input.

        Returns:
            dx: array shaped like dout, zero where units were dropped.
        """
        raise NotImplementedError(not_implemented("Dropout.backward", "§6.4.3", "exercises/layers/dropout.py"))
