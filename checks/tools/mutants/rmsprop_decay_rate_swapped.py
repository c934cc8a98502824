"""RMSprop weighting the new squared gradient by decay_rate and the history by 1 − decay_rate (book §6.1.5)."""

import numpy as np

from reference import RMSprop as _RMSprop

COMPONENT = "RMSprop"
MISTAKE = "§6.1.5: h = (1 − ρ)·h + ρ·g² instead of ρ·h + (1 − ρ)·g²: the average forgets almost everything"


class RMSprop(_RMSprop):
    def update(self, params, grads):
        if getattr(self, "squares", None) is None:
            self.squares = {key: np.zeros_like(value) for key, value in params.items()}
        for key in params:
            self.squares[key] = (1 - self.decay_rate) * self.squares[key] + self.decay_rate * grads[key] ** 2
            params[key] -= self.lr * grads[key] / (np.sqrt(self.squares[key]) + 1e-7)


REPLACES = {"RMSprop": RMSprop}
