"""MultiLayerNet whose loss has the weight decay penalty but whose gradient lacks λ·W (book §6.4.2)."""

from reference import MultiLayerNet as _MultiLayerNet

COMPONENT = "MultiLayerNet"
MISTAKE = "§6.4.2: grads['W'] = dW without + λ·W, so training ignores the penalty the loss reports"


class MultiLayerNet(_MultiLayerNet):
    def gradient(self, x, t):
        grads = super().gradient(x, t)
        for i in range(1, self.hidden_layer_num + 2):
            grads[f"W{i}"] = self.layers[f"Affine{i}"].dW
        return grads


REPLACES = {"MultiLayerNet": MultiLayerNet}
