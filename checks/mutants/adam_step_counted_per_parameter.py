"""Adam incrementing its step counter once per parameter instead of once per update (book §6.1.6)."""

import numpy as np

from reference import Adam as _Adam

COMPONENT = "Adam"
MISTAKE = "§6.1.6: self.iter += 1 inside the loop over keys, so t runs ahead and each key gets a different bias correction"


class Adam(_Adam):
    def update(self, params, grads):
        if self.m is None:
            self.m = {key: np.zeros_like(value) for key, value in params.items()}
            self.v = {key: np.zeros_like(value) for key, value in params.items()}
        for key in params:
            self.iter += 1
            lr_t = self.lr * np.sqrt(1.0 - self.beta2 ** self.iter) / (1.0 - self.beta1 ** self.iter)
            self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])
            self.v[key] += (1 - self.beta2) * (grads[key] ** 2 - self.v[key])
            params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)


REPLACES = {"Adam": Adam}
