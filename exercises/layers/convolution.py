# Generated from reference/layers/convolution.py by `make exercises`. Your exercise: replace each
# `raise NotImplementedError(...)` below with your own code; `make exercises` never overwrites your edits.
"""Convolution layer implemented with im2col (chapter 7)."""

import numpy as np

from ..util import col2im, conv_output_size, im2col

__all__ = ["Convolution"]

# Images are unrolled a batch-slice at a time so that no window matrix holds more
# than this many numbers (8 MB in float64): the matrix then stays in the 32 MB L3
# cache between im2col writing it and the matrix product reading it (twice in
# backward). Unrolling a whole batch at once would build e.g. a 90 MB matrix for the
# second layer of DeepConvNet at batch size 100, streamed through main memory.
# Measured on the 2-core bench machine (CPU time, one BLAS thread): 1M numbers is
# 20-30% faster than 3M for DeepConvNet's conv2/conv4, and as fast as 512K; smaller
# slices pay the fixed cost of each matrix product call (see `make bench`).
_WINDOW_MATRIX_SIZE = 1 << 20


class Convolution:
    """Convolution of a batch of images with FN filters, plus a bias per filter (book §7.4.3).

    The windows are unrolled with im2col into a (N·OH·OW, C·FH·FW) matrix, so the
    convolution is one matrix product with the filters reshaped to (FN, C·FH·FW).
    The product is computed for a slice of the batch at a time (same result, see
    _WINDOW_MATRIX_SIZE), and backward unrolls the windows again rather than keeping
    the whole matrix. ``W`` and ``b`` are the very arrays passed in (shared with the
    network's params, updated in place by optimizers).

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
        raise NotImplementedError("Convolution.__init__: not implemented yet — book §7.4.3, exercises/layers/convolution.py")

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
        raise NotImplementedError("Convolution.forward: not implemented yet — book §7.4.3, exercises/layers/convolution.py")

    def backward(self, dout):
        """Gradients of the convolution; sets dW and db (book §7.4.3).

        Args:
            dout: (N, FN, OH, OW) upstream gradient.

        Returns:
            dx: (N, C, H, W), gradient for the input images.
        """
        raise NotImplementedError("Convolution.backward: not implemented yet — book §7.4.3, exercises/layers/convolution.py")
