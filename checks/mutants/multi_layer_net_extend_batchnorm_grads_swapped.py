"""MultiLayerNetExtend returning dbeta as the gradient of gamma and dgamma as that of beta (book §6.3.2)."""

from reference import MultiLayerNetExtend as _MultiLayerNetExtend

COMPONENT = "MultiLayerNetExtend"
MISTAKE = "§6.3.2: grads['gamma'] = dbeta and grads['beta'] = dgamma, the two BatchNorm gradients exchanged"


class MultiLayerNetExtend(_MultiLayerNetExtend):
    def gradient(self, x, t):
        grads = super().gradient(x, t)
        if self.use_batchnorm:
            for i in range(1, self.hidden_layer_num + 1):
                grads[f"gamma{i}"], grads[f"beta{i}"] = grads[f"beta{i}"], grads[f"gamma{i}"]
        return grads


REPLACES = {"MultiLayerNetExtend": MultiLayerNetExtend}
