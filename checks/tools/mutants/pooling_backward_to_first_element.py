"""Pooling backward that always routes a window's gradient to its top-left element (book §7.4.4)."""

import numpy as np

from reference import Pooling as _Pooling

COMPONENT = "Pooling"
MISTAKE = "§7.4.4: backward puts dout at index 0 of every window instead of at the argmax stored by forward"


class Pooling(_Pooling):
    def forward(self, x):
        self.input_shape = x.shape
        return super().forward(x)

    def backward(self, dout):
        n, channels, height, width = self.input_shape
        out_h, out_w = dout.shape[2:]
        padded = np.zeros((n, channels, height + 2 * self.pad, width + 2 * self.pad))
        padded[:, :, :self.stride * (out_h - 1) + 1:self.stride, :self.stride * (out_w - 1) + 1:self.stride] += dout
        return padded[:, :, self.pad:self.pad + height, self.pad:self.pad + width]


REPLACES = {"Pooling": Pooling}
