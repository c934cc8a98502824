"""The tuned convolution: im2col a batch-slice at a time, so the window matrix stays in L3 (chapter 7).

Computes what ``reference.layers.Convolution`` (the book's §7.4.3 method, what a
learner writes) computes, up to the rounding of the matrix products' summation
order; checks/tests/reference/test_fast_layers.py holds the two together on every
conv layer of the book's networks. Learners never write this file and it is not
mirrored into ``exercises/``.
"""

import numpy as np

from ..layers.convolution import Convolution
from ..util import col2im, conv_output_size, im2col

__all__ = ["FastConvolution"]

# Images are unrolled a batch-slice at a time so that no window matrix holds more
# than this many numbers (8 MB in float64): the matrix then stays in the 32 MB L3
# cache between im2col writing it and the matrix product reading it (twice in
# backward). Unrolling a whole batch at once would build e.g. a 90 MB matrix for the
# second layer of DeepConvNet at batch size 100, streamed through main memory.
# Measured on the 2-core bench machine (CPU time, one BLAS thread): 1M numbers is
# 20-30% faster than 3M for DeepConvNet's conv2/conv4, and as fast as 512K; smaller
# slices pay the fixed cost of each matrix product call (see `make bench`).
# Against the book's layer (reference.layers.Convolution: one window matrix for the whole
# batch, kept from forward for backward), forward + backward at batch 100 (CPU time, one
# BLAS thread, a busy 2-core machine, 2026-11-29): DeepConvNet conv2 402 ms -> 194 ms,
# conv4 256 ms -> 125 ms. Measured and rejected: im2col over the padded grid (slower on
# every layer shape), other slice sizes (1M is best or tied).
_WINDOW_MATRIX_SIZE = 1 << 20


class FastConvolution(Convolution):
    """Convolution of a batch of images with FN filters, plus a bias per filter (book §7.4.3).

    A subclass of the book's Convolution: the same constructor and attributes, its own
    forward and backward.

    The windows are unrolled with im2col into a (N·OH·OW, C·FH·FW) matrix, so the
    convolution is one matrix product with the filters reshaped to (FN, C·FH·FW),
    as in the book. Unlike the book's layer, the product is computed for a slice of
    the batch at a time (same result, see _WINDOW_MATRIX_SIZE), the output is laid
    out filter-major so each slice's product lands in place, and backward unrolls
    the windows again rather than keeping the whole matrix. ``W`` and ``b`` are the
    very arrays passed in (shared with the network's params, updated in place by
    optimizers).

    Attributes:
        W: (FN, C, FH, FW) filters. b: (FN,) biases.
        dW, db: gradients set by backward, shaped like W and b.
        input_gradient: True (the default) for backward to compute dx; a network's
            first layer may set it False, as nothing uses its dx (backward then returns
            None and skips the second matrix product and col2im).
    """

    input_gradient = True

    @classmethod
    def like(cls, layer):
        """A FastConvolution on the same W and b arrays (not copies), stride and pad as `layer`."""
        return cls(layer.W, layer.b, layer.stride, layer.pad)

    def _image_chunks(self, n_images, out_h, out_w):
        """Slices of the batch, each with as many images as fit one window matrix of _WINDOW_MATRIX_SIZE numbers."""
        row_size = self.W[0].size * out_h * out_w
        step = max(1, _WINDOW_MATRIX_SIZE // row_size)
        return [slice(start, min(start + step, n_images)) for start in range(0, n_images, step)]

    def forward(self, x):
        """Convolve: out[n, f] = Σ_c W[f, c] ⋆ x[n, c] + b[f] (book §7.4.3).

        Args:
            x: (N, C, H, W) images.

        Returns:
            out: (N, FN, OH, OW), OH = (H + 2·pad - FH) // stride + 1, OW likewise.
        """
        n_filters, _, filter_h, filter_w = self.W.shape
        n, _, height, width = x.shape
        out_h = conv_output_size(height, filter_h, self.stride, self.pad)
        out_w = conv_output_size(width, filter_w, self.stride, self.pad)
        filters = self.W.reshape(n_filters, -1)
        # Filter-major (FN, N, OH, OW): each chunk's product (FN, K) @ (K, n·OH·OW)
        # lands in one block of it without a copy (col.T is C-contiguous, see util).
        out = np.empty((n_filters, n, out_h, out_w), dtype=np.result_type(self.W, x))
        for images in self._image_chunks(n, out_h, out_w):
            col = im2col(x[images], filter_h, filter_w, self.stride, self.pad)
            block = out[:, images].reshape(n_filters, -1)
            np.matmul(filters, col.T, out=block)
            block += self.b.reshape(n_filters, 1)
        self.x = x
        # A transposed view, no copy; the layers after it accept any memory layout.
        return out.transpose(1, 0, 2, 3)

    def backward(self, dout):
        """Gradients of the convolution; sets dW and db (book §7.4.3).

        Args:
            dout: (N, FN, OH, OW) upstream gradient.

        Returns:
            dx: (N, C, H, W), gradient for the input images.
        """
        n_filters, channels, filter_h, filter_w = self.W.shape
        n, _, height, width = self.x.shape
        out_h, out_w = dout.shape[2:]
        filters = self.W.reshape(n_filters, -1)
        # (FN, N, OH, OW): a view without copy when dout has forward's own layout.
        dout_by_filter = dout.transpose(1, 0, 2, 3)
        self.db = dout_by_filter.sum(axis=(1, 2, 3))
        d_filters = np.zeros(filters.shape, dtype=np.result_type(dout, self.x))
        # Channel-major like col2im's own result, so each chunk is stored without reordering.
        dx_by_channel = None if not self.input_gradient else np.empty(
            (channels, n, height, width), dtype=np.result_type(dout, self.W))
        for images in self._image_chunks(n, out_h, out_w):
            x_chunk = self.x[images]
            col = im2col(x_chunk, filter_h, filter_w, self.stride, self.pad)
            dout_rows = dout_by_filter[:, images].reshape(n_filters, -1)
            d_filters += dout_rows @ col
            if not self.input_gradient:
                continue
            # The transpose of a C-contiguous product: the layout col2im reads without copying.
            dcol = (filters.T @ dout_rows).T
            dx_chunk = col2im(dcol, x_chunk.shape, filter_h, filter_w, self.stride, self.pad)
            dx_by_channel[:, images] = dx_chunk.transpose(1, 0, 2, 3)
        self.dW = d_filters.reshape(self.W.shape)
        if not self.input_gradient:
            return None
        return dx_by_channel.transpose(1, 0, 2, 3)
