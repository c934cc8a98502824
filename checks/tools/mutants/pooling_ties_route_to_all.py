"""Pooling backward sending a window's gradient to every element equal to its maximum (book §7.4.4)."""

import numpy as np

from reference import Pooling as _Pooling
from reference import col2im, im2col

COMPONENT = "Pooling"
MISTAKE = "§7.4.4: backward uses the mask x == max, so tied maxima each get the full dout (the gradient is counted twice)"


class Pooling(_Pooling):
    def backward(self, dout):
        pool_size = self.pool_h * self.pool_w
        col = im2col(self.x, self.pool_h, self.pool_w, self.stride, self.pad).reshape(-1, pool_size)
        dout = dout.transpose(0, 2, 3, 1).reshape(-1, 1)
        # the mistake: a mask of the maxima instead of the one position np.argmax picked
        dmax = np.where(col == col.max(axis=1, keepdims=True), dout, 0.0)
        dcol = dmax.reshape(-1, self.x.shape[1] * pool_size)
        return col2im(dcol, self.x.shape, self.pool_h, self.pool_w, self.stride, self.pad)


REPLACES = {"Pooling": Pooling}
