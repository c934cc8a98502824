"""im2col computing the output width from the input height (book §7.4.3)."""

import numpy as np

COMPONENT = "im2col"
MISTAKE = "§7.4.3: out_w = (H + 2·pad − FW)//stride + 1, a copy-paste of out_h: only right for square inputs"


def im2col(input_data, filter_h, filter_w, stride=1, pad=0):
    n, c, h, w = input_data.shape
    out_h = (h + 2 * pad - filter_h) // stride + 1
    out_w = (h + 2 * pad - filter_w) // stride + 1
    padded = np.pad(input_data, [(0, 0), (0, 0), (pad, pad), (pad, pad)])
    col = np.zeros((n * out_h * out_w, c * filter_h * filter_w))
    row = 0
    for i in range(n):
        for oy in range(out_h):
            for ox in range(out_w):
                window = padded[i, :, oy * stride:oy * stride + filter_h, ox * stride:ox * stride + filter_w]
                col[row, :window.size] = window.ravel()
                row += 1
    return col


REPLACES = {"im2col": im2col}
