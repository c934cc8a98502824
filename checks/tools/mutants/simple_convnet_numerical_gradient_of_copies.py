"""SimpleConvNet.numerical_gradient perturbing copies of the parameters: every gradient is 0 (book §4.4, §7.5)."""

from reference import SimpleConvNet as _SimpleConvNet
from reference import numerical_gradient

COMPONENT = "SimpleConvNet"
MISTAKE = ("§7.5: numerical_gradient(loss_w, self.params[key].copy()): the layers never see the perturbed "
           "values, so the loss does not move and every element is 0")


class SimpleConvNet(_SimpleConvNet):
    def numerical_gradient(self, x, t):
        def loss_w(_):
            return self.loss(x, t)

        return {key: numerical_gradient(loss_w, self.params[key].copy()) for key in self.params}


REPLACES = {"SimpleConvNet": SimpleConvNet}
