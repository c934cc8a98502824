# Generated from reference/multi_layer_net_extend.py by `make exercises`. Your exercise: replace each
# `raise NotImplementedError(...)` below with your own code; `make exercises` never overwrites your edits.
"""Fully connected network with optional Batch Normalization and Dropout (chapter 6)."""

from collections import OrderedDict

import numpy as np

from .gradient import numerical_gradient
from .layers import Affine, BatchNormalization, Dropout, Relu, Sigmoid, SoftmaxWithLoss
from .weight_init import weight_scale
from ._messages import not_implemented

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
        raise NotImplementedError(not_implemented("MultiLayerNetExtend.__init__", "§6.3.2", "exercises/multi_layer_net_extend.py"))

    def predict(self, x, train_flg=False):
        """Class scores (before softmax) (book §6.3.2, §6.4.3).

        Args:
            x: (N, D) inputs.
            train_flg: True while training (batch statistics, random dropout masks;
                BN running averages updated), False for inference.

        Returns:
            scores: (N, C).
        """
        raise NotImplementedError(not_implemented("MultiLayerNetExtend.predict", "§6.3.2", "exercises/multi_layer_net_extend.py"))

    def loss(self, x, t, train_flg=False):
        """Mean cross-entropy plus the weight decay penalty 0.5·λ·Σ‖W‖² (book §6.4.2).

        Args:
            x: (N, D) inputs.
            t: (N, C) one-hot targets or (N,) labels.
            train_flg: passed to predict.

        Returns:
            loss: float.
        """
        raise NotImplementedError(not_implemented("MultiLayerNetExtend.loss", "§6.4.2", "exercises/multi_layer_net_extend.py"))

    def accuracy(self, x, t):
        """Fraction of samples whose highest score (inference mode) is the correct class (book §6.3.2).

        Args:
            x: (N, D) inputs.
            t: (N, C) one-hot targets or (N,) labels.

        Returns:
            accuracy: float in [0, 1].
        """
        raise NotImplementedError(not_implemented("MultiLayerNetExtend.accuracy", "§6.3.2", "exercises/multi_layer_net_extend.py"))

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
        raise NotImplementedError(not_implemented("MultiLayerNetExtend.numerical_gradient", "§4.4", "exercises/multi_layer_net_extend.py"))

    def gradient(self, x, t):
        """Gradient of the training-mode loss by backpropagation, λ·W included in each dW (book §6.3.2, §6.4.2).

        Args:
            x: (N, D) inputs.
            t: (N, C) one-hot targets or (N,) labels.

        Returns:
            grads: dict with the keys of params (gamma{i}, beta{i} included), each
                shaped like its parameter.
        """
        raise NotImplementedError(not_implemented("MultiLayerNetExtend.gradient", "§6.3.2", "exercises/multi_layer_net_extend.py"))
