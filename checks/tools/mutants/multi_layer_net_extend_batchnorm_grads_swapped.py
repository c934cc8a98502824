"""MultiLayerNetExtend returning dbeta as the gradient of gamma and dgamma as that of beta (book §6.3.2)."""

from reference import MultiLayerNetExtend as _MultiLayerNetExtend

COMPONENT = "MultiLayerNetExtend"
MISTAKE = "§6.3.2: grads['gamma'] = dbeta and grads['beta'] = dgamma, the two BatchNorm gradients exchanged"


class MultiLayerNetExtend(_MultiLayerNetExtend):
    def gradient(self, x, t):
        grads = super().gradient(x, t)
        for key in [key for key in grads if key.startswith("gamma")]:
            beta = "beta" + key[len("gamma"):]
            grads[key], grads[beta] = grads[beta], grads[key]
        return grads


REPLACES = {"MultiLayerNetExtend": MultiLayerNetExtend}
