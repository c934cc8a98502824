"""Convolution backward reshaping the (C·FH·FW, FN) filter gradient without transposing it first (book §7.4.3)."""

import numpy as np

from reference import Convolution as _Convolution
from reference import col2im

COMPONENT = "Convolution"
MISTAKE = "§7.4.3: dW = (col.T @ dout_rows).reshape(FN, C, FH, FW), missing .transpose(1, 0) before the reshape"


class Convolution(_Convolution):
    def backward(self, dout):
        n_filters, channels, filter_h, filter_w = self.W.shape
        dout = dout.transpose(0, 2, 3, 1).reshape(-1, n_filters)  # (N·OH·OW, FN)
        self.db = np.sum(dout, axis=0)
        # the mistake: (C·FH·FW, FN) reshaped straight to (FN, C, FH, FW)
        self.dW = np.dot(self.col.T, dout).reshape(n_filters, channels, filter_h, filter_w)
        dcol = np.dot(dout, self.col_W.T)
        return col2im(dcol, self.x.shape, filter_h, filter_w, self.stride, self.pad)


REPLACES = {"Convolution": Convolution}
