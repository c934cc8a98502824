"""Momentum that recreates its velocities on every update (book §6.1.4)."""

import numpy as np

from reference import Momentum as _Momentum

COMPONENT = "Momentum"
MISTAKE = "§6.1.4: v = zeros_like(...) inside update instead of once (if self.v is None), so it is plain SGD"


class Momentum(_Momentum):
    def update(self, params, grads):
        self.velocity = {key: np.zeros_like(value) for key, value in params.items()}
        for key in params:
            self.velocity[key] = self.momentum * self.velocity[key] - self.lr * grads[key]
            params[key] += self.velocity[key]


REPLACES = {"Momentum": Momentum}
