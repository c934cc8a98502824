# Generated from reference/util.py by `make exercises`. Your exercise: replace each
# `raise NotImplementedError(...)` below with your own code; `make exercises` never overwrites your edits.
"""Helpers of chapters 6 and 7: im2col / col2im, output sizes, loss-curve smoothing, shuffling.

``im2col`` unrolls every filter-sized window of a batch of images into one row, so
that a convolution becomes one matrix product (book §7.4.2); ``col2im`` is its
adjoint, used by the backward passes. Both are vectorized: the only Python loop in
this module runs over the filter_h·filter_w offsets inside a window.

Layout note. ``im2col`` returns the book's matrix, rows ordered (n, out_y, out_x)
and columns (c, ky, kx), but stores it column-major: it is the transpose of a
C-contiguous (C·FH·FW, N·OH·OW) array. Gathering windows in that order copies runs
of out_w contiguous pixels instead of runs of filter_w, several times faster, and
matrix products read the transposed operand without copying. Values and shape are
exactly the book's; only ``col.flags`` differ.
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from ._messages import not_implemented

__all__ = ["conv_output_size", "im2col", "col2im", "smooth_curve", "shuffle_dataset"]


def conv_output_size(input_size, filter_size, stride=1, pad=0):
    """Output height (or width) of a convolution or pooling window sweep (book §7.2.4).

    OH = (H + 2·pad - FH) // stride + 1. Where the book's formula does not divide
    evenly (the book returns a float then), the windows that would run past the
    padded input are dropped, which is what im2col does; hence the integer result.

    Args:
        input_size: H (or W), the input's size along the axis.
        filter_size: FH (or FW), the window's size along the axis.
        stride: step between windows.
        pad: zeros added on each side.

    Returns:
        size: int, the number of window positions (may be <= 0 if the window does
            not fit; im2col rejects that).
    """
    raise NotImplementedError(not_implemented("conv_output_size", "§7.2.4", "exercises/util.py"))


def _output_hw(height, width, filter_h, filter_w, stride, pad):
    """(out_h, out_w) of a window sweep, or ValueError when no window fits."""
    out_h = conv_output_size(height, filter_h, stride, pad)
    out_w = conv_output_size(width, filter_w, stride, pad)
    if out_h <= 0 or out_w <= 0:
        raise ValueError(
            f"a {filter_h}x{filter_w} window with pad {pad} does not fit a {height}x{width} input"
        )
    return out_h, out_w


def im2col(input_data, filter_h, filter_w, stride=1, pad=0):
    """Unroll every filter window of a batch of images into one row (book §7.4.2).

    col[(n·OH + oy)·OW + ox, (c·FH + ky)·FW + kx] = padded[n, c, oy·stride + ky, ox·stride + kx],
    with padded the input surrounded by ``pad`` zeros, OH = conv_output_size(H, FH,
    stride, pad) and OW likewise. See the module docstring for the memory layout.

    Args:
        input_data: (N, C, H, W) images.
        filter_h, filter_w: FH, FW, the window's size.
        stride: step between windows.
        pad: zeros added on each side of H and W.

    Returns:
        col: (N·OH·OW, C·FH·FW), the dtype of input_data.

    Raises:
        ValueError: the window does not fit the padded input.
    """
    raise NotImplementedError(not_implemented("im2col", "§7.4.2", "exercises/util.py"))


def col2im(col, input_shape, filter_h, filter_w, stride=1, pad=0):
    """Fold rows of windows back into images, summing where windows overlap (book §7.4.3).

    The adjoint of im2col: ⟨im2col(x), y⟩ = ⟨x, col2im(y)⟩ for all x, y. Every entry
    of col is added to the pixel it was copied from; entries that came from the
    zero padding are dropped. (It is not an inverse: a pixel covered by k windows
    receives the sum of k entries.)

    Args:
        col: (N·OH·OW, C·FH·FW), laid out as im2col returns it (any memory layout).
        input_shape: (N, C, H, W), the shape of the images im2col unrolled.
        filter_h, filter_w: FH, FW, the window's size.
        stride: step between windows.
        pad: zeros that im2col added on each side.

    Returns:
        images: (N, C, H, W), the dtype of col.
    """
    raise NotImplementedError(not_implemented("col2im", "§7.4.3", "exercises/util.py"))


def smooth_curve(x):
    """Smooth a loss curve for plotting with an 11-point Kaiser window, β = 2 (book §6.1.8).

    Each output point is the window-weighted mean of the 11 input points centred on
    it (weights ``np.kaiser(11, 2)`` normalised to sum 1). Near the ends the curve
    is extended by mirroring, as the book's code does: on the left without
    repeating x[0] (x[5], ..., x[1]), on the right repeating x[-1]
    (x[-1], ..., x[-5]). The book builds a 10-point extension on each side and
    then drops the 5 outer outputs of each side; only 5 extension points can reach
    a kept output, so padding by 5 gives the same numbers.

    Args:
        x: (T,) values, T >= 2 (e.g. the losses of T iterations).

    Returns:
        smoothed: (T,) float array, the same length as x.
    """
    raise NotImplementedError(not_implemented("smooth_curve", "§6.1.8", "exercises/util.py"))


def shuffle_dataset(x, t):
    """Shuffle samples and labels with one permutation from NumPy's global generator (book §6.5.1).

    Args:
        x: (N, ...) samples, e.g. (N, D) vectors or (N, C, H, W) images.
        t: (N,) labels or (N, C) one-hot targets.

    Returns:
        x_shuffled, t_shuffled: new arrays, x[p] and t[p] for p = np.random.permutation(N).
    """
    raise NotImplementedError(not_implemented("shuffle_dataset", "§6.5.1", "exercises/util.py"))
