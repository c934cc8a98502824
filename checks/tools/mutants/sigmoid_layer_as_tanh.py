"""A Sigmoid layer computing tanh, with tanh's own derivative: consistent, and not the sigmoid (book §5.5.2)."""

import numpy as np

from reference import Sigmoid as _Sigmoid

COMPONENT = "Sigmoid"
MISTAKE = "§5.5.2: forward y = tanh(x) and backward dout·(1 − y²): self-consistent gradients of the wrong function"


class Sigmoid(_Sigmoid):
    def forward(self, x):
        self.tanh_out = np.tanh(x)
        return self.tanh_out

    def backward(self, dout):
        return dout * (1.0 - self.tanh_out ** 2)


REPLACES = {"Sigmoid": Sigmoid}
