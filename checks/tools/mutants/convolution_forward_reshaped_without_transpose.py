"""Convolution forward reshaping the (N·OH·OW, FN) product straight to (N, FN, OH, OW) (book §7.4.3)."""

import numpy as np

from reference import Convolution as _Convolution
from reference import im2col

COMPONENT = "Convolution"
MISTAKE = "§7.4.3: out.reshape(N, FN, OH, OW) instead of reshape(N, OH, OW, FN).transpose(0, 3, 1, 2): values scrambled"


class Convolution(_Convolution):
    def forward(self, x):
        n_filters, _, filter_h, filter_w = self.W.shape
        n, _, height, width = x.shape
        out_h = (height + 2 * self.pad - filter_h) // self.stride + 1
        out_w = (width + 2 * self.pad - filter_w) // self.stride + 1
        col = im2col(x, filter_h, filter_w, self.stride, self.pad)
        col_W = self.W.reshape(n_filters, -1).T
        out = np.dot(col, col_W) + self.b  # (N·OH·OW, FN)
        self.x, self.col, self.col_W = x, col, col_W
        return out.reshape(n, n_filters, out_h, out_w)  # the mistake: rows are (n, oy, ox), columns filters


REPLACES = {"Convolution": Convolution}
