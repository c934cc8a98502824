"""Batch Normalization layer (chapter 6)."""

import numpy as np

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
        # BEGIN SOLUTION
        self.gamma = gamma
        self.beta = beta
        self.momentum = momentum
        self.running_mean = running_mean
        self.running_var = running_var
        self.input_shape = None
        # Saved by a training forward for backward.
        self.batch_size = None
        self.xc = None
        self.xn = None
        self.std = None
        self.dgamma = None
        self.dbeta = None
        # END SOLUTION

    def forward(self, x, train_flg=True):
        """Normalize each feature, then scale by γ and shift by β (book §6.3.1).

        Args:
            x: (N, D) features, or (N, C, H, W) images (normalized as D = C·H·W).
            train_flg: True: batch statistics, running averages updated;
                False: running averages, nothing updated.

        Returns:
            out: array of x's shape.
        """
        # BEGIN SOLUTION
        self.input_shape = x.shape
        x = x.reshape(x.shape[0], -1)
        if self.running_mean is None:
            self.running_mean = np.zeros(x.shape[1])
            self.running_var = np.zeros(x.shape[1])
        if train_flg:
            mean = x.mean(axis=0)
            xc = x - mean
            var = np.mean(xc ** 2, axis=0)
            std = np.sqrt(var + _VARIANCE_EPSILON)
            xn = xc / std
            self.batch_size = x.shape[0]
            self.xc, self.xn, self.std = xc, xn, std
            self.running_mean = self.momentum * self.running_mean + (1 - self.momentum) * mean
            self.running_var = self.momentum * self.running_var + (1 - self.momentum) * var
        else:
            xn = (x - self.running_mean) / np.sqrt(self.running_var + _VARIANCE_EPSILON)
        out = self.gamma * xn + self.beta
        return out.reshape(self.input_shape)
        # END SOLUTION

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
        # BEGIN SOLUTION
        dout = dout.reshape(dout.shape[0], -1)
        self.dbeta = dout.sum(axis=0)
        self.dgamma = np.sum(self.xn * dout, axis=0)
        dxn = self.gamma * dout
        # xn = xc / std: the direct path, then the path through std = sqrt(var + eps).
        dxc = dxn / self.std
        dstd = -np.sum(dxn * self.xc / (self.std * self.std), axis=0)
        dvar = 0.5 * dstd / self.std
        # var = mean(xc²) over the batch.
        dxc += (2.0 / self.batch_size) * self.xc * dvar
        # xc = x - mean: every sample also moves the mean.
        dmean = np.sum(dxc, axis=0)
        dx = dxc - dmean / self.batch_size
        return dx.reshape(self.input_shape)
        # END SOLUTION
