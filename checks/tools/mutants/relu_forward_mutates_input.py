"""Relu forward that zeroes the caller's array instead of a copy (book §5.5.1)."""

from reference import Relu as _Relu

COMPONENT = "Relu"
MISTAKE = "§5.5.1: out = x instead of x.copy(), so forward writes zeros into the caller's x"


class Relu(_Relu):
    def forward(self, x):
        out = super().forward(x)
        x[...] = out  # what out = x; out[mask] = 0 does to the caller's array
        return x


REPLACES = {"Relu": Relu}
