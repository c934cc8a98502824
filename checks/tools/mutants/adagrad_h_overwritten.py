"""AdaGrad that overwrites h with the current squared gradient instead of accumulating (book §6.1.5)."""

import numpy as np

from reference import AdaGrad as _AdaGrad

COMPONENT = "AdaGrad"
MISTAKE = "§6.1.5: h = g·g instead of h += g·g, so every step has size ≈ lr (sign SGD), with no decay"


class AdaGrad(_AdaGrad):
    def update(self, params, grads):
        if getattr(self, "squares", None) is None:
            self.squares = {key: np.zeros_like(value) for key, value in params.items()}
        for key in params:
            self.squares[key] = grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(self.squares[key]) + 1e-7)


REPLACES = {"AdaGrad": AdaGrad}
