"""Adam incrementing its step counter once per parameter instead of once per update (book §6.1.6)."""

import numpy as np

from reference import Adam as _Adam

COMPONENT = "Adam"
MISTAKE = "§6.1.6: iter += 1 inside the loop over keys, so t runs ahead and each key gets a different bias correction"


class Adam(_Adam):
    def update(self, params, grads):
        if getattr(self, "moments", None) is None:
            self.moments = {key: (np.zeros_like(value), np.zeros_like(value)) for key, value in params.items()}
            self.steps = 0
        for key in params:
            self.steps += 1
            lr_t = self.lr * np.sqrt(1.0 - self.beta2 ** self.steps) / (1.0 - self.beta1 ** self.steps)
            m, v = self.moments[key]
            m += (1 - self.beta1) * (grads[key] - m)
            v += (1 - self.beta2) * (grads[key] ** 2 - v)
            params[key] -= lr_t * m / (np.sqrt(v) + 1e-7)


REPLACES = {"Adam": Adam}
