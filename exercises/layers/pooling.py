# Generated from reference/layers/pooling.py by `make exercises`. Your exercise: replace each
# `raise NotImplementedError(...)` below with your own code; `make exercises` never overwrites your edits.
"""Max pooling layer implemented with im2col, the book's method (chapter 7)."""

import numpy as np

from ..util import col2im, conv_output_size, im2col
from .._messages import not_implemented

__all__ = ["Pooling"]


class Pooling:
    """Max pooling over pool_h × pool_w windows, channel by channel (book §7.4.4).

    Forward unrolls the windows with im2col, regroups them so that each row holds
    one channel of one window, and takes each row's maximum, remembering where it
    was (np.argmax: the first maximum in (ky, kx) order, a NaN counting as the
    maximum). Backward puts each window's gradient at that position of a window
    matrix of zeros and folds it back into images with col2im. As in im2col,
    padding adds zeros.

    Note the book's default stride is 1; its networks pass stride=2 for 2×2 pooling.
    """

    def __init__(self, pool_h, pool_w, stride=1, pad=0):
        """Create the layer (book §7.4.4).

        Args:
            pool_h, pool_w: window size.
            stride: step between windows.
            pad: zeros added on each side of H and W.
        """
        raise NotImplementedError(not_implemented("Pooling.__init__", "§7.4.4", "exercises/layers/pooling.py"))

    def forward(self, x):
        """Maximum of each window (book §7.4.4).

        With P = pool_h·pool_w: im2col(x) is (N·OH·OW, C·P), its columns ordered
        (c, ky, kx), so reshaped to (N·OH·OW·C, P) each row is one channel's window;
        the rows' maxima, (N·OH·OW·C,), are reshaped to (N, OH, OW, C) and the
        channel axis moved to second place.

        Args:
            x: (N, C, H, W) images.

        Returns:
            out: (N, C, OH, OW), OH = (H + 2·pad - pool_h) // stride + 1, OW likewise.
        """
        raise NotImplementedError(not_implemented("Pooling.forward", "§7.4.4", "exercises/layers/pooling.py"))

    def backward(self, dout):
        """Route each window's gradient to the position of its maximum (book §7.4.4).

        dout is laid out like forward's rows, (N, OH, OW, C) flattened; each value goes
        to its row's arg_max column of a zero (N·OH·OW·C, P) matrix, which reshaped to
        (N·OH·OW, C·P) is a window matrix that col2im folds back into images. Only the
        first maximum of a window gets the gradient (ties are not shared), and where
        windows overlap (stride < pool size) col2im adds their gradients.

        Args:
            dout: (N, C, OH, OW) upstream gradient.

        Returns:
            dx: (N, C, H, W), zero except at the maxima.
        """
        raise NotImplementedError(not_implemented("Pooling.backward", "§7.4.4", "exercises/layers/pooling.py"))
