"""The ch04 TwoLayerNet's hand-written gradient without sigmoid_grad: da1 = dz1 (book §4.5.1)."""

import numpy as np

from reference import sigmoid, softmax
from reference.ch04 import TwoLayerNet as _TwoLayerNet

COMPONENT = "ch04.TwoLayerNet"
MISTAKE = "§4.5.1: gradient passes dz1 through the sigmoid unchanged (da1 = dz1, the sigmoid_grad(a1) factor left out)"


class TwoLayerNet(_TwoLayerNet):
    def gradient(self, x, t):
        W1, b1, W2, b2 = self.params["W1"], self.params["b1"], self.params["W2"], self.params["b2"]
        z1 = sigmoid(np.dot(x, W1) + b1)
        y = softmax(np.dot(z1, W2) + b2)
        dy = (y - t) / x.shape[0]
        da1 = np.dot(dy, W2.T)
        return {"W1": np.dot(x.T, da1), "b1": np.sum(da1, axis=0), "W2": np.dot(z1.T, dy), "b2": np.sum(dy, axis=0)}


REPLACES = {"ch04.TwoLayerNet": TwoLayerNet}
