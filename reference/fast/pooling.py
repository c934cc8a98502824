"""The tuned max pooling: one strided view per window offset, no window matrix (chapter 7).

Computes exactly what ``reference.layers.Pooling`` (the book's §7.4.4 method, what a
learner writes) computes, ties and NaN included; checks/tests/reference/test_fast_layers.py
holds the two together on every pooled shape of the book's networks. Learners never
write this file and it is not mirrored into ``exercises/``.
"""

import numpy as np

from ..layers.pooling import Pooling
from ..util import conv_output_size

__all__ = ["FastPooling"]

# Why offset views: the book's layer (reference.layers.Pooling) copies every window
# into an im2col matrix, regroups it per channel (another copy: im2col's layout is
# column-major), and stores an argmax per window for backward, which scatters into a
# zero matrix and folds it back with col2im. Here each of the pool_h·pool_w offsets is
# one strided view of the input: forward is pool_h·pool_w element-wise maxima, backward
# the same number of comparisons with the saved maximum, and no window matrix exists.
# Measured (CPU time, one BLAS thread, on a busy 2-core machine, 2026-11-29), forward +
# backward of 2×2/2 pooling at batch 100: 95 ms -> 36 ms on SimpleConvNet's (30, 24, 24)
# maps, 69 ms -> 24 ms on DeepConvNet's (16, 28, 28). Measured and rejected: pooling by
# reshape(...).max(axis=(3, 5)), 10× slower than the offset sweep. Also measured and
# rejected (2026-11-29, SimpleConvNet's (100, 30, 24, 24) maps, one thread, same run):
# storing the winning offset in forward (np.copyto(arg, k, where=view > out)) makes
# backward 14 ms -> 6 ms but forward 2.5 ms -> 8.7 ms, and a training step runs forward
# twice (gradient, then the Trainer's loss) for one backward: no gain; routing with
# np.copyto(dx_view, rest, where=is_max) (3 passes per offset instead of 6) is slower
# on strided views (35 ms vs 27 ms in a busy run); one broadcast multiply over a 6-d
# view of dx, 9.1 ms vs 6.0 ms for the per-offset np.where.


class FastPooling(Pooling):
    """Max pooling over pool_h × pool_w windows, channel by channel (book §7.4.4).

    A subclass of the book's Pooling: the same constructor and attributes, its own
    forward and backward.

    Computes what the book's im2col formulation computes: the maximum of each
    window, and in backward the window's gradient routed to its first maximum in
    (ky, kx) order, the element np.argmax picks on the flattened window (NaN
    counting as the maximum, as in np.argmax). Instead of unrolling the windows it
    sweeps the pool_h·pool_w offsets inside a window: each offset is one strided
    view of the input, so no window matrix is built and no argmax is stored (backward
    compares each offset with the saved maximum). As in im2col, padding adds zeros.

    Note the book's default stride is 1; its networks pass stride=2 for 2×2 pooling.
    """

    @classmethod
    def like(cls, layer):
        """A FastPooling with the window, stride and pad of `layer`."""
        return cls(layer.pool_h, layer.pool_w, layer.stride, layer.pad)

    def _offset_views(self, images, out_h, out_w):
        """Views [n, c, oy, ox] -> images[n, c, oy·stride + ky, ox·stride + kx], in (ky, kx) order (book §7.4.4)."""
        for ky in range(self.pool_h):
            rows = slice(ky, ky + self.stride * (out_h - 1) + 1, self.stride)
            for kx in range(self.pool_w):
                cols = slice(kx, kx + self.stride * (out_w - 1) + 1, self.stride)
                yield images[:, :, rows, cols]

    def forward(self, x):
        """Maximum of each window (book §7.4.4).

        Args:
            x: (N, C, H, W) images.

        Returns:
            out: (N, C, OH, OW), OH = (H + 2·pad - pool_h) // stride + 1, OW likewise.
        """
        height, width = x.shape[2:]
        out_h = conv_output_size(height, self.pool_h, self.stride, self.pad)
        out_w = conv_output_size(width, self.pool_w, self.stride, self.pad)
        if out_h <= 0 or out_w <= 0:
            raise ValueError(f"a {self.pool_h}x{self.pool_w} window does not fit a {height}x{width} input")
        padded = x
        if self.pad > 0:
            padded = np.pad(x, ((0, 0), (0, 0), (self.pad, self.pad), (self.pad, self.pad)))
        views = self._offset_views(padded, out_h, out_w)
        # order="K": keep the input's memory layout, so the element-wise passes run in memory order.
        out = next(views).copy(order="K")
        for view in views:
            # np.maximum propagates NaN, as np.max over the window would.
            np.maximum(out, view, out=out)
        self.x, self.x_padded, self.out = x, padded, out
        return out

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
        out_h, out_w = self.out.shape[2:]
        out_is_nan = np.isnan(self.out) if np.issubdtype(self.out.dtype, np.floating) else None
        if out_is_nan is not None and not out_is_nan.any():
            out_is_nan = None
        # Windows no closer than their size (stride >= pool size; the networks' 2×2/2)
        # share no pixel: each offset's gradient is stored rather than added, and when they
        # tile the whole input nothing needs zeroing first (~20% faster than zeros and +=).
        disjoint = self.stride >= self.pool_h and self.stride >= self.pool_w
        covers = (self.stride == self.pool_h == self.pool_w
                  and self.x_padded.shape[2:] == (out_h * self.pool_h, out_w * self.pool_w))
        new_array = np.empty_like if covers else np.zeros_like
        dx_padded = new_array(self.x_padded, dtype=np.result_type(dout, self.x))
        unrouted = None
        x_views = self._offset_views(self.x_padded, out_h, out_w)
        dx_views = self._offset_views(dx_padded, out_h, out_w)
        for x_view, dx_view in zip(x_views, dx_views):
            is_max = x_view == self.out
            if out_is_nan is not None:
                is_max |= out_is_nan & np.isnan(x_view)
            # Only the first offset holding the maximum takes the gradient.
            if unrouted is None:
                unrouted = ~is_max
            else:
                is_max &= unrouted
                unrouted ^= is_max
            if disjoint:
                dx_view[...] = np.where(is_max, dout, 0)
            else:
                dx_view += np.where(is_max, dout, 0)
        height, width = self.x.shape[2:]
        return dx_padded[:, :, self.pad:self.pad + height, self.pad:self.pad + width]
