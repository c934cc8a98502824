"""SoftmaxWithLoss backward written for one-hot targets only (book §5.6.3)."""

from reference import SoftmaxWithLoss as _SoftmaxWithLoss

COMPONENT = "SoftmaxWithLoss"
MISTAKE = "§5.6.3: backward returns (y − t)/N for every t, wrong (or crashing) when t holds integer labels"


class SoftmaxWithLoss(_SoftmaxWithLoss):
    def backward(self, dout=1):
        batch_size = self.y.shape[0]
        return (self.y - self.t) / batch_size


REPLACES = {"SoftmaxWithLoss": SoftmaxWithLoss}
