"""A conv net's layer list run channels-last, with its layers fused where that is exact (not in the book).

``Plan(layers)`` reads a list of the book's layers (Convolution, Relu, Pooling, Affine,
Dropout, or their ``reference.fast`` twins) and runs the same computation on
``reference.fast.kernels``: images enter as (N, C, H, W), are kept as (N, H, W, C)
through the convolutions and poolings, and leave in the book's (N, C·H·W) order for the
first Affine, so every parameter keeps the book's shape and meaning. Fused, exactly:

- ReLU then 2×2/2 max pooling -> pooling then ReLU on a quarter of the numbers;
- a ReLU feeding a padded convolution writes straight into the zero-bordered buffer;
- the first convolution skips its input gradient (nobody reads it).

A plan holds one forward's state for its backward, like the layers; ``DataParallel``
gives each thread its own plan. Layer lists it does not know (a stride other than 1,
another pooling window, a learner's layer) are refused with ``Unsupported``; the caller
then runs the layers themselves.
"""

import numpy as np

from ..layers import Affine, Convolution, Dropout, Pooling, Relu
from . import kernels
from .convolution import FastConvolution
from .pooling import FastPooling

__all__ = ["Plan", "Unsupported"]

_CONVOLUTIONS = (Convolution, FastConvolution)
_POOLINGS = (Pooling, FastPooling)


class Unsupported(ValueError):
    """The layer list has a layer, or a combination, that the plan does not run."""


class _Conv:
    """A stride-1 Convolution (book §7.4.3): (N, H, W, C) -> (N, OH, OW, FN), on the layer's W and b.

    forward(x, keep): x unpadded, or already padded when ``input_padded`` (the step before
    wrote the zero border); with keep, the padded input (and for one channel the window
    matrix) is kept for backward. backward(dout) sets dW, db and returns dx (None for the
    network's first convolution, whose dx nothing reads).
    """

    def __init__(self, layer, first):
        if layer.stride != 1:
            raise Unsupported(f"convolution stride {layer.stride}")
        self.layer, self.pad, self.first = layer, layer.pad, first
        self.input_padded = False  # set when the step before writes a padded buffer

    def forward(self, x, keep):
        layer = self.layer
        _, _, filter_h, filter_w = layer.W.shape
        xp = x if self.input_padded else kernels.padded(x, self.pad)
        if self.input_padded:
            self.input_shape = (x.shape[0], x.shape[1] - 2 * self.pad, x.shape[2] - 2 * self.pad, x.shape[3])
        else:
            self.input_shape = x.shape
        self.xp, self.col = (xp if keep else None), None
        weights = kernels.filters_matrix(layer.W)
        if keep and xp.shape[3] == 1:
            out, self.col = kernels.conv_forward(xp, weights, layer.b, filter_h, filter_w, keep_windows=True)
            return out
        return kernels.conv_forward(xp, weights, layer.b, filter_h, filter_w)

    def backward(self, dout):
        dW, db, dx = kernels.conv_backward(dout, self.layer.W, self.xp, self.input_shape, self.pad,
                                           input_gradient=not self.first, col=self.col)
        self.xp = self.col = None
        self.dW, self.db = dW, db
        return dx


class _Relu:
    """A ReLU on feature maps that no pooling follows (book §5.5.1), e.g. between two convolutions.

    With ``out_pad`` it returns the zero-bordered (N, H + 2·pad, W + 2·pad, C) buffer the
    next convolution reads, its output written inside.
    """

    def __init__(self):
        self.out_pad = 0  # the next convolution's padding, written here

    def forward(self, x, keep):
        if self.out_pad:
            n, height, width, channels = x.shape
            p = self.out_pad
            buffer = np.zeros((n, height + 2 * p, width + 2 * p, channels), dtype=x.dtype)
            out = buffer[:, p:p + height, p:p + width]
            np.maximum(x, 0, out=out)
            if keep:
                self.out = out
            return buffer
        out = np.maximum(x, 0)
        if keep:
            self.out = out
        return out

    def backward(self, dout):
        # The book's ReLU blocks the gradient where its input was <= 0, i.e. where the output is 0.
        return np.where(self.out <= 0, 0, dout).astype(dout.dtype, copy=False)


class _PoolRelu:
    """2×2 stride-2 max pooling (book §7.4.4), with the ReLU before it moved after it when relu is True.

    (N, H, W, C) -> (N, H//2, W//2, C); with ``out_pad``, zero-bordered for the next convolution.
    """

    def __init__(self, relu):
        self.relu = relu
        self.out_pad = 0

    def forward(self, x, keep):
        self.input_shape = x.shape
        result = kernels.pool_relu_forward(x, relu=self.relu, keep_routes=keep)
        out = result[0] if keep else result
        if keep:
            self.out, self.routes = result
        if self.out_pad:
            out = kernels.padded(out, self.out_pad)
        return out

    def backward(self, dout):
        dx = kernels.pool_relu_backward(dout, self.out, self.routes, self.input_shape, relu=self.relu)
        self.routes = None
        return dx


class _Flatten:
    """NHWC maps -> the book's (N, C·H·W) rows, for the first Affine."""

    def forward(self, x, keep):
        self.shape = x.shape
        return np.ascontiguousarray(kernels.to_nchw(x)).reshape(x.shape[0], -1)

    def backward(self, dout):
        n, height, width, channels = self.shape
        return kernels.to_nhwc(dout.reshape(n, channels, height, width))


class _Affine:
    """An Affine layer (book §5.6.2) on (N, D) rows: the book's arithmetic on the layer's W and b."""

    def __init__(self, layer):
        self.layer = layer

    def forward(self, x, keep):
        self.x = x
        return np.dot(x, self.layer.W) + self.layer.b

    def backward(self, dout):
        self.dW = np.dot(self.x.T, dout)
        self.db = np.sum(dout, axis=0)
        dx = np.dot(dout, self.layer.W.T)
        self.x = None
        return dx


class _VectorRelu:
    """A ReLU after an Affine layer (book §5.5.1): the book's arithmetic."""

    def forward(self, x, keep):
        self.mask = x <= 0
        return np.where(self.mask, 0, x)

    def backward(self, dout):
        return np.where(self.mask, 0, dout)


class _Dropout:
    """Dropout (book §6.4.3): the mask handed in (or drawn as the book's layer draws it) while training."""

    def __init__(self, layer):
        self.layer = layer

    def forward(self, x, keep, train_flg, mask):
        if train_flg:
            if mask is None:  # drawn as the book's Dropout draws it
                mask = np.random.rand(*x.shape) > self.layer.dropout_ratio
            self.mask = mask
            return x * mask
        return x * (1.0 - self.layer.dropout_ratio)

    def backward(self, dout):
        return dout * self.mask


class Plan:
    """The forward and backward passes of a conv net's layer list, channels-last and fused.

    Attributes:
        steps: the fused steps, in order.
        parameter_steps: the steps holding a layer with W and b, in the layers' order.
    """

    def __init__(self, layers):
        layers = list(layers)
        steps, spatial, i = [], True, 0
        first_conv = True
        while i < len(layers):
            layer, kind = layers[i], type(layers[i])
            following = type(layers[i + 1]) if i + 1 < len(layers) else None
            if kind in _CONVOLUTIONS:
                if not spatial:
                    raise Unsupported("a convolution after an Affine")
                steps.append(_Conv(layer, first_conv))
                first_conv = False
            elif kind is Relu and spatial and following in _POOLINGS and _is_2x2(layers[i + 1]):
                steps.append(_PoolRelu(relu=True))
                i += 1
            elif kind in _POOLINGS and spatial:
                if not _is_2x2(layer):
                    raise Unsupported(f"pooling {layer.pool_h}×{layer.pool_w}, stride {layer.stride}, pad {layer.pad}")
                steps.append(_PoolRelu(relu=False))
            elif kind is Relu:
                steps.append(_Relu() if spatial else _VectorRelu())
            elif kind is Affine:
                if spatial:
                    steps.append(_Flatten())
                    spatial = False
                steps.append(_Affine(layer))
            elif kind is Dropout:
                if spatial:
                    raise Unsupported("dropout on feature maps")
                steps.append(_Dropout(layer))
            else:
                raise Unsupported(f"layer {kind.__name__}")
            i += 1
        if spatial:
            raise Unsupported("no Affine layer at the end")
        # A ReLU or pooling feeding a padded convolution writes the padded buffer itself.
        for before, after in zip(steps, steps[1:]):
            if isinstance(after, _Conv) and after.pad and isinstance(before, (_Relu, _PoolRelu)):
                before.out_pad = after.pad
                after.input_padded = True
        self.steps = steps
        self.parameter_steps = [step for step in steps if isinstance(step, (_Conv, _Affine))]

    def forward(self, x, train_flg=False, masks=None, keep=False):
        """Scores of (N, C, H, W) images `x`; with keep, what backward needs is kept.

        masks: while training, the Dropout masks (one per Dropout layer, in order).
        """
        masks = iter(masks) if masks is not None else None
        # No copy for one channel: (N, 1, H, W) in C order is (N, H, W, 1) in C order.
        x = np.ascontiguousarray(kernels.to_nhwc(x))
        for step in self.steps:
            if isinstance(step, _Dropout):
                x = step.forward(x, keep, train_flg, next(masks) if train_flg and masks is not None else None)
            else:
                x = step.forward(x, keep)
        return x

    def dropout_masks(self):
        """The masks of the Dropout steps in the last training-mode forward, in order."""
        return [step.mask for step in self.steps if isinstance(step, _Dropout)]

    def backward(self, dscores):
        """Backpropagate `dscores`; returns (W, b, dW, db) of each layer with parameters, in order."""
        dout = dscores
        for step in reversed(self.steps):
            dout = step.backward(dout)
        return [(step.layer.W, step.layer.b, step.dW, step.db) for step in self.parameter_steps]


def _is_2x2(layer):
    return layer.pool_h == layer.pool_w == layer.stride == 2 and layer.pad == 0
