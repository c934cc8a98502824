"""Relu backward that zeroes the masked positions of dout in place, as the book's own code does (§5.5.1)."""

from reference import Relu as _Relu

COMPONENT = "Relu"
MISTAKE = "§5.5.1: backward writes dout[mask] = 0 into the caller's dout and returns it"
EQUIVALENT = ("the returned dx is the same; changing dout in place is what the book's Relu.backward does, "
              "and no caller reuses dout afterwards, so it is allowed (and checks pass copies anyway)")


class Relu(_Relu):
    def backward(self, dout):
        dout[...] = super().backward(dout)
        return dout


REPLACES = {"Relu": Relu}
