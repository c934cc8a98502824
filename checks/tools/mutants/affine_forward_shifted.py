"""Affine forward returning x·W + b + 1: shifted by a constant its backward never sees (book §5.6.2)."""

from reference import Affine as _Affine

COMPONENT = "Affine"
MISTAKE = ("§5.6.2: forward returns x·W + b + 1, a constant added after the bias; backward is the book's, so "
           "every gradient check agrees with it")


class Affine(_Affine):
    def forward(self, x):
        return super().forward(x) + 1.0


REPLACES = {"Affine": Affine}
