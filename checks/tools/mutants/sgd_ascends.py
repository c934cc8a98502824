"""SGD adding lr·grad to the parameters (book §6.1.2)."""

from reference import SGD as _SGD

COMPONENT = "SGD"
MISTAKE = "§6.1.2: params[key] += lr·grads[key], a step up the loss instead of down"


class SGD(_SGD):
    def update(self, params, grads):
        for key in params:
            params[key] += self.lr * grads[key]


REPLACES = {"SGD": SGD}
