"""SimpleConvNet.numerical_gradient copied from TwoLayerNet: W3 and b3 are never computed (book §7.5)."""

from reference import SimpleConvNet as _SimpleConvNet
from reference import numerical_gradient

COMPONENT = "SimpleConvNet"
MISTAKE = ("§7.5: numerical_gradient loops over TwoLayerNet's keys W1, b1, W2, b2, so grads has no W3 and b3 "
           "(ch07/gradient_check.py prints a KeyError)")


class SimpleConvNet(_SimpleConvNet):
    def numerical_gradient(self, x, t):
        def loss_w(_):
            return self.loss(x, t)

        return {key: numerical_gradient(loss_w, self.params[key]) for key in ("W1", "b1", "W2", "b2")}


REPLACES = {"SimpleConvNet": SimpleConvNet}
