"""A TwoLayerNet keeping its weights outside params, so that params is empty (book §5.7.2)."""

from collections import OrderedDict

import numpy as np

from reference import Affine, Relu, SoftmaxWithLoss
from reference import TwoLayerNet as _TwoLayerNet

COMPONENT = "TwoLayerNet"
MISTAKE = ("§5.7.2: the weights live in self.W1 … and the layers, params stays {} and gradient returns {}: "
           "a gradient check that loops over params compares nothing")


class TwoLayerNet(_TwoLayerNet):
    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01):
        self.W1 = weight_init_std * np.random.randn(input_size, hidden_size)
        self.b1 = np.zeros(hidden_size)
        self.W2 = weight_init_std * np.random.randn(hidden_size, output_size)
        self.b2 = np.zeros(output_size)
        self.params = {}
        self.layers = OrderedDict(Affine1=Affine(self.W1, self.b1), Relu1=Relu(), Affine2=Affine(self.W2, self.b2))
        self.last_layer = SoftmaxWithLoss()

    def numerical_gradient(self, x, t):
        return {}

    def gradient(self, x, t):
        self.loss(x, t)
        dout = self.last_layer.backward(1)
        for layer in reversed(list(self.layers.values())):
            dout = layer.backward(dout)
        return {}


REPLACES = {"TwoLayerNet": TwoLayerNet}
