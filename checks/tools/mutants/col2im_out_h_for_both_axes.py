"""col2im looping over out_h for both the rows and the columns of windows (book §7.4.3)."""

import numpy as np

COMPONENT = "col2im"
MISTAKE = "§7.4.3: for ox in range(out_h): the width loop reuses out_h, only right when out_h == out_w"


def col2im(col, input_shape, filter_h, filter_w, stride=1, pad=0):
    n, c, h, w = input_shape
    out_h = (h + 2 * pad - filter_h) // stride + 1
    img = np.zeros((n, c, h + 2 * pad, w + 2 * pad))
    row = 0
    for i in range(n):
        for oy in range(out_h):
            for ox in range(out_h):
                window = img[i, :, oy * stride:oy * stride + filter_h, ox * stride:ox * stride + filter_w]
                window += col[row].reshape(c, filter_h, filter_w)[:, :window.shape[1], :window.shape[2]]
                row += 1
    return img[:, :, pad:pad + h, pad:pad + w]


REPLACES = {"col2im": col2im}
