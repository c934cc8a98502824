"""Nesterov stepping by μ·v instead of μ²·v (book §6.1.4)."""

import numpy as np

from reference import Nesterov as _Nesterov

COMPONENT = "Nesterov"
MISTAKE = "§6.1.4: params += μ·v − (1 + μ)·lr·g: one factor μ of the look-ahead term μ²·v dropped"


class Nesterov(_Nesterov):
    def update(self, params, grads):
        if self.v is None:
            self.v = {key: np.zeros_like(value) for key, value in params.items()}
        for key in params:
            params[key] += self.momentum * self.v[key]
            params[key] -= (1 + self.momentum) * self.lr * grads[key]
            self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]


REPLACES = {"Nesterov": Nesterov}
