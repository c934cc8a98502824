"""TwoLayerNet.numerical_gradient that builds grads but returns nothing (book §4.5.1)."""

from reference import TwoLayerNet as _TwoLayerNet
from reference import numerical_gradient

COMPONENT = "TwoLayerNet"
MISTAKE = "§4.5.1: numerical_gradient fills the grads dict and ends without `return grads`"


class TwoLayerNet(_TwoLayerNet):
    def numerical_gradient(self, x, t):
        def loss_W(_):
            return self.loss(x, t)

        grads = {}
        for key in ("W1", "b1", "W2", "b2"):
            grads[key] = numerical_gradient(loss_W, self.params[key])


REPLACES = {"TwoLayerNet": TwoLayerNet}
