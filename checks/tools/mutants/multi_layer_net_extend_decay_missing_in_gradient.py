"""MultiLayerNetExtend whose gradient lacks the weight decay term λ·W (book §6.4.2)."""

from reference import MultiLayerNetExtend as _MultiLayerNetExtend

COMPONENT = "MultiLayerNetExtend"
MISTAKE = "§6.4.2: grads['W'] = dW without + λ·W, while loss includes 0.5·λ·Σ‖W‖²"


class MultiLayerNetExtend(_MultiLayerNetExtend):
    def gradient(self, x, t):
        grads = super().gradient(x, t)
        for key in grads:
            if key.startswith("W"):
                grads[key] = self.layers[f"Affine{key[1:]}"].dW
        return grads


REPLACES = {"MultiLayerNetExtend": MultiLayerNetExtend}
