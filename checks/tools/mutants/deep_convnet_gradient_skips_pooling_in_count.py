"""DeepConvNet.gradient reading dW from layer positions counted without the pooling layers (book §8.1.1)."""

from reference import DeepConvNet as _DeepConvNet

COMPONENT = "DeepConvNet"
MISTAKE = "§8.1.1: grads from self.layers[0, 2, 4, 6, 8, 10, 12, 14], forgetting that each pool shifts the later positions"


class DeepConvNet(_DeepConvNet):
    def gradient(self, x, t):
        self.loss(x, t)
        dout = self.last_layer.backward(1)
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        grads = {}
        for i, index in enumerate((0, 2, 4, 6, 8, 10, 12, 14), start=1):
            grads[f"W{i}"] = self.layers[index].dW
            grads[f"b{i}"] = self.layers[index].db
        return grads


REPLACES = {"DeepConvNet": DeepConvNet}
