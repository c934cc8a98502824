"""SoftmaxWithLoss whose loss is shifted by a constant, its backward unchanged (book §5.6.3)."""

from reference import SoftmaxWithLoss as _SoftmaxWithLoss

COMPONENT = "SoftmaxWithLoss"
MISTAKE = ("§5.6.3: forward returns the cross-entropy + 1 (a constant has no gradient, so backward's (y − t)/N "
           "still matches its central differences)")


class SoftmaxWithLoss(_SoftmaxWithLoss):
    def forward(self, x, t):
        return super().forward(x, t) + 1.0


REPLACES = {"SoftmaxWithLoss": SoftmaxWithLoss}
