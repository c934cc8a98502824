"""MulLayer backward passing dout through unchanged, as AddLayer does (book §5.4.1)."""

from reference import MulLayer as _MulLayer

COMPONENT = "MulLayer"
MISTAKE = "§5.4.1: dx = dy = dout, copied from AddLayer; a product's backward multiplies by the other input"


class MulLayer(_MulLayer):
    def backward(self, dout):
        return dout, dout


REPLACES = {"MulLayer": MulLayer}
