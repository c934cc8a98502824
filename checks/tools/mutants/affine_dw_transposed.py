"""Affine backward with dW = dout.T @ x: the product in the wrong order (book §5.6.2)."""

import numpy as np

from reference import Affine as _Affine

COMPONENT = "Affine"
MISTAKE = "§5.6.2: dW = dout.T @ x instead of x.T @ dout (the order of the product)"


class Affine(_Affine):
    def forward(self, x):
        self.flat_input = x.reshape(x.shape[0], -1)
        return super().forward(x)

    def backward(self, dout):
        dx = super().backward(dout)
        self.dW = np.dot(dout.T, self.flat_input)
        return dx


REPLACES = {"Affine": Affine}
