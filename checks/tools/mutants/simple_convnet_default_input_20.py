"""SimpleConvNet whose default input_dim is (1, 20, 20) instead of MNIST's (1, 28, 28) (book §7.5)."""

from reference import SimpleConvNet as _SimpleConvNet

COMPONENT = "SimpleConvNet"
MISTAKE = "§7.5: default input_dim=(1, 20, 20): fine when sizes are passed, broken when built with defaults for MNIST"


class SimpleConvNet(_SimpleConvNet):
    def __init__(self, input_dim=(1, 20, 20), conv_param=None, hidden_size=100, output_size=10,
                 weight_init_std=0.01):
        super().__init__(input_dim, conv_param, hidden_size, output_size, weight_init_std)


REPLACES = {"SimpleConvNet": SimpleConvNet}
