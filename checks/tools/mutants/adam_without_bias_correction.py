"""Adam without bias correction (book §6.1.6)."""

import numpy as np

from reference import Adam as _Adam

COMPONENT = "Adam"
MISTAKE = "§6.1.6: steps with lr·m / (√v + 1e-7), leaving out √(1 − β2^t) / (1 − β1^t)"


class Adam(_Adam):
    def update(self, params, grads):
        if getattr(self, "moments", None) is None:
            self.moments = {key: (np.zeros_like(value), np.zeros_like(value)) for key, value in params.items()}
        for key in params:
            m, v = self.moments[key]
            m += (1 - self.beta1) * (grads[key] - m)
            v += (1 - self.beta2) * (grads[key] ** 2 - v)
            params[key] -= self.lr * m / (np.sqrt(v) + 1e-7)


REPLACES = {"Adam": Adam}
