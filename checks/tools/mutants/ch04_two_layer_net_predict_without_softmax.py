"""The ch04 TwoLayerNet's predict returning the output layer's scores, not softmax probabilities (book §4.5.1)."""

import numpy as np

from reference import sigmoid
from reference.ch04 import TwoLayerNet as _TwoLayerNet

COMPONENT = "ch04.TwoLayerNet"
MISTAKE = ("§4.5.1: predict stops at a2 = z1·W2 + b2 (chapter 5's convention) while loss still feeds it to "
           "cross_entropy_error as if it were probabilities")


class TwoLayerNet(_TwoLayerNet):
    def predict(self, x):
        z1 = sigmoid(np.dot(x, self.params["W1"]) + self.params["b1"])
        return np.dot(z1, self.params["W2"]) + self.params["b2"]


REPLACES = {"ch04.TwoLayerNet": TwoLayerNet}
