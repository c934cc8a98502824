"""AddLayer backward sharing dout between its inputs instead of passing it to each (book §5.4.2)."""

from reference import AddLayer as _AddLayer

COMPONENT = "AddLayer"
MISTAKE = "§5.4.2: dx = dy = dout / 2, as if the sum's gradient were split; ∂(x + y)/∂x = 1, so each gets all of dout"


class AddLayer(_AddLayer):
    def backward(self, dout):
        return dout / 2, dout / 2


REPLACES = {"AddLayer": AddLayer}
