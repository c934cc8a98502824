"""Nesterov stepping by μ·v instead of μ²·v (book §6.1.4)."""

import numpy as np

from reference import Nesterov as _Nesterov

COMPONENT = "Nesterov"
MISTAKE = "§6.1.4: params += μ·v − (1 + μ)·lr·g: one factor μ of the look-ahead term μ²·v dropped"


class Nesterov(_Nesterov):
    def update(self, params, grads):
        if getattr(self, "velocity", None) is None:
            self.velocity = {key: np.zeros_like(value) for key, value in params.items()}
        for key in params:
            params[key] += self.momentum * self.velocity[key]
            params[key] -= (1 + self.momentum) * self.lr * grads[key]
            self.velocity[key] = self.momentum * self.velocity[key] - self.lr * grads[key]


REPLACES = {"Nesterov": Nesterov}
