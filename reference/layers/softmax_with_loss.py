"""Output layer: softmax followed by the cross-entropy loss (chapter 5)."""

import numpy as np

from ..functions import cross_entropy_error, softmax

__all__ = ["SoftmaxWithLoss"]


class SoftmaxWithLoss:
    """Softmax and cross-entropy error as one layer, whose gradient is simply y - t (book §5.6.3)."""

    def __init__(self):
        """Create the layer; forward stores the loss, the probabilities and the targets (book §5.6.3)."""
        # BEGIN SOLUTION
        self.loss = None
        self.y = None
        self.t = None
        # END SOLUTION

    def forward(self, x, t):
        """Softmax of the scores, then the mean cross-entropy error (book §5.6.3).

        Args:
            x: (N, C) scores, or (C,) for one sample.
            t: (N, C) one-hot targets or (N,) integer labels (for one sample: (C,) or a scalar).

        Returns:
            loss: float, the mean loss over the batch.
        """
        # BEGIN SOLUTION
        self.t = np.asarray(t)
        self.y = softmax(x)
        self.loss = cross_entropy_error(self.y, self.t)
        return self.loss
        # END SOLUTION

    def backward(self, dout=1):
        """Gradient of the mean loss with respect to the scores, (y - t)·dout / N (book §5.6.3).

        Args:
            dout: upstream gradient of the loss, a number (1 when this is the last layer).

        Returns:
            dx: array shaped like the forward input x.
        """
        # BEGIN SOLUTION
        batch_size = self.y.shape[0] if self.y.ndim > 1 else 1
        if self.t.size == self.y.size:
            dx = self.y - self.t
        else:
            # Labels: subtract 1 at each sample's correct class, i.e. y - one_hot(t).
            dx = self.y.copy()
            rows = dx.reshape(-1, dx.shape[-1])  # a view, also for a single (C,) sample
            rows[np.arange(rows.shape[0]), self.t.reshape(-1)] -= 1
        # The loss is a mean over the batch, so each sample's gradient carries 1/N.
        return dx * dout / batch_size
        # END SOLUTION
