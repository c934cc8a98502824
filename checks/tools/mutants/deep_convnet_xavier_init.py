"""DeepConvNet initialized with Xavier's scale instead of He's (book §8.1.1, §6.2.3)."""

import numpy as np

from reference import DeepConvNet as _DeepConvNet

COMPONENT = "DeepConvNet"
MISTAKE = "§8.1.1: weight_init_scales = √(1/n_in) (Xavier) for a ReLU network; the book uses He's √(2/n_in)"


class DeepConvNet(_DeepConvNet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, 9):
            self.params[f"W{i}"] *= np.sqrt(0.5)  # in place: the layers hold these arrays


REPLACES = {"DeepConvNet": DeepConvNet}
