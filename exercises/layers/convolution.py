# Generated from reference/layers/convolution.py by `make exercises`. Your exercise: replace each
# `raise NotImplementedError(...)` below with your own code; `make exercises` never overwrites your edits.
"""Convolution layer implemented with im2col, the book's method (chapter 7)."""

import numpy as np

from ..util import col2im, conv_output_size, im2col
from .._messages import not_implemented

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
        raise NotImplementedError(not_implemented("Convolution.__init__", "§7.4.3", "exercises/layers/convolution.py"))

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
        raise NotImplementedError(not_implemented("Convolution.forward", "§7.4.3", "exercises/layers/convolution.py"))

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
        raise NotImplementedError(not_implemented("Convolution.backward", "§7.4.3", "exercises/layers/convolution.py"))
