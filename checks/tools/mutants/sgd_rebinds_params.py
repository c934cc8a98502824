"""SGD storing a new array in params instead of updating the existing one in place (book §6.1.2)."""

from reference import SGD as _SGD

COMPONENT = "SGD"
MISTAKE = ("§6.1.2: params[key] = params[key] − lr·grad rebinds the dict entry; the layers, which hold the "
           "old arrays, never train")


class SGD(_SGD):
    def update(self, params, grads):
        for key in params:
            params[key] = params[key] - self.lr * grads[key]


REPLACES = {"SGD": SGD}
