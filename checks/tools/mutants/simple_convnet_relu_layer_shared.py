"""SimpleConvNet using one Relu object for both ReLU positions (book §7.5)."""

from reference import Relu
from reference import SimpleConvNet as _SimpleConvNet

COMPONENT = "SimpleConvNet"
MISTAKE = "§7.5: relu = Relu(); layers['Relu1'] = layers['Relu2'] = relu: backward applies the second mask to the first"


class SimpleConvNet(_SimpleConvNet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        shared = Relu()
        self.layers["Relu1"] = shared
        self.layers["Relu2"] = shared


REPLACES = {"SimpleConvNet": SimpleConvNet}
