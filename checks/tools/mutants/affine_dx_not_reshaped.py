"""Affine backward returning dx flattened, not in the input's shape (book §5.6.2)."""

from reference import Affine as _Affine

COMPONENT = "Affine"
MISTAKE = "§5.6.2: dx is returned as (N, D) instead of the input's original (N, C, H, W) shape"


class Affine(_Affine):
    def backward(self, dout):
        dx = super().backward(dout)
        return dx.reshape(dx.shape[0], -1)


REPLACES = {"Affine": Affine}
