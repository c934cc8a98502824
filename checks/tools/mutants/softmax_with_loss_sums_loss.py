"""SoftmaxWithLoss whose forward sums the loss over the batch while backward divides by N (book §5.6.3)."""

import numpy as np

from reference import SoftmaxWithLoss as _SoftmaxWithLoss

COMPONENT = "SoftmaxWithLoss"
MISTAKE = "§5.6.3/§4.2.4: forward returns the batch's total loss, not its mean, so the gradient (/N) no longer matches"


class SoftmaxWithLoss(_SoftmaxWithLoss):
    def forward(self, x, t):
        return super().forward(x, t) * (np.shape(x)[0] if np.ndim(x) > 1 else 1)


REPLACES = {"SoftmaxWithLoss": SoftmaxWithLoss}
