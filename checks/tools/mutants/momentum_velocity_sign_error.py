"""Momentum subtracting the velocity it built as −lr·grad (book §6.1.4)."""

import numpy as np

from reference import Momentum as _Momentum

COMPONENT = "Momentum"
MISTAKE = "§6.1.4: v = αv − lr·grad but then params −= v, a double negative that climbs the loss"


class Momentum(_Momentum):
    def update(self, params, grads):
        if getattr(self, "velocity", None) is None:
            self.velocity = {key: np.zeros_like(value) for key, value in params.items()}
        for key in params:
            self.velocity[key] = self.momentum * self.velocity[key] - self.lr * grads[key]
            params[key] -= self.velocity[key]


REPLACES = {"Momentum": Momentum}
