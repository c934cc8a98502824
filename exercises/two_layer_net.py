# Generated from reference/two_layer_net.py by `make exercises`. Your exercise: replace each
# `raise NotImplementedError(...)` below with your own code; `make exercises` never overwrites your edits.
"""Two-layer network Affine-ReLU-Affine-SoftmaxWithLoss, trained by gradients (chapters 4 and 5).

``gradient`` uses backpropagation through the layers (book §5.7.2);
``numerical_gradient`` uses central differences (book §4.5.1), slow but simple,
and serves as the reference in gradient checks (book §5.7.3).
"""

from collections import OrderedDict

import numpy as np

from .gradient import numerical_gradient
from .layers import Affine, Relu, SoftmaxWithLoss
from ._messages import not_implemented

__all__ = ["TwoLayerNet"]


class TwoLayerNet:
    """Network input → Affine → ReLU → Affine → softmax with loss (book §5.7.2).

    Attributes:
        params: dict with W1 (input_size, hidden_size), b1 (hidden_size,),
            W2 (hidden_size, output_size), b2 (output_size,).
        layers: OrderedDict Affine1, Relu1, Affine2, built on the same arrays as params.
        last_layer: SoftmaxWithLoss.
    """

    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01):
        """Draw the weights from a Gaussian, biases at zero, and build the layers (book §5.7.2).

        Weights come from NumPy's global generator (W1 first, then W2, as in the book),
        so seeding np.random reproduces the book's initial network.

        Args:
            input_size: number of inputs D (784 for MNIST).
            hidden_size: number of hidden units H.
            output_size: number of classes C.
            weight_init_std: standard deviation of the initial weights.
        """
        raise NotImplementedError(not_implemented("TwoLayerNet.__init__", "§5.7.2", "exercises/two_layer_net.py"))

    def predict(self, x):
        """Class scores (before softmax) for a batch (book §5.7.2).

        Args:
            x: (N, D) inputs.

        Returns:
            scores: (N, C).
        """
        raise NotImplementedError(not_implemented("TwoLayerNet.predict", "§5.7.2", "exercises/two_layer_net.py"))

    def loss(self, x, t):
        """Mean cross-entropy loss of the batch (book §5.7.2).

        Args:
            x: (N, D) inputs.
            t: (N, C) one-hot targets or (N,) integer labels.

        Returns:
            loss: float.
        """
        raise NotImplementedError(not_implemented("TwoLayerNet.loss", "§5.7.2", "exercises/two_layer_net.py"))

    def accuracy(self, x, t):
        """Fraction of the batch whose highest score is the correct class (book §5.7.2).

        Args:
            x: (N, D) inputs.
            t: (N, C) one-hot targets or (N,) integer labels.

        Returns:
            accuracy: float in [0, 1].
        """
        raise NotImplementedError(not_implemented("TwoLayerNet.accuracy", "§5.7.2", "exercises/two_layer_net.py"))

    def numerical_gradient(self, x, t):
        """Gradient of the loss for every parameter by central differences (book §4.5.1).

        Args:
            x: (N, D) inputs.
            t: (N, C) one-hot targets or (N,) integer labels.

        Returns:
            grads: dict W1, b1, W2, b2, each shaped like the parameter.
        """
        raise NotImplementedError(not_implemented("TwoLayerNet.numerical_gradient", "§4.5.1", "exercises/two_layer_net.py"))

    def gradient(self, x, t):
        """Gradient of the loss for every parameter by backpropagation (book §5.7.2).

        Args:
            x: (N, D) inputs.
            t: (N, C) one-hot targets or (N,) integer labels.

        Returns:
            grads: dict W1, b1, W2, b2, each shaped like the parameter.
        """
        raise NotImplementedError(not_implemented("TwoLayerNet.gradient", "§5.7.2", "exercises/two_layer_net.py"))
