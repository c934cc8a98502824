"""Affine backward summing dout over the features instead of the batch for db (book §5.6.2)."""

import numpy as np

from reference import Affine as _Affine

COMPONENT = "Affine"
MISTAKE = "§5.6.2: db = np.sum(dout, axis=1) instead of axis=0 (summed per sample, not over the batch)"


class Affine(_Affine):
    def backward(self, dout):
        dx = super().backward(dout)
        self.db = np.sum(dout, axis=1)
        return dx


REPLACES = {"Affine": Affine}
