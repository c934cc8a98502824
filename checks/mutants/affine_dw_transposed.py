"""Affine backward with dW = dout.T @ x: the product in the wrong order (book §5.6.2)."""

import numpy as np

from reference import Affine as _Affine

COMPONENT = "Affine"
MISTAKE = "dW = dout.T @ x instead of x.T @ dout (the order of the product in §5.6.2)"


class Affine(_Affine):
    def backward(self, dout):
        dx = super().backward(dout)
        self.dW = np.dot(dout.T, self.x.reshape(self.x.shape[0], -1))
        return dx


REPLACES = {"Affine": Affine}
