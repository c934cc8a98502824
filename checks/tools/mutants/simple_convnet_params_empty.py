"""A SimpleConvNet whose params dict is never filled: its layers hold the weights (book §7.5)."""

from reference import SimpleConvNet as _SimpleConvNet

COMPONENT = "SimpleConvNet"
MISTAKE = ("§7.5: the weights are handed to the layers but params is left empty, and gradient returns {}: "
           "every check that loops over params compares nothing")


class SimpleConvNet(_SimpleConvNet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.params = {}

    def gradient(self, x, t):
        self.loss(x, t)
        dout = self.last_layer.backward(1)
        for layer in reversed(list(self.layers.values())):
            dout = layer.backward(dout)
        return {}


REPLACES = {"SimpleConvNet": SimpleConvNet}
