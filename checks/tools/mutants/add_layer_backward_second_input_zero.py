"""AddLayer backward giving dout to the first input only (book §5.4.2)."""

import numpy as np

from reference import AddLayer as _AddLayer

COMPONENT = "AddLayer"
MISTAKE = "§5.4.2: returns (dout, 0): the second input of a sum is treated as a constant"


class AddLayer(_AddLayer):
    def backward(self, dout):
        return dout, np.zeros_like(dout)


REPLACES = {"AddLayer": AddLayer}
