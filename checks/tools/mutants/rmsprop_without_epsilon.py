"""RMSprop without the 1e-7 guard in the denominator (book §6.1.5)."""

import numpy as np

from reference import RMSprop as _RMSprop

COMPONENT = "RMSprop"
MISTAKE = "§6.1.5: lr·g / √h without + 1e-7: NaN where the moving average of g² is still 0"


class RMSprop(_RMSprop):
    def update(self, params, grads):
        if getattr(self, "squares", None) is None:
            self.squares = {key: np.zeros_like(value) for key, value in params.items()}
        for key in params:
            self.squares[key] = self.decay_rate * self.squares[key] + (1 - self.decay_rate) * grads[key] ** 2
            params[key] -= self.lr * grads[key] / np.sqrt(self.squares[key])


REPLACES = {"RMSprop": RMSprop}
