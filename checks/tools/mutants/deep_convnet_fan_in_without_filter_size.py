"""DeepConvNet computing a conv layer's fan-in as its channels alone, without the 3×3 window (book §8.1.1)."""

from reference import DeepConvNet as _DeepConvNet

COMPONENT = "DeepConvNet"
MISTAKE = "§8.1.1: pre_node_nums = [1, 16, 16, 32, …] instead of [1·3·3, 16·3·3, …]: conv weights 3× too large"


class DeepConvNet(_DeepConvNet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, 7):
            self.params[f"W{i}"] *= 3.0  # √(2/C) instead of √(2/(C·3·3)); in place, shared with the layers


REPLACES = {"DeepConvNet": DeepConvNet}
