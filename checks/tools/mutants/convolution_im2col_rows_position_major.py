"""Convolution whose im2col lists windows position-major, (out_y, out_x, image), not image-major (book §7.4.3)."""

import numpy as np

from reference import Convolution as _Convolution
from reference import im2col

COMPONENT = "Convolution"
MISTAKE = ("§7.4.3: col.transpose(4, 5, 0, 1, 2, 3) instead of transpose(0, 4, 5, 1, 2, 3) in im2col: rows run "
           "(oy, ox, n), so reshape(N, OH, OW, FN) hands one image's outputs to another (right for one image)")


def _im2col_position_major(x, filter_h, filter_w, stride, pad):
    """The book's im2col with the rows of the windows in (oy, ox, n) order: the learner's mistake."""
    n = x.shape[0]
    col = im2col(x, filter_h, filter_w, stride, pad)  # rows (n, oy, ox)
    return col.reshape(n, -1, col.shape[1]).transpose(1, 0, 2).reshape(col.shape)


class Convolution(_Convolution):
    def forward(self, x):
        n_filters, _, filter_h, filter_w = self.W.shape
        n, _, height, width = x.shape
        out_h = (height + 2 * self.pad - filter_h) // self.stride + 1
        out_w = (width + 2 * self.pad - filter_w) // self.stride + 1
        col = _im2col_position_major(x, filter_h, filter_w, self.stride, self.pad)
        col_W = self.W.reshape(n_filters, -1).T
        out = np.dot(col, col_W) + self.b
        self.x, self.col, self.col_W = x, col, col_W
        return out.reshape(n, out_h, out_w, n_filters).transpose(0, 3, 1, 2)


REPLACES = {"Convolution": Convolution}
