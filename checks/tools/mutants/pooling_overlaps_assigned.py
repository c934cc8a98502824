"""Pooling backward that assigns instead of adding where overlapping windows share a maximum (book §7.4.4)."""

import numpy as np

from reference import Pooling as _Pooling
from reference import im2col

COMPONENT = "Pooling"
MISTAKE = "§7.4.4: dx[argmax] = dout instead of += dout: with stride < pool size a pixel that is the max of two windows keeps one"


class Pooling(_Pooling):
    def forward(self, x):
        n, channels, height, width = x.shape
        windows = im2col(x, self.pool_h, self.pool_w, self.stride, self.pad).reshape(-1, self.pool_h * self.pool_w)
        self.input_shape = x.shape
        self.argmax = windows.argmax(axis=1)
        return super().forward(x)

    def backward(self, dout):
        n, channels, height, width = self.input_shape
        out_h, out_w = dout.shape[2:]
        # argmax rows are ordered (n, oy, ox, c), as im2col's rows then its (c, ky, kx) columns
        ky, kx = np.divmod(self.argmax.reshape(n, out_h, out_w, channels).transpose(0, 3, 1, 2), self.pool_w)
        rows = np.arange(out_h).reshape(1, 1, -1, 1) * self.stride + ky
        cols = np.arange(out_w).reshape(1, 1, 1, -1) * self.stride + kx
        images = np.arange(n).reshape(-1, 1, 1, 1)
        chans = np.arange(channels).reshape(1, -1, 1, 1)
        padded = np.zeros((n, channels, height + 2 * self.pad, width + 2 * self.pad))
        padded[images, chans, rows, cols] = dout  # assignment: a repeated index keeps only one window's value
        return padded[:, :, self.pad:self.pad + height, self.pad:self.pad + width]


REPLACES = {"Pooling": Pooling}
