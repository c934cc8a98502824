"""Pooling whose argmax indexes the window column by column while backward decodes it row by row (book §7.4.4)."""

import numpy as np

from reference import Pooling as _Pooling
from reference import col2im, im2col

COMPONENT = "Pooling"
MISTAKE = "§7.4.4: argmax of the window flattened in column order (kx·pool_h + ky), decoded as row order (ky·pool_w + kx)"


class Pooling(_Pooling):
    def forward(self, x):
        n, channels, height, width = x.shape
        out_h = (height + 2 * self.pad - self.pool_h) // self.stride + 1
        out_w = (width + 2 * self.pad - self.pool_w) // self.stride + 1
        windows = im2col(x, self.pool_h, self.pool_w, self.stride, self.pad).reshape(-1, self.pool_h, self.pool_w)
        self.input_shape = x.shape
        # the mistake: the window is read column by column before taking the argmax
        self.argmax = windows.transpose(0, 2, 1).reshape(len(windows), -1).argmax(axis=1)
        out = windows.reshape(len(windows), -1).max(axis=1)
        return out.reshape(n, out_h, out_w, channels).transpose(0, 3, 1, 2)

    def backward(self, dout):
        size = self.pool_h * self.pool_w
        dmax = np.zeros((dout.size, size))
        dmax[np.arange(dout.size), self.argmax] = dout.transpose(0, 2, 3, 1).ravel()
        dcol = dmax.reshape(-1, self.input_shape[1] * size)
        return col2im(dcol, self.input_shape, self.pool_h, self.pool_w, self.stride, self.pad)


REPLACES = {"Pooling": Pooling}
