"""Max pooling layer implemented with im2col, the book's method (chapter 7)."""

import numpy as np

from ..util import col2im, conv_output_size, im2col

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
        # BEGIN SOLUTION
        self.pool_h = pool_h
        self.pool_w = pool_w
        self.stride = stride
        self.pad = pad
        # Saved by forward for backward.
        self.x = None
        self.arg_max = None
        # END SOLUTION

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
        # BEGIN SOLUTION
        n, channels, height, width = x.shape
        out_h = conv_output_size(height, self.pool_h, self.stride, self.pad)
        out_w = conv_output_size(width, self.pool_w, self.stride, self.pad)
        col = im2col(x, self.pool_h, self.pool_w, self.stride, self.pad)  # (N·OH·OW, C·P)
        col = col.reshape(-1, self.pool_h * self.pool_w)  # (N·OH·OW·C, P)
        self.arg_max = np.argmax(col, axis=1)
        # np.max, like np.argmax, takes a NaN for the maximum.
        out = np.max(col, axis=1)
        self.x = x
        return out.reshape(n, out_h, out_w, channels).transpose(0, 3, 1, 2)
        # END SOLUTION

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
        # BEGIN SOLUTION
        pool_size = self.pool_h * self.pool_w
        dout = dout.transpose(0, 2, 3, 1)  # (N, OH, OW, C), the order of forward's rows
        dmax = np.zeros((dout.size, pool_size), dtype=dout.dtype)
        dmax[np.arange(self.arg_max.size), self.arg_max] = dout.ravel()
        dcol = dmax.reshape(-1, self.x.shape[1] * pool_size)  # (N·OH·OW, C·P)
        return col2im(dcol, self.x.shape, self.pool_h, self.pool_w, self.stride, self.pad)
        # END SOLUTION
