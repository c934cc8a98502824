"""Adam without bias correction (book §6.1.6)."""

import numpy as np

from reference import Adam as _Adam

COMPONENT = "Adam"
MISTAKE = "§6.1.6: steps with lr·m / (√v + 1e-7), leaving out √(1 − β2^t) / (1 − β1^t)"


class Adam(_Adam):
    def update(self, params, grads):
        if self.m is None:
            self.m = {key: np.zeros_like(value) for key, value in params.items()}
            self.v = {key: np.zeros_like(value) for key, value in params.items()}
        self.iter += 1
        for key in params:
            self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])
            self.v[key] += (1 - self.beta2) * (grads[key] ** 2 - self.v[key])
            params[key] -= self.lr * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)


REPLACES = {"Adam": Adam}
