# Generated from reference/multi_layer_net.py by `make exercises`. Your exercise: replace each
# `raise NotImplementedError(...)` below with your own code; `make exercises` never overwrites your edits.
"""Fully connected network of any depth, with He/Xavier initialization and weight decay (chapter 6)."""

from collections import OrderedDict

import numpy as np

from .gradient import numerical_gradient
from .layers import Affine, Relu, Sigmoid, SoftmaxWithLoss
from .weight_init import weight_scale
from ._messages import not_implemented

__all__ = ["MultiLayerNet"]


class MultiLayerNet:
    """Network (Affine → activation) × len(hidden_size_list) → Affine → softmax with loss (book §6.2, §6.4.2).

    The loss adds the weight decay penalty 0.5·λ·Σ‖W‖² over every affine weight, and
    ``gradient`` the matching λ·W to each weight gradient.

    Attributes:
        params: dict W1, b1, ..., W{L}, b{L}, L = len(hidden_size_list) + 1;
            W{i} is (size_{i-1}, size_i) for sizes [input_size, *hidden_size_list, output_size].
        layers: OrderedDict Affine1, Activation_function1, ..., Affine{L}, on the params arrays.
        last_layer: SoftmaxWithLoss.
    """

    def __init__(self, input_size, hidden_size_list, output_size,
                 activation="relu", weight_init_std="relu", weight_decay_lambda=0):
        """Initialize the weights and build the layers (book §6.2.4).

        Weights are drawn from NumPy's global generator in the order W1, W2, ...
        (as the book), W{i} = weight_scale(weight_init_std, size_{i-1}) · randn;
        biases start at zero.

        Args:
            input_size: D, e.g. 784.
            hidden_size_list: sizes of the hidden layers, e.g. [100, 100, 100].
            output_size: number of classes C.
            activation: 'relu' or 'sigmoid' (any case).
            weight_init_std: a number (the std), 'relu'/'he' or 'sigmoid'/'xavier'
                (see weight_scale); n_in is the previous layer's size.
            weight_decay_lambda: λ of the L2 penalty.

        Raises:
            ValueError: unknown activation or weight_init_std.
        """
        raise NotImplementedError(not_implemented("MultiLayerNet.__init__", "§6.2.4", "exercises/multi_layer_net.py"))

    def predict(self, x):
        """Class scores (before softmax) (book §6.2.4).

        Args:
            x: (N, D) inputs.

        Returns:
            scores: (N, C).
        """
        raise NotImplementedError(not_implemented("MultiLayerNet.predict", "§6.2.4", "exercises/multi_layer_net.py"))

    def loss(self, x, t):
        """Mean cross-entropy plus the weight decay penalty 0.5·λ·Σ‖W‖² (book §6.4.2).

        Args:
            x: (N, D) inputs.
            t: (N, C) one-hot targets or (N,) labels.

        Returns:
            loss: float.
        """
        raise NotImplementedError(not_implemented("MultiLayerNet.loss", "§6.4.2", "exercises/multi_layer_net.py"))

    def accuracy(self, x, t):
        """Fraction of samples whose highest score is the correct class (book §6.2.4).

        Args:
            x: (N, D) inputs.
            t: (N, C) one-hot targets or (N,) labels.

        Returns:
            accuracy: float in [0, 1].
        """
        raise NotImplementedError(not_implemented("MultiLayerNet.accuracy", "§6.2.4", "exercises/multi_layer_net.py"))

    def numerical_gradient(self, x, t):
        """Gradient of the loss (penalty included) by central differences (book §4.4, §6.4.2).

        Args:
            x: (N, D) inputs.
            t: (N, C) one-hot targets or (N,) labels.

        Returns:
            grads: dict with the keys of params, each shaped like its parameter.
        """
        raise NotImplementedError(not_implemented("MultiLayerNet.numerical_gradient", "§4.4", "exercises/multi_layer_net.py"))

    def gradient(self, x, t):
        """Gradient of the loss by backpropagation, λ·W included in each dW (book §6.4.2).

        Args:
            x: (N, D) inputs.
            t: (N, C) one-hot targets or (N,) labels.

        Returns:
            grads: dict with the keys of params, each shaped like its parameter.
        """
        raise NotImplementedError(not_implemented("MultiLayerNet.gradient", "§6.4.2", "exercises/multi_layer_net.py"))
