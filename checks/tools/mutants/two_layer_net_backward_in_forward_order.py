"""TwoLayerNet.gradient walking the layers in forward order instead of reversed (book §5.7.2)."""

from reference import TwoLayerNet as _TwoLayerNet

COMPONENT = "TwoLayerNet"
MISTAKE = "§5.7.2: for layer in self.layers.values() without reversed(): backward starts at Affine1"


class TwoLayerNet(_TwoLayerNet):
    def gradient(self, x, t):
        self.loss(x, t)
        dout = self.last_layer.backward(1)
        for layer in self.layers.values():
            dout = layer.backward(dout)
        return {"W1": self.layers["Affine1"].dW, "b1": self.layers["Affine1"].db,
                "W2": self.layers["Affine2"].dW, "b2": self.layers["Affine2"].db}


REPLACES = {"TwoLayerNet": TwoLayerNet}
