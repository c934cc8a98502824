"""MultiLayerNet whose loss has the weight decay penalty but whose gradient lacks λ·W (book §6.4.2)."""

from reference import MultiLayerNet as _MultiLayerNet

COMPONENT = "MultiLayerNet"
MISTAKE = "§6.4.2: grads['W'] = dW without + λ·W, so training ignores the penalty the loss reports"


class MultiLayerNet(_MultiLayerNet):
    def gradient(self, x, t):
        grads = super().gradient(x, t)
        for key in grads:
            if key.startswith("W"):
                grads[key] = self.layers[f"Affine{key[1:]}"].dW
        return grads


REPLACES = {"MultiLayerNet": MultiLayerNet}
