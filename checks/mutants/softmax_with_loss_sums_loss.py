"""SoftmaxWithLoss whose forward sums the loss over the batch while backward divides by N (book §5.6.3)."""

from reference import SoftmaxWithLoss as _SoftmaxWithLoss

COMPONENT = "SoftmaxWithLoss"
MISTAKE = "§5.6.3/§4.2.4: forward returns the batch's total loss, not its mean, so the gradient (/N) no longer matches"


class SoftmaxWithLoss(_SoftmaxWithLoss):
    def forward(self, x, t):
        loss = super().forward(x, t)
        self.loss = loss * (self.y.shape[0] if self.y.ndim > 1 else 1)
        return self.loss


REPLACES = {"SoftmaxWithLoss": SoftmaxWithLoss}
