"""Pooling backward that assigns instead of adding where overlapping windows share a maximum (book §7.4.4)."""

import numpy as np

from reference import Pooling as _Pooling

COMPONENT = "Pooling"
MISTAKE = "§7.4.4: dx[argmax] = dout instead of += dout: with stride < pool size a pixel that is the max of two windows keeps one"


class Pooling(_Pooling):
    def backward(self, dout):
        n, channels, height, width = self.x.shape
        out_h, out_w = self.arg_max.shape[2:]
        padded = np.zeros((n, channels, height + 2 * self.pad, width + 2 * self.pad))
        for ky in range(self.pool_h):
            for kx in range(self.pool_w):
                view = padded[:, :, ky:ky + self.stride * (out_h - 1) + 1:self.stride,
                              kx:kx + self.stride * (out_w - 1) + 1:self.stride]
                chosen = self.arg_max == ky * self.pool_w + kx
                view[chosen] = dout[chosen]
        return padded[:, :, self.pad:self.pad + height, self.pad:self.pad + width]


REPLACES = {"Pooling": Pooling}
