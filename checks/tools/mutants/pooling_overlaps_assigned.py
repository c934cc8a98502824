"""Pooling backward that assigns instead of adding where overlapping windows share a maximum (book §7.4.4)."""

import numpy as np

from reference import Pooling as _Pooling

COMPONENT = "Pooling"
MISTAKE = "§7.4.4: dx[argmax] = dout instead of += dout: with stride < pool size a pixel that is the max of two windows keeps one"


class Pooling(_Pooling):
    def backward(self, dout):
        # Scatters straight into the image instead of building dcol for col2im (which would add).
        n, channels, height, width = self.x.shape
        out_h, out_w = dout.shape[2:]
        # arg_max rows are ordered (n, oy, ox, c), as im2col's rows then its (c, ky, kx) columns
        ky, kx = np.divmod(self.arg_max.reshape(n, out_h, out_w, channels).transpose(0, 3, 1, 2), self.pool_w)
        rows = np.arange(out_h).reshape(1, 1, -1, 1) * self.stride + ky
        cols = np.arange(out_w).reshape(1, 1, 1, -1) * self.stride + kx
        images = np.arange(n).reshape(-1, 1, 1, 1)
        chans = np.arange(channels).reshape(1, -1, 1, 1)
        padded = np.zeros((n, channels, height + 2 * self.pad, width + 2 * self.pad))
        padded[images, chans, rows, cols] = dout  # the mistake: a repeated index keeps only one window's value
        return padded[:, :, self.pad:self.pad + height, self.pad:self.pad + width]


REPLACES = {"Pooling": Pooling}
