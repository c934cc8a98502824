"""SoftmaxWithLoss backward that forgets to divide by the batch size (book §5.6.3)."""

import numpy as np

from reference import SoftmaxWithLoss as _SoftmaxWithLoss

COMPONENT = "SoftmaxWithLoss"
MISTAKE = "§5.6.3: backward returns y − t without dividing by the batch size"


class SoftmaxWithLoss(_SoftmaxWithLoss):
    def forward(self, x, t):
        self.batch_size = np.shape(x)[0] if np.ndim(x) > 1 else 1
        return super().forward(x, t)

    def backward(self, dout=1):
        return super().backward(dout) * self.batch_size


REPLACES = {"SoftmaxWithLoss": SoftmaxWithLoss}
