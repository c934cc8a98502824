"""Fully connected network of any depth, with He/Xavier initialization and weight decay (chapter 6)."""

from collections import OrderedDict

import numpy as np

from .gradient import numerical_gradient
from .layers import Affine, Relu, Sigmoid, SoftmaxWithLoss
from .weight_init import weight_scale

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
        # BEGIN SOLUTION
        activation_layers = {"relu": Relu, "sigmoid": Sigmoid}
        if str(activation).lower() not in activation_layers:
            raise ValueError(f"activation must be 'relu' or 'sigmoid'; got {activation!r}")
        activation_class = activation_layers[str(activation).lower()]
        self.input_size = input_size
        self.hidden_size_list = list(hidden_size_list)
        self.hidden_layer_num = len(self.hidden_size_list)
        self.output_size = output_size
        self.weight_decay_lambda = weight_decay_lambda

        self.params = {}
        sizes = [input_size, *self.hidden_size_list, output_size]
        for i in range(1, len(sizes)):
            scale = weight_scale(weight_init_std, sizes[i - 1])
            self.params[f"W{i}"] = scale * np.random.randn(sizes[i - 1], sizes[i])
            self.params[f"b{i}"] = np.zeros(sizes[i])

        # The layers hold the params arrays themselves, so in-place optimizer updates reach them.
        self.layers = OrderedDict()
        for i in range(1, self.hidden_layer_num + 1):
            self.layers[f"Affine{i}"] = Affine(self.params[f"W{i}"], self.params[f"b{i}"])
            self.layers[f"Activation_function{i}"] = activation_class()
        last = self.hidden_layer_num + 1
        self.layers[f"Affine{last}"] = Affine(self.params[f"W{last}"], self.params[f"b{last}"])
        self.last_layer = SoftmaxWithLoss()
        # END SOLUTION

    def predict(self, x):
        """Class scores (before softmax) (book §6.2.4).

        Args:
            x: (N, D) inputs.

        Returns:
            scores: (N, C).
        """
        # BEGIN SOLUTION
        for layer in self.layers.values():
            x = layer.forward(x)
        return x
        # END SOLUTION

    def loss(self, x, t):
        """Mean cross-entropy plus the weight decay penalty 0.5·λ·Σ‖W‖² (book §6.4.2).

        Args:
            x: (N, D) inputs.
            t: (N, C) one-hot targets or (N,) labels.

        Returns:
            loss: float.
        """
        # BEGIN SOLUTION
        scores = self.predict(x)
        weight_decay = 0.0
        for i in range(1, self.hidden_layer_num + 2):
            weight_decay += 0.5 * self.weight_decay_lambda * np.sum(self.params[f"W{i}"] ** 2)
        return self.last_layer.forward(scores, t) + weight_decay
        # END SOLUTION

    def accuracy(self, x, t):
        """Fraction of samples whose highest score is the correct class (book §6.2.4).

        Args:
            x: (N, D) inputs.
            t: (N, C) one-hot targets or (N,) labels.

        Returns:
            accuracy: float in [0, 1].
        """
        # BEGIN SOLUTION
        predicted = np.argmax(self.predict(x), axis=1)
        t = np.asarray(t)
        if t.ndim != 1:
            t = np.argmax(t, axis=1)
        return np.sum(predicted == t) / float(x.shape[0])
        # END SOLUTION

    def numerical_gradient(self, x, t):
        """Gradient of the loss (penalty included) by central differences (book §4.4, §6.4.2).

        Args:
            x: (N, D) inputs.
            t: (N, C) one-hot targets or (N,) labels.

        Returns:
            grads: dict with the keys of params, each shaped like its parameter.
        """
        # BEGIN SOLUTION
        # numerical_gradient perturbs each params array in place, and the layers hold
        # those same arrays, so the closure's argument can be ignored.
        def loss_of_params(_):
            return self.loss(x, t)

        grads = {}
        for i in range(1, self.hidden_layer_num + 2):
            grads[f"W{i}"] = numerical_gradient(loss_of_params, self.params[f"W{i}"])
            grads[f"b{i}"] = numerical_gradient(loss_of_params, self.params[f"b{i}"])
        return grads
        # END SOLUTION

    def gradient(self, x, t):
        """Gradient of the loss by backpropagation, λ·W included in each dW (book §6.4.2).

        Args:
            x: (N, D) inputs.
            t: (N, C) one-hot targets or (N,) labels.

        Returns:
            grads: dict with the keys of params, each shaped like its parameter.
        """
        # BEGIN SOLUTION
        self.loss(x, t)
        dout = self.last_layer.backward(1)
        for layer in reversed(self.layers.values()):
            dout = layer.backward(dout)
        grads = {}
        for i in range(1, self.hidden_layer_num + 2):
            affine = self.layers[f"Affine{i}"]
            # d(0.5·λ·‖W‖²)/dW = λ·W
            grads[f"W{i}"] = affine.dW + self.weight_decay_lambda * affine.W
            grads[f"b{i}"] = affine.db
        return grads
        # END SOLUTION
