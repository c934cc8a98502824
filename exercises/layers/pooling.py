# Generated from reference/layers/pooling.py by `make exercises`. Your exercise: replace each
# `raise NotImplementedError(...)` below with your own code; `make exercises` never overwrites your edits.
"""Max pooling layer (chapter 7)."""

import numpy as np

from ..util import conv_output_size

__all__ = ["Pooling"]


class Pooling:
    """Max pooling over pool_h × pool_w windows, channel by channel (book §7.4.4).

    Computes what the book's im2col formulation computes: the maximum of each
    window, and in backward the window's gradient routed to its first maximum in
    (ky, kx) order, the element np.argmax picks on the flattened window (NaN
    counting as the maximum, as in np.argmax). Instead of unrolling the windows it
    sweeps the pool_h·pool_w offsets inside a window: each offset is one strided
    view of the input, so no window matrix is built. As in im2col, padding adds zeros.

    Note the book's default stride is 1; its networks pass stride=2 for 2×2 pooling.
    """

    def __init__(self, pool_h, pool_w, stride=1, pad=0):
        """Create the layer (book §7.4.4).

        Args:
            pool_h, pool_w: window size.
            stride: step between windows.
            pad: zeros added on each side of H and W.
        """
        raise NotImplementedError("Pooling.__init__: not implemented yet — book §7.4.4, exercises/layers/pooling.py")

    def _offset_views(self, images, out_h, out_w):
        """Views [n, c, oy, ox] -> images[n, c, oy·stride + ky, ox·stride + kx], in (ky, kx) order (book §7.4.4)."""
        raise NotImplementedError("Pooling._offset_views: not implemented yet — book §7.4.4, exercises/layers/pooling.py")

    def forward(self, x):
        """Maximum of each window (book §7.4.4).

        Args:
            x: (N, C, H, W) images.

        Returns:
            out: (N, C, OH, OW), OH = (H + 2·pad - pool_h) // stride + 1, OW likewise.
        """
        raise NotImplementedError("Pooling.forward: not implemented yet — book §7.4.4, exercises/layers/pooling.py")

    def backward(self, dout):
        """Route each window's gradient to the position of its maximum (book §7.4.4).

        The position is the first offset, in (ky, kx) order, holding the window's
        maximum (for a NaN maximum, the first NaN). Where windows overlap
        (stride < pool size), a pixel that is the maximum of several windows
        receives the sum of their gradients.

        Args:
            dout: (N, C, OH, OW) upstream gradient.

        Returns:
            dx: (N, C, H, W), zero except at the maxima.
        """
        raise NotImplementedError("Pooling.backward: not implemented yet — book §7.4.4, exercises/layers/pooling.py")
