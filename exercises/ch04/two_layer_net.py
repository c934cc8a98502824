# Generated from reference/ch04/two_layer_net.py by `make exercises`. Your exercise: replace each
# `raise NotImplementedError(...)` below with your own code; `make exercises` never overwrites your edits.
"""The chapter 4 two-layer network: sigmoid hidden layer, softmax output, trained by gradients (book §4.5).

Written as the book writes ``ch04/two_layer_net.py``: ``predict`` returns the softmax
probabilities, ``loss`` is their cross-entropy, ``numerical_gradient`` differentiates the
loss by central differences (book §4.5.1), and ``gradient`` is the same gradient written
out by hand (the backpropagation of chapter 5, applied to this small network).
"""

import numpy as np

from ..functions import cross_entropy_error, sigmoid, sigmoid_grad, softmax
from ..gradient import numerical_gradient
from .._messages import not_implemented

__all__ = ["TwoLayerNet"]


class TwoLayerNet:
    """Network input → Affine → sigmoid → Affine → softmax (book §4.5.1).

    Attributes:
        params: dict with W1 (input_size, hidden_size), b1 (hidden_size,),
            W2 (hidden_size, output_size), b2 (output_size,).
    """

    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01):
        """Draw the weights from a Gaussian (W1 first, then W2), biases at zero (book §4.5.1).

        Args:
            input_size: number of inputs D (784 for MNIST).
            hidden_size: number of hidden units H.
            output_size: number of classes C.
            weight_init_std: standard deviation of the initial weights.
        """
        raise NotImplementedError(not_implemented("TwoLayerNet.__init__", "§4.5.1", "exercises/ch04/two_layer_net.py"))

    def predict(self, x):
        """Class probabilities for a batch: softmax of the output layer (book §4.5.1).

        Args:
            x: (N, D) inputs.

        Returns:
            y: (N, C), each row summing to 1.
        """
        raise NotImplementedError(not_implemented("TwoLayerNet.predict", "§4.5.1", "exercises/ch04/two_layer_net.py"))

    def loss(self, x, t):
        """Mean cross-entropy of the predicted probabilities (book §4.5.1).

        Args:
            x: (N, D) inputs.
            t: (N, C) one-hot targets (the book's ch04 scripts load MNIST with one_hot_label=True)
                or (N,) integer labels.

        Returns:
            loss: float.
        """
        raise NotImplementedError(not_implemented("TwoLayerNet.loss", "§4.5.1", "exercises/ch04/two_layer_net.py"))

    def accuracy(self, x, t):
        """Fraction of the batch whose most probable class is the correct one (book §4.5.1).

        Args:
            x: (N, D) inputs.
            t: (N, C) one-hot targets or (N,) integer labels.

        Returns:
            accuracy: float in [0, 1].
        """
        raise NotImplementedError(not_implemented("TwoLayerNet.accuracy", "§4.5.1", "exercises/ch04/two_layer_net.py"))

    def numerical_gradient(self, x, t):
        """Gradient of the loss for every parameter by central differences (book §4.5.1).

        Args:
            x: (N, D) inputs.
            t: (N, C) one-hot targets or (N,) integer labels.

        Returns:
            grads: dict W1, b1, W2, b2, each shaped like the parameter.
        """
        raise NotImplementedError(not_implemented("TwoLayerNet.numerical_gradient", "§4.5.1", "exercises/ch04/two_layer_net.py"))

    def gradient(self, x, t):
        """The same gradient, written out by hand: the backward pass of chapter 5 (book §4.5.1, §5.7).

        Args:
            x: (N, D) inputs.
            t: (N, C) one-hot targets or (N,) integer labels.

        Returns:
            grads: dict W1, b1, W2, b2, each shaped like the parameter.
        """
        raise NotImplementedError(not_implemented("TwoLayerNet.gradient", "§4.5.1", "exercises/ch04/two_layer_net.py"))
