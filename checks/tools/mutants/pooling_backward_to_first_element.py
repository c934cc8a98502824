"""Pooling backward that always routes a window's gradient to its top-left element (book §7.4.4)."""

import numpy as np

from reference import Pooling as _Pooling
from reference import col2im

COMPONENT = "Pooling"
MISTAKE = "§7.4.4: backward puts dout at index 0 of every window instead of at the argmax stored by forward"


class Pooling(_Pooling):
    def backward(self, dout):
        pool_size = self.pool_h * self.pool_w
        dout = dout.transpose(0, 2, 3, 1)
        dmax = np.zeros((dout.size, pool_size))
        dmax[:, 0] = dout.ravel()  # the mistake: column 0 instead of self.arg_max
        dcol = dmax.reshape(-1, self.x.shape[1] * pool_size)
        return col2im(dcol, self.x.shape, self.pool_h, self.pool_w, self.stride, self.pad)


REPLACES = {"Pooling": Pooling}
