"""AdaGrad without the 1e-7 guard in the denominator (book §6.1.5)."""

import numpy as np

from reference import AdaGrad as _AdaGrad

COMPONENT = "AdaGrad"
MISTAKE = "§6.1.5: lr·g / √h without + 1e-7: 0/0 = NaN for a parameter whose gradients so far are all 0"


class AdaGrad(_AdaGrad):
    def update(self, params, grads):
        if getattr(self, "squares", None) is None:
            self.squares = {key: np.zeros_like(value) for key, value in params.items()}
        for key in params:
            self.squares[key] += grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / np.sqrt(self.squares[key])


REPLACES = {"AdaGrad": AdaGrad}
