"""Nesterov implemented as classical Momentum, without the look-ahead (book §6.1.4)."""

import numpy as np

from reference import Nesterov as _Nesterov

COMPONENT = "Nesterov"
MISTAKE = "§6.1.4: v = μv − lr·g; params += v: the look-ahead correction μ²v − (1 + μ)·lr·g is missing"


class Nesterov(_Nesterov):
    def update(self, params, grads):
        if getattr(self, "velocity", None) is None:
            self.velocity = {key: np.zeros_like(value) for key, value in params.items()}
        for key in params:
            self.velocity[key] = self.momentum * self.velocity[key] - self.lr * grads[key]
            params[key] += self.velocity[key]


REPLACES = {"Nesterov": Nesterov}
