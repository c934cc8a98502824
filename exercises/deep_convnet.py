# Generated from reference/deep_convnet.py by `make exercises`. Your exercise: replace each
# `raise NotImplementedError(...)` below with your own code; `make exercises` never overwrites your edits.
"""The chapter 8 deep convolutional network: six 3×3 conv layers, He initialization, dropout (chapter 8)."""

import numpy as np

from .layers import Affine, Convolution, Dropout, Pooling, Relu, SoftmaxWithLoss
from .param_io import load_params_into, save_params_file
from .util import conv_output_size
from .weight_init import weight_scale
from ._messages import not_implemented

__all__ = ["DeepConvNet"]

# The book's defaults. conv 4 pads by 2, not 1: with 28×28 inputs the maps go
# 28 → 14 (pool) → 16 (conv 4) → 8 (pool) → 4 (pool), and the published
# ch08/deep_convnet_params.pkl has W7 of shape (64·4·4 = 1024, 50).
_DEFAULT_CONV_PARAMS = (
    {"filter_num": 16, "filter_size": 3, "pad": 1, "stride": 1},
    {"filter_num": 16, "filter_size": 3, "pad": 1, "stride": 1},
    {"filter_num": 32, "filter_size": 3, "pad": 1, "stride": 1},
    {"filter_num": 32, "filter_size": 3, "pad": 2, "stride": 1},
    {"filter_num": 64, "filter_size": 3, "pad": 1, "stride": 1},
    {"filter_num": 64, "filter_size": 3, "pad": 1, "stride": 1},
)

# Positions in self.layers of the layers that own W1..W8.
_PARAM_LAYER_INDICES = (0, 2, 5, 7, 10, 12, 15, 18)


class DeepConvNet:
    """(conv-ReLU-conv-ReLU-pool) × 3 → Affine-ReLU-Dropout → Affine-Dropout → softmax with loss (book §8.1.1).

    Default shapes (28×28 MNIST): W1 (16, 1, 3, 3), W2 (16, 16, 3, 3), W3 (32, 16, 3, 3),
    W4 (32, 32, 3, 3), W5 (64, 32, 3, 3), W6 (64, 64, 3, 3), W7 (1024, 50), W8 (50, 10),
    b{i} of the matching output sizes; pools are 2×2 with stride 2; dropout ratio 0.5.
    Other input sizes work as long as every stage keeps at least one pixel (a pool
    drops an odd last row or column); W7 is sized from the last feature map. With
    the default convs, H ≡ 4 (mod 8) (4, 12, 20, 28, ...) keeps every pool exact.

    Attributes:
        params: dict W1, b1, ..., W8, b8.
        layers: list of the 20 layers in order (as the book's code), on the params arrays.
        last_layer: SoftmaxWithLoss.
    """

    def __init__(self, input_dim=(1, 28, 28),
                 conv_param_1=None, conv_param_2=None, conv_param_3=None,
                 conv_param_4=None, conv_param_5=None, conv_param_6=None,
                 hidden_size=50, output_size=10):
        """He-initialize the weights, biases at zero, and build the layers (book §8.1.1).

        Each weight has std √(2 / n_in), n_in = C·FH·FW of its conv layer or the
        incoming units of its affine layer; W1, ..., W8 are drawn in that order from
        NumPy's global generator.

        Args:
            input_dim: (C, H, W) of one image.
            conv_param_1 ... conv_param_6: dicts filter_num, filter_size, pad, stride;
                None means the book's value (see the module's _DEFAULT_CONV_PARAMS).
            hidden_size: units of the hidden affine layer.
            output_size: number of classes.

        Raises:
            ValueError: an input size that a conv or pool window does not fit.
        """
        raise NotImplementedError(not_implemented("DeepConvNet.__init__", "§8.1.1", "exercises/deep_convnet.py"))

    def predict(self, x, train_flg=False):
        """Class scores (before softmax) (book §8.1.1).

        Args:
            x: (N, C, H, W) images.
            train_flg: True while training (random dropout masks), False for inference.

        Returns:
            scores: (N, output_size).
        """
        raise NotImplementedError(not_implemented("DeepConvNet.predict", "§8.1.1", "exercises/deep_convnet.py"))

    def loss(self, x, t):
        """Mean cross-entropy loss in training mode (dropout active), as the book (book §8.1.1).

        Args:
            x: (N, C, H, W) images.
            t: (N, C) one-hot targets or (N,) labels.

        Returns:
            loss: float.
        """
        raise NotImplementedError(not_implemented("DeepConvNet.loss", "§8.1.1", "exercises/deep_convnet.py"))

    def accuracy(self, x, t, batch_size=100):
        """Fraction of images whose highest score (inference mode) is the correct class (book §8.1.1).

        Every image counts, including a last batch smaller than batch_size.

        Args:
            x: (N, C, H, W) images.
            t: (N, C) one-hot targets or (N,) labels.
            batch_size: images per predict call.

        Returns:
            accuracy: float in [0, 1].
        """
        raise NotImplementedError(not_implemented("DeepConvNet.accuracy", "§8.1.1", "exercises/deep_convnet.py"))

    def gradient(self, x, t):
        """Gradient of the training-mode loss by backpropagation (book §8.1.1).

        The dropout masks are those drawn by this call's forward pass.

        Args:
            x: (N, C, H, W) images.
            t: (N, C) one-hot targets or (N,) labels.

        Returns:
            grads: dict W1, b1, ..., W8, b8, each shaped like its parameter.
        """
        raise NotImplementedError(not_implemented("DeepConvNet.gradient", "§8.1.1", "exercises/deep_convnet.py"))

    def save_params(self, file_name="params.pkl"):
        """Write the params dict to a pickle file, as the book's code does (book §8.1.1).

        Args:
            file_name: path of the file to write.
        """
        save_params_file(self.params, file_name)

    def load_params(self, file_name="params.pkl"):
        """Load parameters saved by save_params (or the book's ch08/deep_convnet_params.pkl) (book §8.1.1).

        Read with the values-only unpickler; each array is copied into the existing
        parameter array, which the layers share.

        Args:
            file_name: path of the pickle, a dict of arrays with the keys and shapes of params.

        Raises:
            ValueError: a key is missing or a shape differs from this network's.
            data.UnsafePickleError: the file holds anything but plain values.
        """
        load_params_into(self.params, file_name)
        for i, index in enumerate(_PARAM_LAYER_INDICES, start=1):
            self.layers[index].W = self.params[f"W{i}"]
            self.layers[index].b = self.params[f"b{i}"]
