"""Convolution backward summing db over the output positions but not over the batch (book §7.4.3)."""

from reference import Convolution as _Convolution

COMPONENT = "Convolution"
MISTAKE = "§7.4.3: db = dout.sum(axis=(2, 3)), shape (N, FN): the bias is shared by every image, so sum over axis 0 too"


class Convolution(_Convolution):
    def backward(self, dout):
        dx = super().backward(dout)
        self.db = dout.sum(axis=(2, 3))
        return dx


REPLACES = {"Convolution": Convolution}
