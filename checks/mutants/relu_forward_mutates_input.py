"""Relu forward that zeroes the caller's array instead of a copy (book §5.5.1)."""

from reference import Relu as _Relu

COMPONENT = "Relu"
MISTAKE = "§5.5.1: out = x instead of x.copy(), so forward writes zeros into the caller's x"


class Relu(_Relu):
    def forward(self, x):
        self.mask = x <= 0
        out = x
        out[self.mask] = 0
        return out


REPLACES = {"Relu": Relu}
