"""Pooling whose argmax indexes the window column by column while backward decodes it row by row (book §7.4.4)."""

import numpy as np

from reference import Pooling as _Pooling
from reference import im2col

COMPONENT = "Pooling"
MISTAKE = "§7.4.4: argmax of the window flattened in column order (kx·pool_h + ky), decoded as row order (ky·pool_w + kx)"


class Pooling(_Pooling):
    def forward(self, x):
        n, channels, height, width = x.shape
        out_h = (height + 2 * self.pad - self.pool_h) // self.stride + 1
        out_w = (width + 2 * self.pad - self.pool_w) // self.stride + 1
        col = im2col(x, self.pool_h, self.pool_w, self.stride, self.pad).reshape(-1, self.pool_h, self.pool_w)
        # the mistake: the window is read column by column before the argmax (backward reads it row by row)
        self.arg_max = np.argmax(col.transpose(0, 2, 1).reshape(len(col), -1), axis=1)
        out = np.max(col.reshape(len(col), -1), axis=1)
        self.x = x
        return out.reshape(n, out_h, out_w, channels).transpose(0, 3, 1, 2)


REPLACES = {"Pooling": Pooling}
