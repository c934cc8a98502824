"""MulLayer backward multiplying dout by each input's own value instead of the other's (book §5.4.1)."""

from reference import MulLayer as _MulLayer

COMPONENT = "MulLayer"
MISTAKE = "§5.4.1: dx = dout·x, dy = dout·y; the derivative of x·y in x is y (the inputs swap in backward)"


class MulLayer(_MulLayer):
    def forward(self, x, y):
        self.inputs = (x, y)
        return super().forward(x, y)

    def backward(self, dout):
        x, y = self.inputs
        return dout * x, dout * y


REPLACES = {"MulLayer": MulLayer}
