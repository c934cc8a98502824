"""The ch04 TwoLayerNet's hand-written gradient with dy = y − t, not divided by the batch size (book §4.5.1)."""

import numpy as np

from reference import sigmoid, sigmoid_grad, softmax
from reference.ch04 import TwoLayerNet as _TwoLayerNet

COMPONENT = "ch04.TwoLayerNet"
MISTAKE = "§4.5.1: dy = y − t: the loss is a mean over the batch, so its gradient is (y − t) / batch_num"


class TwoLayerNet(_TwoLayerNet):
    def gradient(self, x, t):
        W1, b1, W2, b2 = self.params["W1"], self.params["b1"], self.params["W2"], self.params["b2"]
        a1 = np.dot(x, W1) + b1
        z1 = sigmoid(a1)
        y = softmax(np.dot(z1, W2) + b2)
        dy = y - t
        da1 = sigmoid_grad(a1) * np.dot(dy, W2.T)
        return {"W1": np.dot(x.T, da1), "b1": np.sum(da1, axis=0), "W2": np.dot(z1.T, dy), "b2": np.sum(dy, axis=0)}


REPLACES = {"ch04.TwoLayerNet": TwoLayerNet}
