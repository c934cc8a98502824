"""Channels-last (NHWC) kernels of the conv nets' layers, for ``reference.fast.plan`` (chapter 7).

The book's layers (``reference.layers``, what ``exercises/`` asks for) keep images as
(N, C, H, W) and unroll every window with im2col into a matrix whose rows are copied
out of C separate planes. Here an image is (N, H, W, C), channels innermost: a row of
the padded input, ``xp[n, y]``, is one contiguous run of W·C numbers, and a window row
``xp[n, y, x:x + FW]`` is one contiguous run of FW·C numbers. So:

- the window matrix of a whole batch is one strided view of the padded input, copied
  once (``windows``): each copied run is FW·C numbers long (48 for DeepConvNet's
  16-channel layers) instead of the book's OW pixels of one channel;
- the product ``windows @ W`` lands as (N, OH, OW, F): the next layer's layout, no
  transpose;
- the input gradient of a stride-1 convolution is itself a convolution (of the padded
  output gradient with the flipped filters), so it reuses the same two kernels instead
  of col2im's FH·FW scatter-adds;
- 2×2 stride-2 max pooling is four strided views whose runs are C numbers long; with
  the ReLU before it moved after it (exact, see ``pool_relu_forward``) the ReLU sees a
  quarter of the numbers.

Every function here computes what the book's layers compute: values up to the summation
order of the matrix products (convolutions) or bit for bit (pooling, ReLU);
checks/tests/reference/test_fast_kernels.py holds them to it, with the tolerances stated there.
Learners never write this file and it is not mirrored into ``exercises/``.
"""

import numpy as np
from numpy.lib.stride_tricks import as_strided

__all__ = ["to_nhwc", "to_nchw", "padded", "windows", "filters_matrix", "flipped_filters_matrix",
           "conv_forward", "conv_backward", "pool_relu_forward", "pool_relu_backward"]

# The window matrix is built and multiplied a slice of the batch at a time, at most this
# many bytes per slice, so that it is still in cache when the product reads it. Measured
# (2026-11-30, float32 and float64, batch 50, one BLAS thread, CPU time, a busy 2-core
# machine): budgets from 64 KB to 4 MB are within 10% of each other on every layer of both
# networks, 2-4 MB the best or tied; one window matrix for the whole batch (the book's way)
# was up to 1.5× slower on DeepConvNet's conv2 (22 MB of windows in float32).
_WINDOW_BYTES = 2 << 20

# Measured and rejected (same conditions, float32, batch 50, forward only unless said):
# - Winograd F(2×2, 3×3) (16 products of (tiles, C) @ (C, F), 2.25× fewer multiplications,
#   the input and output transforms as NumPy passes over strided views): conv2 13.3 ms
#   against 3.9 ms direct, conv3 2.3 vs 1.4, conv4 4.9 vs 3.5, conv5 1.25 vs 1.40, conv6 2.44
#   vs 2.77. The transforms cost more than the products save with 16-64 channels; the
#   only gains (conv5, conv6: 10%) would mean a second rounding and a filter gradient in
#   another form for 2% of a training step. In float64 it is slower on every layer.
# - the input gradient in col2im form (dcol = dout @ Wᵀ, then FH·FW strided additions
#   into the padded dx) instead of a convolution with the flipped filters: 1.3-3× slower
#   on conv2-conv6 (conv2 13.8 vs 5.1 ms).
# - the products on the padded grid without a window copy (FH·FW products of (N·Hp·Wp, C) @
#   (C, F) on shifted rows of the flat padded input, summed): faster on conv2 and conv4 in
#   float32 (4.3 vs 7.0 ms before the slicing above), slower on conv1, conv3, conv5, conv6;
#   with the slicing, the one strided copy is as fast on conv2 and conv4 too.


def to_nhwc(x):
    """(N, C, H, W) -> (N, H, W, C), a view (no copy)."""
    return x.transpose(0, 2, 3, 1)


def to_nchw(x):
    """(N, H, W, C) -> (N, C, H, W), a view (no copy)."""
    return x.transpose(0, 3, 1, 2)


def padded(x, pad, out=None):
    """(N, H, W, C) images surrounded by `pad` zeros, as a new C-contiguous (N, H + 2·pad, W + 2·pad, C) array.

    With pad 0 the result is `x` itself when already C-contiguous (no copy).
    """
    if pad == 0:
        return np.ascontiguousarray(x)
    n, height, width, channels = x.shape
    if out is None:
        out = np.zeros((n, height + 2 * pad, width + 2 * pad, channels), dtype=x.dtype)
    out[:, pad:pad + height, pad:pad + width] = x
    return out


def windows(xp, filter_h, filter_w, stride=1):
    """The im2col matrix of padded NHWC images: one row per window, columns (ky, kx, c) (book §7.4.2).

    col[(n·OH + oy)·OW + ox, (ky·FW + kx)·C + c] = xp[n, oy·stride + ky, ox·stride + kx, c].
    The book's im2col orders the columns (c, ky, kx); ``filters_matrix`` orders the
    filters to match this one.

    Args:
        xp: (N, Hp, Wp, C) C-contiguous, already padded.
        filter_h, filter_w: FH, FW.
        stride: step between windows.

    Returns:
        col: (N·OH·OW, FH·FW·C), C-contiguous (one copy of a strided view).
    """
    if not xp.flags.c_contiguous:
        raise ValueError("windows needs C-contiguous images")
    n, height, width, channels = xp.shape
    out_h = (height - filter_h) // stride + 1
    out_w = (width - filter_w) // stride + 1
    # The strides of a C-contiguous array (NumPy may report any stride for an axis of length 1).
    s_c = xp.itemsize
    s_x = channels * s_c
    s_y = width * s_x
    s_n = height * s_y
    # (n, oy, ox, ky, kx·C + c): the last axis is one contiguous run of the input row.
    view = as_strided(xp, (n, out_h, out_w, filter_h, filter_w * channels),
                      (s_n, s_y * stride, s_x * stride, s_y, s_c), writeable=False)
    return view.reshape(n * out_h * out_w, filter_h * filter_w * channels)


def filters_matrix(W):
    """(FN, C, FH, FW) filters -> (FH·FW·C, FN), rows in the (ky, kx, c) order of ``windows``."""
    n_filters = W.shape[0]
    return np.ascontiguousarray(W.transpose(2, 3, 1, 0)).reshape(-1, n_filters)


def flipped_filters_matrix(W):
    """The filters of the input gradient's convolution: W rotated 180°, in and out swapped, as (FH·FW·FN, C).

    dx = (dout padded by FH-1-pad) ⋆ rot180(W)ᵀ for a stride-1 convolution: rows
    ordered (ky, kx, f) to match ``windows`` of the (N, OH', OW', FN) gradient.
    """
    channels = W.shape[1]
    return np.ascontiguousarray(W[:, :, ::-1, ::-1].transpose(2, 3, 0, 1)).reshape(-1, channels)


def plane_windows(xp, filter_h, filter_w):
    """The transposed im2col matrix of single-channel padded images, (FH·FW, N·OH·OW) (book §7.4.2).

    colT[ky·FW + kx, (n·OH + oy)·OW + ox] = xp[n, oy + ky, ox + kx, 0]. With one channel a
    window row of ``windows`` is only FW numbers long, so here each of the FH·FW offsets
    is copied as one slab instead, in runs of OW pixels (4-7× faster for the first layers
    of both networks; the product reads the transpose without copying).
    """
    n, height, width, _ = xp.shape
    out_h, out_w = height - filter_h + 1, width - filter_w + 1
    col_t = np.empty((filter_h, filter_w, n, out_h, out_w), dtype=xp.dtype)
    planes = xp[..., 0]
    for ky in range(filter_h):
        for kx in range(filter_w):
            col_t[ky, kx] = planes[:, ky:ky + out_h, kx:kx + out_w]
    return col_t.reshape(filter_h * filter_w, n * out_h * out_w)


def _image_slices(n_images, row_bytes):
    step = max(1, _WINDOW_BYTES // max(row_bytes, 1))
    return [slice(start, min(start + step, n_images)) for start in range(0, n_images, step)]


def conv_forward(xp, weights, bias, filter_h, filter_w, keep_windows=False):
    """Stride-1 convolution of padded NHWC images, plus a bias per filter (book §7.4.3).

    out[n, oy, ox, f] = Σ_{ky, kx, c} xp[n, oy + ky, ox + kx, c]·W[f, c, ky, kx] + b[f].

    Args:
        xp: (N, Hp, Wp, C) C-contiguous padded images.
        weights: (FH·FW·C, FN) from ``filters_matrix`` (or ``flipped_filters_matrix``).
        bias: (FN,) or None.
        filter_h, filter_w: FH, FW.
        keep_windows: single-channel images only: also return the transposed window
            matrix of ``plane_windows``, for the filters' gradient (larger window
            matrices are unrolled again in backward, a slice of the batch at a time,
            which keeps each slice in cache).

    Returns:
        out: (N, OH, OW, FN) C-contiguous; with keep_windows, (out, colT).
    """
    n, height, width, channels = xp.shape
    out_h, out_w = height - filter_h + 1, width - filter_w + 1
    n_filters = weights.shape[1]
    if channels == 1:
        col_t = plane_windows(xp, filter_h, filter_w)
        out = (col_t.T @ weights).reshape(n, out_h, out_w, n_filters)
        if bias is not None:
            out += bias
        return (out, col_t) if keep_windows else out
    if keep_windows:
        raise ValueError("keep_windows is for single-channel images")
    out = np.empty((n, out_h, out_w, n_filters), dtype=np.result_type(xp, weights))
    rows = out.reshape(n, out_h * out_w, n_filters)
    row_bytes = out_h * out_w * filter_h * filter_w * channels * xp.itemsize
    for images in _image_slices(n, row_bytes):
        block = rows[images].reshape(-1, n_filters)
        np.matmul(windows(xp[images], filter_h, filter_w), weights, out=block)
        if bias is not None:
            block += bias  # while the block is in cache
    return out


def conv_backward(dout, W, xp, input_shape, pad, input_gradient=True, col=None):
    """Gradients of a stride-1 convolution: dW, db and (optionally) dx (book §7.4.3).

    Args:
        dout: (N, OH, OW, FN) upstream gradient, NHWC.
        W: (FN, C, FH, FW) the layer's filters.
        xp: (N, Hp, Wp, C) forward's padded input (its windows are unrolled again, a
            slice of the batch at a time, unless `col` is given).
        input_shape: (N, H, W, C) of the unpadded input.
        pad: the forward padding.
        input_gradient: compute dx (False for a first layer, whose dx nobody reads).
        col: forward's transposed window matrix (``plane_windows``), if it was kept.

    Returns:
        dW: (FN, C, FH, FW). db: (FN,). dx: (N, H, W, C) or None.
    """
    n_filters, channels, filter_h, filter_w = W.shape
    dout = np.ascontiguousarray(dout)
    dout_rows = dout.reshape(-1, n_filters)
    # A product with a vector of ones: 20× faster than sum(axis=0) over a (rows, FN)
    # array with few columns, and in float32 a blocked sum, more accurate.
    db = np.ones(dout_rows.shape[0], dtype=dout.dtype) @ dout_rows
    if col is not None:  # forward's plane_windows (one channel)
        d_filters = col @ dout_rows
    else:
        n, out_h, out_w = dout.shape[:3]
        d_filters = np.zeros((filter_h * filter_w * channels, n_filters), dtype=np.result_type(dout, xp))
        by_image = dout.reshape(n, out_h * out_w, n_filters)
        row_bytes = out_h * out_w * filter_h * filter_w * channels * xp.itemsize
        for images in _image_slices(n, row_bytes):
            d_filters += windows(xp[images], filter_h, filter_w).T @ by_image[images].reshape(-1, n_filters)
    dW = d_filters.reshape(filter_h, filter_w, channels, n_filters).transpose(3, 2, 0, 1)
    if not input_gradient:
        return dW, db, None
    # dx[n, y, x, c] = Σ_{ky, kx, f} dout[n, y + pad - ky, x + pad - kx, f]·W[f, c, ky, kx]:
    # a stride-1 convolution of dout padded by FH-1-pad (cropped when pad > FH-1) with
    # the flipped filters.
    n = input_shape[0]
    grow_h, grow_w = filter_h - 1 - pad, filter_w - 1 - pad
    source = dout
    if grow_h < 0 or grow_w < 0:
        crop_h, crop_w = max(0, -grow_h), max(0, -grow_w)
        source = source[:, crop_h:source.shape[1] - crop_h, crop_w:source.shape[2] - crop_w]
        grow_h, grow_w = max(0, grow_h), max(0, grow_w)
    if grow_h or grow_w:
        grown = np.zeros((n, source.shape[1] + 2 * grow_h, source.shape[2] + 2 * grow_w, n_filters), dtype=dout.dtype)
        grown[:, grow_h:grow_h + source.shape[1], grow_w:grow_w + source.shape[2]] = source
        source = grown
    dx = conv_forward(np.ascontiguousarray(source), flipped_filters_matrix(W).astype(dout.dtype, copy=False),
                      None, filter_h, filter_w)
    return dW, db, dx


def pool_relu_forward(x, relu=True, keep_routes=False):
    """2×2 max pooling with stride 2 of NHWC maps, then ReLU: = the book's ReLU then Pooling (book §7.4.4, §5.5.1).

    ReLU is monotone, so the maximum of the rectified window is the rectified maximum
    (NaN included: np.maximum propagates it, as np.max does), and the ReLU runs on a
    quarter of the numbers. A last odd row or column is dropped, as the book's pooling
    (window positions that would run past the input do not exist).

    Args:
        x: (N, H, W, C) maps (pre-ReLU when relu is True).
        relu: apply the ReLU after pooling.
        keep_routes: also return the routes ``pool_relu_backward`` needs: a boolean
            (N, OH, 2, OW, 2, C) array, True at each window's first maximum in (ky, kx)
            order, the element the book's np.argmax picks (the first NaN, if any).

    Returns:
        out: (N, H//2, W//2, C) C-contiguous; with keep_routes, (out, routes).
    """
    n, height, width, channels = x.shape
    out_h, out_w = height // 2, width // 2
    rows = slice(0, 2 * out_h, 2), slice(1, 2 * out_h, 2)
    cols = slice(0, 2 * out_w, 2), slice(1, 2 * out_w, 2)
    a, b = x[:, rows[0], cols[0]], x[:, rows[0], cols[1]]
    c, d = x[:, rows[1], cols[0]], x[:, rows[1], cols[1]]
    # In (ky, kx) order a, b, c, d: the top pair, the bottom pair, then top against
    # bottom, each comparison keeping the earlier element on a tie. These are the views of
    # x.reshape(N, OH, 2, OW, 2, C) (without the reshape's copy for odd sizes); with C
    # innermost each view copies runs of C numbers. Measured (float32, batch 100):
    # reshape(...).max(axis=(2, 4)) 2.5-6× slower; rows first (maximum of the contiguous
    # row pairs, then of the column pairs) within ±15%, slower on (30, 24, 24).
    top = np.maximum(a, b)
    bottom = np.maximum(c, d)
    out = np.maximum(top, bottom)
    routes = None
    if keep_routes:
        right, lower, right_below = b > a, bottom > top, d > c
        if np.isnan(out).any():
            # np.argmax takes the first NaN as the maximum; > is False for NaN.
            right |= np.isnan(b) & ~np.isnan(a)
            right_below |= np.isnan(d) & ~np.isnan(c)
            lower |= np.isnan(bottom) & ~np.isnan(top)
        routes = np.empty((n, out_h, 2, out_w, 2, channels), dtype=bool)
        upper = ~lower
        np.greater(upper, right, out=routes[:, :, 0, :, 0])  # upper and not right
        np.logical_and(upper, right, out=routes[:, :, 0, :, 1])
        np.greater(lower, right_below, out=routes[:, :, 1, :, 0])
        np.logical_and(lower, right_below, out=routes[:, :, 1, :, 1])
    if relu:
        np.maximum(out, 0, out=out)
    if keep_routes:
        return out, routes
    return out


def pool_relu_backward(dout, out, routes, input_shape, relu=True):
    """Gradient of ``pool_relu_forward``: each window's gradient to its first maximum, nothing where out <= 0.

    One product of the routes with the upstream gradient broadcast over each window.
    The values equal the book's; a zero may come out as -0.0 (False·(negative)).
    Measured (float32, batch 50, SimpleConvNet's (24, 24, 30) maps): 0.43 ms, against
    5.5 ms for four masked writes (np.where per offset into strided views), 2.3 ms for one
    broadcast np.where and 3.8 ms for np.copyto(where=routes).

    Args:
        dout: (N, OH, OW, C) upstream gradient.
        out: (N, OH, OW, C) forward's output (after the ReLU).
        routes: forward's routes.
        input_shape: (N, H, W, C) of the forward input.
        relu: forward applied the ReLU.

    Returns:
        dx: (N, H, W, C).
    """
    if relu:
        # The ReLU's gradient: blocked where its input was <= 0, i.e. where the output is 0
        # (a NaN passes, as in the book's Relu, whose mask is x <= 0).
        dout = np.where(out <= 0, 0, dout).astype(dout.dtype, copy=False)
    n, height, width, channels = input_shape
    out_h, out_w = out.shape[1:3]
    windowed = np.empty((n, out_h, 2, out_w, 2, channels), dtype=dout.dtype)
    np.multiply(routes, dout[:, :, None, :, None, :], out=windowed)
    windowed = windowed.reshape(n, 2 * out_h, 2 * out_w, channels)
    if (height, width) == (2 * out_h, 2 * out_w):
        return windowed
    dx = np.zeros(input_shape, dtype=dout.dtype)  # an odd last row or column gets no gradient
    dx[:, :2 * out_h, :2 * out_w] = windowed
    return dx
