# Generated from reference/layers/batch_normalization.py by `make exercises`. Your exercise: replace each
# `raise NotImplementedError(...)` below with your own code; `make exercises` never overwrites your edits.
"""Batch Normalization layer (chapter 6)."""

import numpy as np
from .._messages import not_implemented

__all__ = ["BatchNormalization"]

# The book's constant, written 10e-7 in its code: 1e-6, added to the variance so
# that a unit constant over the batch does not divide by zero.
_VARIANCE_EPSILON = 10e-7


class BatchNormalization:
    """Batch Normalization, out = γ·(x - μ)/√(σ² + ε) + β per feature (book §6.3.1).

    Training mode normalizes with the batch's mean and (biased) variance and moves
    the running averages toward them; test mode normalizes with the running averages
    and leaves them unchanged. Image batches (N, C, H, W) are normalized per
    feature C·H·W, as the book's layer does (not per channel as in conv-net BN).

    Attributes:
        gamma, beta: (D,) scale and shift, the arrays passed in (shared with params).
        running_mean, running_var: (D,) running averages; zeros until the first forward
            when not given.
        dgamma, dbeta: (D,) gradients set by backward.
    """

    def __init__(self, gamma, beta, momentum=0.9, running_mean=None, running_var=None):
        """Create the layer on the given parameters (book §6.3.1).

        Args:
            gamma: (D,) scale, usually ones.
            beta: (D,) shift, usually zeros.
            momentum: fraction of the running averages kept at each training forward.
            running_mean, running_var: (D,) initial running averages, or None.
        """
        raise NotImplementedError(not_implemented("BatchNormalization.__init__", "§6.3.1", "exercises/layers/batch_normalization.py"))

    def forward(self, x, train_flg=True):
        """Normalize each feature, then scale by γ and shift by β (book §6.3.1).

        Args:
            x: (N, D) features, or (N, C, H, W) images (normalized as D = C·H·W).
            train_flg: True: batch statistics, running averages updated;
                False: running averages, nothing updated.

        Returns:
            out: array of x's shape.
        """
        raise NotImplementedError(not_implemented("BatchNormalization.forward", "§6.3.1", "exercises/layers/batch_normalization.py"))

    def backward(self, dout):
        """Gradient through the batch-statistics normalization; sets dgamma, dbeta (book §6.3.1).

        Follows the computational graph of the training forward: the batch mean and
        variance depend on every sample, so each sample's dx gets terms from the
        whole batch. Valid after a training-mode forward.

        Args:
            dout: upstream gradient shaped like the forward input.

        Returns:
            dx: array shaped like the forward input.
        """
        raise NotImplementedError(not_implemented("BatchNormalization.backward", "§6.3.1", "exercises/layers/batch_normalization.py"))
