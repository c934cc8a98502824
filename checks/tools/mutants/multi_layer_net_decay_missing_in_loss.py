"""MultiLayerNet whose gradient has λ·W but whose loss lacks the ½λΣ‖W‖² penalty (book §6.4.2)."""

from reference import MultiLayerNet as _MultiLayerNet

COMPONENT = "MultiLayerNet"
MISTAKE = "§6.4.2: loss returns the cross entropy only, without 0.5·λ·Σ‖W‖², while gradient adds λ·W"


class MultiLayerNet(_MultiLayerNet):
    def loss(self, x, t):
        return self.last_layer.forward(self.predict(x), t)


REPLACES = {"MultiLayerNet": MultiLayerNet}
