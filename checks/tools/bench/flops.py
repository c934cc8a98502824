"""FLOP counts of the matrix products a network computes, from its layer shapes.

One multiply-add is 2 FLOPs, so a product (M, K) @ (K, N) is 2·M·N·K. Counted:
convolutions (as the im2col product, (N·OH·OW, C·FH·FW) @ (C·FH·FW, FN)) and affine
layers. A backward pass computes two products of the forward one's size per layer
(dW and dx; the reference computes dx even for the first layer), so a training step
is 3× the forward products. Not counted: im2col/col2im copies, ReLU, pooling,
softmax, dropout, optimizer updates.
"""

from reference.fast import FastConvolution
from reference.layers import Affine, Convolution
from reference.util import conv_output_size

__all__ = ["conv_forward_flops", "affine_forward_flops", "network_forward_flops", "TRAINING_STEP_FACTOR"]

# Forward products + the two backward products (dW, dx) of the same size.
TRAINING_STEP_FACTOR = 3


def conv_forward_flops(input_shape, filter_shape, stride=1, pad=0):
    """FLOPs of one convolution forward pass (book §7.4.3).

    Args:
        input_shape: (N, C, H, W).
        filter_shape: (FN, C, FH, FW).
        stride, pad: as the Convolution layer's.

    Returns:
        flops: int, 2·(N·OH·OW)·FN·(C·FH·FW).
    """
    n, channels, height, width = input_shape
    n_filters, _, filter_h, filter_w = filter_shape
    out_h = conv_output_size(height, filter_h, stride, pad)
    out_w = conv_output_size(width, filter_w, stride, pad)
    return 2 * n * out_h * out_w * n_filters * channels * filter_h * filter_w


def affine_forward_flops(n, weight_shape):
    """FLOPs of one affine forward pass on n samples, 2·n·D·M for W of shape (D, M) (book §5.6.2)."""
    d, m = weight_shape
    return 2 * n * d * m


def _layers_of(network):
    layers = network.layers
    return list(layers.values()) if isinstance(layers, dict) else list(layers)


def network_forward_flops(network, one_input):
    """Forward-pass FLOPs per sample of a layered network, read from its layers' shapes.

    Runs ``network.predict`` on one sample so that every layer records its input,
    then sums the products of its Convolution and Affine layers.

    Args:
        network: a network with ``layers`` (list or dict) and ``predict``
            (DeepConvNet, SimpleConvNet, MultiLayerNet).
        one_input: (1, ...) one sample.

    Returns:
        flops: int, per sample.
    """
    # The class's own predict: it runs the network's layers themselves (a data-parallel
    # network's instance predict runs copies of them, leaving these unrecorded).
    type(network).predict(network, one_input)
    total = 0
    for layer in _layers_of(network):
        if isinstance(layer, (Convolution, FastConvolution)):
            total += conv_forward_flops(layer.x.shape, layer.W.shape, layer.stride, layer.pad)
        elif isinstance(layer, Affine):
            total += affine_forward_flops(1, layer.W.shape)
    return total
