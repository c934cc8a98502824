"""Convolution backward summing db over the output positions but not over the batch (book §7.4.3)."""

import numpy as np

from reference import Convolution as _Convolution
from reference import col2im

COMPONENT = "Convolution"
MISTAKE = "§7.4.3: db = dout.sum(axis=(2, 3)), shape (N, FN): the bias is shared by every image, so sum over axis 0 too"


class Convolution(_Convolution):
    def backward(self, dout):
        n_filters, _, filter_h, filter_w = self.W.shape
        self.db = dout.sum(axis=(2, 3))  # the mistake: the batch axis is kept
        dout = dout.transpose(0, 2, 3, 1).reshape(-1, n_filters)
        self.dW = np.dot(self.col.T, dout).transpose(1, 0).reshape(self.W.shape)
        dcol = np.dot(dout, self.col_W.T)
        return col2im(dcol, self.x.shape, filter_h, filter_w, self.stride, self.pad)


REPLACES = {"Convolution": Convolution}
