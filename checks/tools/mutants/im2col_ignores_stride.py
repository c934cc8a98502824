"""im2col that starts every window one pixel after the previous, whatever the stride (book §7.4.3)."""

import numpy as np

COMPONENT = "im2col"
MISTAKE = "§7.4.3: window at padded[oy:oy+FH, ox:ox+FW] instead of [oy·stride:oy·stride+FH, …]: stride only sizes the output"


def im2col(input_data, filter_h, filter_w, stride=1, pad=0):
    n, c, h, w = input_data.shape
    out_h = (h + 2 * pad - filter_h) // stride + 1
    out_w = (w + 2 * pad - filter_w) // stride + 1
    padded = np.pad(input_data, [(0, 0), (0, 0), (pad, pad), (pad, pad)])
    rows = [padded[i, :, oy:oy + filter_h, ox:ox + filter_w].ravel()
            for i in range(n) for oy in range(out_h) for ox in range(out_w)]
    return np.array(rows)


REPLACES = {"im2col": im2col}
