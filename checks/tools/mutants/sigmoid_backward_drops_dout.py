"""Sigmoid backward that returns the local derivative y(1 − y) without multiplying by dout (book §5.5.2)."""

from reference import Sigmoid as _Sigmoid

COMPONENT = "Sigmoid"
MISTAKE = "§5.5.2: returns y(1 − y), forgetting the chain rule's factor dout"


class Sigmoid(_Sigmoid):
    def forward(self, x):
        self.y = super().forward(x)
        return self.y

    def backward(self, dout):
        return (1.0 - self.y) * self.y


REPLACES = {"Sigmoid": Sigmoid}
