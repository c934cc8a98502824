"""The chapter 4 two-layer network: sigmoid hidden layer, softmax output, trained by gradients (book §4.5).

Written as the book writes ``ch04/two_layer_net.py``: ``predict`` returns the softmax
probabilities, ``loss`` is their cross-entropy, ``numerical_gradient`` differentiates the
loss by central differences (book §4.5.1), and ``gradient`` is the same gradient written
out by hand (the backpropagation of chapter 5, applied to this small network).
"""

import numpy as np

from ..functions import cross_entropy_error, sigmoid, sigmoid_grad, softmax
from ..gradient import numerical_gradient

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
        # BEGIN SOLUTION
        self.params = {
            "W1": weight_init_std * np.random.randn(input_size, hidden_size),
            "b1": np.zeros(hidden_size),
            "W2": weight_init_std * np.random.randn(hidden_size, output_size),
            "b2": np.zeros(output_size),
        }
        # END SOLUTION

    def predict(self, x):
        """Class probabilities for a batch: softmax of the output layer (book §4.5.1).

        Args:
            x: (N, D) inputs.

        Returns:
            y: (N, C), each row summing to 1.
        """
        # BEGIN SOLUTION
        z1 = sigmoid(np.dot(x, self.params["W1"]) + self.params["b1"])
        return softmax(np.dot(z1, self.params["W2"]) + self.params["b2"])
        # END SOLUTION

    def loss(self, x, t):
        """Mean cross-entropy of the predicted probabilities (book §4.5.1).

        Args:
            x: (N, D) inputs.
            t: (N, C) one-hot targets (the book's ch04 scripts load MNIST with one_hot_label=True)
                or (N,) integer labels.

        Returns:
            loss: float.
        """
        # BEGIN SOLUTION
        return cross_entropy_error(self.predict(x), t)
        # END SOLUTION

    def accuracy(self, x, t):
        """Fraction of the batch whose most probable class is the correct one (book §4.5.1).

        Args:
            x: (N, D) inputs.
            t: (N, C) one-hot targets or (N,) integer labels.

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
        """Gradient of the loss for every parameter by central differences (book §4.5.1).

        Args:
            x: (N, D) inputs.
            t: (N, C) one-hot targets or (N,) integer labels.

        Returns:
            grads: dict W1, b1, W2, b2, each shaped like the parameter.
        """
        # BEGIN SOLUTION
        # numerical_gradient perturbs each parameter array in place, and predict reads
        # self.params: the closure's argument can be ignored.
        def loss_W(_):
            return self.loss(x, t)

        return {name: numerical_gradient(loss_W, self.params[name]) for name in ("W1", "b1", "W2", "b2")}
        # END SOLUTION

    def gradient(self, x, t):
        """The same gradient, written out by hand: the backward pass of chapter 5 (book §4.5.1, §5.7).

        Args:
            x: (N, D) inputs.
            t: (N, C) one-hot targets or (N,) integer labels.

        Returns:
            grads: dict W1, b1, W2, b2, each shaped like the parameter.
        """
        # BEGIN SOLUTION
        W1, b1, W2, b2 = self.params["W1"], self.params["b1"], self.params["W2"], self.params["b2"]
        batch_num = x.shape[0]
        # forward
        a1 = np.dot(x, W1) + b1
        z1 = sigmoid(a1)
        y = softmax(np.dot(z1, W2) + b2)
        # backward: softmax with cross-entropy gives (y − t) / N (labels become one-hot rows)
        t = np.asarray(t)
        if t.ndim == 1:
            t = np.eye(y.shape[1])[t]
        dy = (y - t) / batch_num
        dz1 = np.dot(dy, W2.T)
        da1 = sigmoid_grad(a1) * dz1
        return {"W1": np.dot(x.T, da1), "b1": np.sum(da1, axis=0), "W2": np.dot(z1.T, dy), "b2": np.sum(dy, axis=0)}
        # END SOLUTION
