"""Sigmoid backward computing dout·y instead of dout·y(1−y) (book §5.5.2)."""

from reference import Sigmoid as _Sigmoid

COMPONENT = "Sigmoid"
MISTAKE = "§5.5.2: backward uses the output y as the derivative instead of y(1 − y)"


class Sigmoid(_Sigmoid):
    def forward(self, x):
        self.y = super().forward(x)
        return self.y

    def backward(self, dout):
        return dout * self.y


REPLACES = {"Sigmoid": Sigmoid}
