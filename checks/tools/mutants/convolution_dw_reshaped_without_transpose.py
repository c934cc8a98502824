"""Convolution backward reshaping the (C·FH·FW, FN) filter gradient without transposing it first (book §7.4.3)."""

import numpy as np

from reference import Convolution as _Convolution
from reference import im2col

COMPONENT = "Convolution"
MISTAKE = "§7.4.3: dW = (col.T @ dout_rows).reshape(FN, C, FH, FW), missing .transpose(1, 0) before the reshape"


class Convolution(_Convolution):
    def forward(self, x):
        self.input_seen = x
        return super().forward(x)

    def backward(self, dout):
        dx = super().backward(dout)
        n_filters, channels, filter_h, filter_w = self.W.shape
        col = im2col(self.input_seen, filter_h, filter_w, self.stride, self.pad)  # (N·OH·OW, C·FH·FW)
        dout_rows = dout.transpose(0, 2, 3, 1).reshape(-1, n_filters)  # (N·OH·OW, FN)
        self.dW = np.dot(col.T, dout_rows).reshape(n_filters, channels, filter_h, filter_w)
        return dx


REPLACES = {"Convolution": Convolution}
