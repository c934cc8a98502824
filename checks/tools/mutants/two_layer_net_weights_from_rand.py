"""TwoLayerNet drawing its initial weights from np.random.rand instead of randn (book §4.5.1)."""

from collections import OrderedDict

import numpy as np

from reference import Affine, Relu, SoftmaxWithLoss
from reference import TwoLayerNet as _TwoLayerNet

COMPONENT = "TwoLayerNet"
MISTAKE = "§4.5.1: np.random.rand (uniform on [0, 1), all positive) instead of randn (Gaussian, mean 0)"


class TwoLayerNet(_TwoLayerNet):
    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01):
        self.params = {"W1": weight_init_std * np.random.rand(input_size, hidden_size),
                       "b1": np.zeros(hidden_size),
                       "W2": weight_init_std * np.random.rand(hidden_size, output_size),
                       "b2": np.zeros(output_size)}
        self.layers = OrderedDict()
        self.layers["Affine1"] = Affine(self.params["W1"], self.params["b1"])
        self.layers["Relu1"] = Relu()
        self.layers["Affine2"] = Affine(self.params["W2"], self.params["b2"])
        self.last_layer = SoftmaxWithLoss()


REPLACES = {"TwoLayerNet": TwoLayerNet}
