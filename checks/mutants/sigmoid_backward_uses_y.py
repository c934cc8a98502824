"""Sigmoid backward computing dout·y instead of dout·y(1−y) (book §5.5.2)."""

from reference import Sigmoid as _Sigmoid

COMPONENT = "Sigmoid"
MISTAKE = "backward uses the output y as the derivative instead of y(1 − y)"


class Sigmoid(_Sigmoid):
    def backward(self, dout):
        return dout * self.out


REPLACES = {"Sigmoid": Sigmoid}
