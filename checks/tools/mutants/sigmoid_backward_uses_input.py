"""Sigmoid backward that evaluates y(1 − y) at the input x instead of the output y (book §5.5.2)."""

from reference import Sigmoid as _Sigmoid

COMPONENT = "Sigmoid"
MISTAKE = "§5.5.2: backward computes dout·x(1 − x) with the stored input instead of the output y"


class Sigmoid(_Sigmoid):
    def forward(self, x):
        self.x = x
        return super().forward(x)

    def backward(self, dout):
        return dout * (1.0 - self.x) * self.x


REPLACES = {"Sigmoid": Sigmoid}
