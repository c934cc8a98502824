"""SoftmaxWithLoss backward written for one-hot targets only (book §5.6.3)."""

import numpy as np

from reference import SoftmaxWithLoss as _SoftmaxWithLoss
from reference import softmax

COMPONENT = "SoftmaxWithLoss"
MISTAKE = "§5.6.3: backward returns (y − t)/N for every t, wrong (or crashing) when t holds integer labels"


class SoftmaxWithLoss(_SoftmaxWithLoss):
    def forward(self, x, t):
        self.probabilities, self.targets = softmax(x), np.asarray(t)
        return super().forward(x, t)

    def backward(self, dout=1):
        return (self.probabilities - self.targets) / self.probabilities.shape[0]


REPLACES = {"SoftmaxWithLoss": SoftmaxWithLoss}
