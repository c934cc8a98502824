"""col2im that assigns each window back instead of adding it (book §7.4.3)."""

import numpy as np

COMPONENT = "col2im"
MISTAKE = "§7.4.3: img[..., window] = col_row instead of +=: where windows overlap (stride < filter) only the last one survives"


def col2im(col, input_shape, filter_h, filter_w, stride=1, pad=0):
    n, c, h, w = input_shape
    out_h = (h + 2 * pad - filter_h) // stride + 1
    out_w = (w + 2 * pad - filter_w) // stride + 1
    img = np.zeros((n, c, h + 2 * pad, w + 2 * pad))
    row = 0
    for i in range(n):
        for oy in range(out_h):
            for ox in range(out_w):
                img[i, :, oy * stride:oy * stride + filter_h, ox * stride:ox * stride + filter_w] = \
                    col[row].reshape(c, filter_h, filter_w)
                row += 1
    return img[:, :, pad:pad + h, pad:pad + w]


REPLACES = {"col2im": col2im}
