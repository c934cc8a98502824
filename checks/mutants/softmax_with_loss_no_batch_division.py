"""SoftmaxWithLoss backward that forgets to divide by the batch size (book §5.6.3)."""

import numpy as np

from reference import SoftmaxWithLoss as _SoftmaxWithLoss

COMPONENT = "SoftmaxWithLoss"
MISTAKE = "backward returns y − t without dividing by the batch size"


class SoftmaxWithLoss(_SoftmaxWithLoss):
    def backward(self, dout=1):
        return super().backward(dout) * np.shape(self.y)[0]


REPLACES = {"SoftmaxWithLoss": SoftmaxWithLoss}
