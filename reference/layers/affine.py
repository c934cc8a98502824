"""Fully connected (affine) layer with forward and backward passes (chapter 5)."""

import numpy as np

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
        # BEGIN SOLUTION
        self.W = W
        self.b = b
        self.x = None
        self.original_x_shape = None
        self.dW = None
        self.db = None
        # END SOLUTION

    def forward(self, x):
        """Affine forward pass, out = x·W + b (book §5.6.2).

        Args:
            x: (N, D) or (N, d1, ..., dk) with d1·…·dk = D (e.g. conv feature maps).

        Returns:
            out: (N, M).
        """
        # BEGIN SOLUTION
        # Remember the shape so dx can be handed back in it (a conv layer below
        # expects (N, C, H, W), not (N, C·H·W)).
        self.original_x_shape = x.shape
        self.x = x.reshape(x.shape[0], -1)
        return np.dot(self.x, self.W) + self.b
        # END SOLUTION

    def backward(self, dout):
        """Affine backward pass; sets ``dW`` and ``db`` (book §5.6.2).

        Args:
            dout: (N, M) upstream gradient.

        Returns:
            dx: gradient shaped like the forward input, (N, D) or (N, d1, ..., dk).
        """
        # BEGIN SOLUTION
        dx = np.dot(dout, self.W.T)
        self.dW = np.dot(self.x.T, dout)
        # b is broadcast over the batch, so its gradient sums over the batch.
        self.db = np.sum(dout, axis=0)
        return dx.reshape(self.original_x_shape)
        # END SOLUTION
