# Generated from reference/simple_convnet.py by `make exercises`. Your exercise: replace each
# `raise NotImplementedError(...)` below with your own code; `make exercises` never overwrites your edits.
"""The chapter 7 convolutional network: Conv-ReLU-Pool-Affine-ReLU-Affine (chapter 7)."""

from collections import OrderedDict

import numpy as np

from .gradient import numerical_gradient
from .layers import Affine, Convolution, Pooling, Relu, SoftmaxWithLoss
from .param_io import load_params_into, save_params_file
from .util import conv_output_size
from ._messages import not_implemented

__all__ = ["SimpleConvNet"]

_DEFAULT_CONV_PARAM = {"filter_num": 30, "filter_size": 5, "pad": 0, "stride": 1}


class SimpleConvNet:
    """Conv → ReLU → 2×2 max pool (stride 2) → Affine → ReLU → Affine → softmax with loss (book §7.5).

    With the defaults (28×28 MNIST, 30 filters of 5×5): W1 (30, 1, 5, 5), b1 (30,),
    W2 (30·12·12 = 4320, 100), b2 (100,), W3 (100, 10), b3 (10,).

    Attributes:
        params: dict W1, b1, W2, b2, W3, b3.
        layers: OrderedDict Conv1, Relu1, Pool1, Affine1, Relu2, Affine2, on the params arrays.
        last_layer: SoftmaxWithLoss.
    """

    def __init__(self, input_dim=(1, 28, 28), conv_param=None, hidden_size=100,
                 output_size=10, weight_init_std=0.01):
        """Draw the weights from a Gaussian, biases at zero, and build the layers (book §7.5).

        Args:
            input_dim: (C, H, W) of one image.
            conv_param: dict filter_num, filter_size, pad, stride; None means
                {'filter_num': 30, 'filter_size': 5, 'pad': 0, 'stride': 1}.
            hidden_size: units of the hidden affine layer.
            output_size: number of classes.
            weight_init_std: standard deviation of every initial weight (W1, W2, W3
                drawn in that order from NumPy's global generator).
        """
        raise NotImplementedError(not_implemented("SimpleConvNet.__init__", "§7.5", "exercises/simple_convnet.py"))

    def predict(self, x):
        """Class scores (before softmax) (book §7.5).

        Args:
            x: (N, C, H, W) images.

        Returns:
            scores: (N, output_size).
        """
        raise NotImplementedError(not_implemented("SimpleConvNet.predict", "§7.5", "exercises/simple_convnet.py"))

    def loss(self, x, t):
        """Mean cross-entropy loss of the batch (book §7.5).

        Args:
            x: (N, C, H, W) images.
            t: (N, C) one-hot targets or (N,) labels.

        Returns:
            loss: float.
        """
        raise NotImplementedError(not_implemented("SimpleConvNet.loss", "§7.5", "exercises/simple_convnet.py"))

    def accuracy(self, x, t, batch_size=100):
        """Fraction of images whose highest score is the correct class, computed in batches (book §7.5).

        Every image counts, including a last batch smaller than batch_size (the
        book's loop skips such a remainder but still divides by N).

        Args:
            x: (N, C, H, W) images.
            t: (N, C) one-hot targets or (N,) labels.
            batch_size: images per predict call (bounds the memory used).

        Returns:
            accuracy: float in [0, 1].
        """
        raise NotImplementedError(not_implemented("SimpleConvNet.accuracy", "§7.5", "exercises/simple_convnet.py"))

    def numerical_gradient(self, x, t):
        """Gradient of the loss for every parameter by central differences (book §4.4, §7.5).

        Args:
            x: (N, C, H, W) images.
            t: (N, C) one-hot targets or (N,) labels.

        Returns:
            grads: dict W1, b1, W2, b2, W3, b3, each shaped like its parameter.
        """
        raise NotImplementedError(not_implemented("SimpleConvNet.numerical_gradient", "§4.4", "exercises/simple_convnet.py"))

    def gradient(self, x, t):
        """Gradient of the loss for every parameter by backpropagation (book §7.5).

        Args:
            x: (N, C, H, W) images.
            t: (N, C) one-hot targets or (N,) labels.

        Returns:
            grads: dict W1, b1, W2, b2, W3, b3, each shaped like its parameter.
        """
        raise NotImplementedError(not_implemented("SimpleConvNet.gradient", "§7.5", "exercises/simple_convnet.py"))

    def save_params(self, file_name="params.pkl"):
        """Write the params dict to a pickle file, as the book's code does (book §7.5).

        Args:
            file_name: path of the file to write.
        """
        save_params_file(self.params, file_name)

    def load_params(self, file_name="params.pkl"):
        """Load parameters saved by save_params (or the book's ch07/params.pkl) (book §7.5).

        The file is read with the values-only unpickler (data.safe_pickle), so it can
        hold arrays but cannot run code. Each array is copied into the existing
        parameter array, which the layers share, so layers, params and any
        optimizer holding them stay consistent.

        Args:
            file_name: path of the pickle, a dict of arrays with the keys and shapes
                of params.

        Raises:
            ValueError: a key is missing or a shape differs from this network's.
            data.UnsafePickleError: the file holds anything but plain values.
        """
        load_params_into(self.params, file_name)
        # Already shared after the in-place copy; rebinding also repairs layers whose
        # W or b were replaced by hand since construction.
        for i, name in enumerate(("Conv1", "Affine1", "Affine2"), start=1):
            self.layers[name].W = self.params[f"W{i}"]
            self.layers[name].b = self.params[f"b{i}"]

