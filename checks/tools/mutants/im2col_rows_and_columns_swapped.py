"""im2col returning the transposed matrix, one column per window (book §7.4.3)."""

import numpy as np

COMPONENT = "im2col"
MISTAKE = ("§7.4.3: returns (C·FH·FW, N·OH·OW), one column per window (the layout of CS231n's im2col_indices), "
           "instead of the book's one row per window")


def im2col(input_data, filter_h, filter_w, stride=1, pad=0):
    n, c, h, w = input_data.shape
    out_h = (h + 2 * pad - filter_h) // stride + 1
    out_w = (w + 2 * pad - filter_w) // stride + 1
    padded = np.pad(input_data, [(0, 0), (0, 0), (pad, pad), (pad, pad)])
    columns = [padded[i, :, oy * stride:oy * stride + filter_h, ox * stride:ox * stride + filter_w].ravel()
               for i in range(n) for oy in range(out_h) for ox in range(out_w)]
    return np.stack(columns, axis=1)


REPLACES = {"im2col": im2col}
