"""col2im that averages overlapping windows, an 'inverse' of im2col rather than its adjoint (book §7.4.3)."""

import numpy as np

COMPONENT = "col2im"
MISTAKE = "§7.4.3: divides each pixel by the number of windows covering it, so backward loses the overlapping gradients"


def col2im(col, input_shape, filter_h, filter_w, stride=1, pad=0):
    n, c, h, w = input_shape
    out_h = (h + 2 * pad - filter_h) // stride + 1
    out_w = (w + 2 * pad - filter_w) // stride + 1
    img = np.zeros((n, c, h + 2 * pad, w + 2 * pad))
    count = np.zeros_like(img)
    row = 0
    for i in range(n):
        for oy in range(out_h):
            for ox in range(out_w):
                window = (i, slice(None), slice(oy * stride, oy * stride + filter_h),
                          slice(ox * stride, ox * stride + filter_w))
                img[window] += col[row].reshape(c, filter_h, filter_w)
                count[window] += 1
                row += 1
    img = img / np.maximum(count, 1)
    return img[:, :, pad:pad + h, pad:pad + w]


REPLACES = {"col2im": col2im}
