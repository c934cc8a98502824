"""MultiLayerNetExtend whose gradient lacks the weight decay term λ·W (book §6.4.2)."""

from reference import MultiLayerNetExtend as _MultiLayerNetExtend

COMPONENT = "MultiLayerNetExtend"
MISTAKE = "§6.4.2: grads['W'] = dW without + λ·W, while loss includes 0.5·λ·Σ‖W‖²"


class MultiLayerNetExtend(_MultiLayerNetExtend):
    def gradient(self, x, t):
        grads = super().gradient(x, t)
        for i in range(1, self.hidden_layer_num + 2):
            grads[f"W{i}"] = self.layers[f"Affine{i}"].dW
        return grads


REPLACES = {"MultiLayerNetExtend": MultiLayerNetExtend}
