"""Two-layer network Affine-ReLU-Affine-SoftmaxWithLoss, trained by gradients (chapters 4 and 5).

``gradient`` uses backpropagation through the layers (book §5.7.2);
``numerical_gradient`` uses central differences (book §4.5.1), slow but simple,
and serves as the reference in gradient checks (book §5.7.3).
"""

from collections import OrderedDict

import numpy as np

from .gradient import numerical_gradient
from .layers import Affine, Relu, SoftmaxWithLoss

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
        # BEGIN SOLUTION
        self.params = {
            "W1": weight_init_std * np.random.randn(input_size, hidden_size),
            "b1": np.zeros(hidden_size),
            "W2": weight_init_std * np.random.randn(hidden_size, output_size),
            "b2": np.zeros(output_size),
        }
        # The layers hold the params arrays themselves (not copies), so an optimizer
        # updating params in place updates the layers too.
        self.layers = OrderedDict()
        self.layers["Affine1"] = Affine(self.params["W1"], self.params["b1"])
        self.layers["Relu1"] = Relu()
        self.layers["Affine2"] = Affine(self.params["W2"], self.params["b2"])
        self.last_layer = SoftmaxWithLoss()
        # END SOLUTION

    def predict(self, x):
        """Class scores (before softmax) for a batch (book §5.7.2).

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
        """Mean cross-entropy loss of the batch (book §5.7.2).

        Args:
            x: (N, D) inputs.
            t: (N, C) one-hot targets or (N,) integer labels.

        Returns:
            loss: float.
        """
        # BEGIN SOLUTION
        scores = self.predict(x)
        return self.last_layer.forward(scores, t)
        # END SOLUTION

    def accuracy(self, x, t):
        """Fraction of the batch whose highest score is the correct class (book §5.7.2).

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
        # numerical_gradient perturbs each parameter array in place; the layers hold
        # those same arrays, so the closure's argument can be ignored.
        def loss_of_params(_):
            return self.loss(x, t)

        return {
            name: numerical_gradient(loss_of_params, self.params[name])
            for name in ("W1", "b1", "W2", "b2")
        }
        # END SOLUTION

    def gradient(self, x, t):
        """Gradient of the loss for every parameter by backpropagation (book §5.7.2).

        Args:
            x: (N, D) inputs.
            t: (N, C) one-hot targets or (N,) integer labels.

        Returns:
            grads: dict W1, b1, W2, b2, each shaped like the parameter.
        """
        # BEGIN SOLUTION
        self.loss(x, t)
        dout = self.last_layer.backward(1)
        for layer in reversed(list(self.layers.values())):
            dout = layer.backward(dout)
        return {
            "W1": self.layers["Affine1"].dW,
            "b1": self.layers["Affine1"].db,
            "W2": self.layers["Affine2"].dW,
            "b2": self.layers["Affine2"].db,
        }
        # END SOLUTION
