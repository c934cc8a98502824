"""SimpleConvNet building its pooling layer with the book's default stride 1 (book §7.5)."""

from reference import Pooling
from reference import SimpleConvNet as _SimpleConvNet

COMPONENT = "SimpleConvNet"
MISTAKE = "§7.5: Pooling(pool_h=2, pool_w=2) without stride=2 (the default is 1), while W2 is sized for halved maps"


class SimpleConvNet(_SimpleConvNet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.layers["Pool1"] = Pooling(pool_h=2, pool_w=2)


REPLACES = {"SimpleConvNet": SimpleConvNet}
