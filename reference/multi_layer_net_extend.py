"""Fully connected network with optional Batch Normalization and Dropout (chapter 6)."""

from collections import OrderedDict

import numpy as np

from .gradient import numerical_gradient
from .layers import Affine, BatchNormalization, Dropout, Relu, Sigmoid, SoftmaxWithLoss
from .weight_init import weight_scale

__all__ = ["MultiLayerNetExtend"]


class MultiLayerNetExtend:
    """MultiLayerNet with optional Batch Normalization and Dropout in each hidden layer (book §6.3, §6.4).

    Each hidden layer is Affine → BatchNorm (if use_batchnorm) → activation →
    Dropout (if use_dropout); then a last Affine and softmax with loss. The keyword
    ``dropout_ration`` keeps the book's spelling so that book-style calls work.

    Attributes:
        params: W1, b1, ..., W{L}, b{L} as in MultiLayerNet, plus gamma{i} (ones) and
            beta{i} (zeros) of shape (hidden_size_list[i-1],) for each hidden layer i
            when use_batchnorm.
        layers: OrderedDict Affine{i}, BatchNorm{i}, Activation_function{i}, Dropout{i}, ..., Affine{L}.
        last_layer: SoftmaxWithLoss.
    """

    def __init__(self, input_size, hidden_size_list, output_size,
                 activation="relu", weight_init_std="relu", weight_decay_lambda=0,
                 use_dropout=False, dropout_ration=0.5, use_batchnorm=False):
        """Initialize the parameters and build the layers (book §6.3.2, §6.4.3).

        Weights are drawn from NumPy's global generator in the order W1, W2, ...,
        W{i} = weight_scale(weight_init_std, size_{i-1}) · randn; biases start at zero.

        Args:
            input_size: D, e.g. 784.
            hidden_size_list: sizes of the hidden layers.
            output_size: number of classes C.
            activation: 'relu' or 'sigmoid' (any case).
            weight_init_std: a number (the std), 'relu'/'he' or 'sigmoid'/'xavier'.
            weight_decay_lambda: λ of the L2 penalty 0.5·λ·Σ‖W‖².
            use_dropout: add a Dropout layer after each hidden activation.
            dropout_ration: the Dropout layers' dropout_ratio (book's spelling).
            use_batchnorm: add a BatchNormalization layer after each hidden Affine.

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
        self.use_dropout = use_dropout
        self.use_batchnorm = use_batchnorm

        self.params = {}
        sizes = [input_size, *self.hidden_size_list, output_size]
        for i in range(1, len(sizes)):
            scale = weight_scale(weight_init_std, sizes[i - 1])
            self.params[f"W{i}"] = scale * np.random.randn(sizes[i - 1], sizes[i])
            self.params[f"b{i}"] = np.zeros(sizes[i])

        self.layers = OrderedDict()
        for i in range(1, self.hidden_layer_num + 1):
            self.layers[f"Affine{i}"] = Affine(self.params[f"W{i}"], self.params[f"b{i}"])
            if use_batchnorm:
                self.params[f"gamma{i}"] = np.ones(sizes[i])
                self.params[f"beta{i}"] = np.zeros(sizes[i])
                self.layers[f"BatchNorm{i}"] = BatchNormalization(self.params[f"gamma{i}"], self.params[f"beta{i}"])
            self.layers[f"Activation_function{i}"] = activation_class()
            if use_dropout:
                self.layers[f"Dropout{i}"] = Dropout(dropout_ration)
        last = self.hidden_layer_num + 1
        self.layers[f"Affine{last}"] = Affine(self.params[f"W{last}"], self.params[f"b{last}"])
        self.last_layer = SoftmaxWithLoss()
        # END SOLUTION

    def predict(self, x, train_flg=False):
        """Class scores (before softmax) (book §6.3.2, §6.4.3).

        Args:
            x: (N, D) inputs.
            train_flg: True while training (batch statistics, random dropout masks;
                BN running averages updated), False for inference.

        Returns:
            scores: (N, C).
        """
        # BEGIN SOLUTION
        for layer in self.layers.values():
            # Only BatchNormalization and Dropout behave differently while training.
            if isinstance(layer, (BatchNormalization, Dropout)):
                x = layer.forward(x, train_flg)
            else:
                x = layer.forward(x)
        return x
        # END SOLUTION

    def loss(self, x, t, train_flg=False):
        """Mean cross-entropy plus the weight decay penalty 0.5·λ·Σ‖W‖² (book §6.4.2).

        Args:
            x: (N, D) inputs.
            t: (N, C) one-hot targets or (N,) labels.
            train_flg: passed to predict.

        Returns:
            loss: float.
        """
        # BEGIN SOLUTION
        scores = self.predict(x, train_flg)
        weight_decay = 0.0
        for i in range(1, self.hidden_layer_num + 2):
            weight_decay += 0.5 * self.weight_decay_lambda * np.sum(self.params[f"W{i}"] ** 2)
        return self.last_layer.forward(scores, t) + weight_decay
        # END SOLUTION

    def accuracy(self, x, t):
        """Fraction of samples whose highest score (inference mode) is the correct class (book §6.3.2).

        Args:
            x: (N, D) inputs.
            t: (N, C) one-hot targets or (N,) labels.

        Returns:
            accuracy: float in [0, 1].
        """
        # BEGIN SOLUTION
        predicted = np.argmax(self.predict(x, train_flg=False), axis=1)
        t = np.asarray(t)
        if t.ndim != 1:
            t = np.argmax(t, axis=1)
        return np.sum(predicted == t) / float(x.shape[0])
        # END SOLUTION

    def numerical_gradient(self, x, t):
        """Gradient of the training-mode loss by central differences (book §4.4, §6.3.2).

        With dropout each loss evaluation draws new masks, so the result is only
        meaningful if the masks are fixed (e.g. np.random reseeded before each
        evaluation); Batch Normalization in training mode is deterministic.

        Args:
            x: (N, D) inputs.
            t: (N, C) one-hot targets or (N,) labels.

        Returns:
            grads: dict with the keys of params (gamma{i}, beta{i} included), each
                shaped like its parameter.
        """
        # BEGIN SOLUTION
        def loss_of_params(_):
            return self.loss(x, t, train_flg=True)

        grads = {}
        for i in range(1, self.hidden_layer_num + 2):
            grads[f"W{i}"] = numerical_gradient(loss_of_params, self.params[f"W{i}"])
            grads[f"b{i}"] = numerical_gradient(loss_of_params, self.params[f"b{i}"])
            if self.use_batchnorm and i != self.hidden_layer_num + 1:
                grads[f"gamma{i}"] = numerical_gradient(loss_of_params, self.params[f"gamma{i}"])
                grads[f"beta{i}"] = numerical_gradient(loss_of_params, self.params[f"beta{i}"])
        return grads
        # END SOLUTION

    def gradient(self, x, t):
        """Gradient of the training-mode loss by backpropagation, λ·W included in each dW (book §6.3.2, §6.4.2).

        Args:
            x: (N, D) inputs.
            t: (N, C) one-hot targets or (N,) labels.

        Returns:
            grads: dict with the keys of params (gamma{i}, beta{i} included), each
                shaped like its parameter.
        """
        # BEGIN SOLUTION
        self.loss(x, t, train_flg=True)
        dout = self.last_layer.backward(1)
        for layer in reversed(self.layers.values()):
            dout = layer.backward(dout)
        grads = {}
        for i in range(1, self.hidden_layer_num + 2):
            affine = self.layers[f"Affine{i}"]
            grads[f"W{i}"] = affine.dW + self.weight_decay_lambda * affine.W
            grads[f"b{i}"] = affine.db
            if self.use_batchnorm and i != self.hidden_layer_num + 1:
                grads[f"gamma{i}"] = self.layers[f"BatchNorm{i}"].dgamma
                grads[f"beta{i}"] = self.layers[f"BatchNorm{i}"].dbeta
        return grads
        # END SOLUTION
