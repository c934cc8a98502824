"""Relu backward that passes dout through unchanged (book §5.5.1)."""

from reference import Relu as _Relu

COMPONENT = "Relu"
MISTAKE = "§5.5.1: backward returns dout without zeroing the positions where x <= 0"


class Relu(_Relu):
    def backward(self, dout):
        return dout.copy()


REPLACES = {"Relu": Relu}
