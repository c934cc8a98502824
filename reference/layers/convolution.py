"""Convolution layer implemented with im2col, the book's method (chapter 7)."""

import numpy as np

from ..util import col2im, conv_output_size, im2col

__all__ = ["Convolution"]


class Convolution:
    """Convolution of a batch of images with FN filters, plus a bias per filter (book §7.4.3).

    Forward unrolls every filter-sized window of the batch into one row with im2col,
    so the whole convolution is one matrix product with the filters flattened to
    columns; backward runs the same product's gradients and folds the windows'
    gradient back into images with col2im. ``W`` and ``b`` are the very arrays passed
    in (shared with the network's params, updated in place by optimizers).

    Attributes:
        W: (FN, C, FH, FW) filters. b: (FN,) biases.
        dW, db: gradients set by backward, shaped like W and b.
    """

    def __init__(self, W, b, stride=1, pad=0):
        """Create the layer on the given filters (book §7.4.3).

        Args:
            W: (FN, C, FH, FW) filters.
            b: (FN,) biases.
            stride: step between windows.
            pad: zeros added on each side of H and W.
        """
        # BEGIN SOLUTION
        self.W = W
        self.b = b
        self.stride = stride
        self.pad = pad
        # Saved by forward for backward.
        self.x = None
        self.col = None
        self.col_W = None
        self.dW = None
        self.db = None
        # END SOLUTION

    def forward(self, x):
        """Convolve: out[n, f] = Σ_c W[f, c] ⋆ x[n, c] + b[f] (book §7.4.3).

        With K = C·FH·FW: col = im2col(x) is (N·OH·OW, K), one window per row; the
        filters reshaped to (FN, K) and transposed are (K, FN); their product plus b is
        (N·OH·OW, FN), one output pixel per row and one filter per column, which is
        reshaped to (N, OH, OW, FN) and its filter axis moved to second place.

        Args:
            x: (N, C, H, W) images.

        Returns:
            out: (N, FN, OH, OW), OH = (H + 2·pad - FH) // stride + 1, OW likewise.
        """
        # BEGIN SOLUTION
        n_filters, _, filter_h, filter_w = self.W.shape
        n, _, height, width = x.shape
        out_h = conv_output_size(height, filter_h, self.stride, self.pad)
        out_w = conv_output_size(width, filter_w, self.stride, self.pad)
        col = im2col(x, filter_h, filter_w, self.stride, self.pad)  # (N·OH·OW, K)
        col_W = self.W.reshape(n_filters, -1).T  # (K, FN)
        out = np.dot(col, col_W) + self.b  # (N·OH·OW, FN)
        # Rows run (n, oy, ox): split them, then put the filter axis after the batch axis.
        out = out.reshape(n, out_h, out_w, n_filters).transpose(0, 3, 1, 2)
        self.x, self.col, self.col_W = x, col, col_W
        return out
        # END SOLUTION

    def backward(self, dout):
        """Gradients of the convolution; sets dW and db (book §7.4.3).

        The forward product's gradients, with dout reshaped to the (N·OH·OW, FN)
        layout of the product: db sums it over rows, dW is col.T @ dout as
        (K, FN) transposed back to the filters' shape, and the windows' gradient
        dcol = dout @ col_W.T, (N·OH·OW, K), is folded back into images by col2im,
        which adds up the pixels that several windows share.

        Args:
            dout: (N, FN, OH, OW) upstream gradient.

        Returns:
            dx: (N, C, H, W), gradient for the input images.
        """
        # BEGIN SOLUTION
        n_filters, _, filter_h, filter_w = self.W.shape
        dout = dout.transpose(0, 2, 3, 1).reshape(-1, n_filters)  # (N·OH·OW, FN)
        self.db = np.sum(dout, axis=0)
        self.dW = np.dot(self.col.T, dout).transpose(1, 0).reshape(self.W.shape)
        dcol = np.dot(dout, self.col_W.T)  # (N·OH·OW, K)
        return col2im(dcol, self.x.shape, filter_h, filter_w, self.stride, self.pad)
        # END SOLUTION
