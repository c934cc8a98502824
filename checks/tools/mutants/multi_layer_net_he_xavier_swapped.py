"""MultiLayerNet with the He and Xavier scales swapped (book §6.2.2, §6.2.3)."""

from reference import MultiLayerNet as _MultiLayerNet

COMPONENT = "MultiLayerNet"
MISTAKE = "§6.2.2–6.2.3: 'relu'/'he' gives √(1/n) and 'sigmoid'/'xavier' gives √(2/n), the two formulas exchanged"

_SWAPPED = {"relu": "xavier", "he": "xavier", "sigmoid": "he", "xavier": "he"}


class MultiLayerNet(_MultiLayerNet):
    def __init__(self, input_size, hidden_size_list, output_size,
                 activation="relu", weight_init_std="relu", weight_decay_lambda=0):
        if isinstance(weight_init_std, str):
            weight_init_std = _SWAPPED.get(weight_init_std.lower(), weight_init_std)
        super().__init__(input_size, hidden_size_list, output_size, activation, weight_init_std,
                         weight_decay_lambda)


REPLACES = {"MultiLayerNet": MultiLayerNet}
