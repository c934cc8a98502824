"""DeepConvNet padding its fourth convolution by 1 like the others, instead of the book's 2 (book §8.1.1)."""

from reference import DeepConvNet as _DeepConvNet

COMPONENT = "DeepConvNet"
MISTAKE = "§8.1.1: conv_param_4 with pad 1 (as every other conv) instead of 2: the maps end 3×3, W7 is (576, 50) not (1024, 50)"


class DeepConvNet(_DeepConvNet):
    def __init__(self, input_dim=(1, 28, 28), conv_param_1=None, conv_param_2=None, conv_param_3=None,
                 conv_param_4=None, conv_param_5=None, conv_param_6=None, hidden_size=50, output_size=10):
        if conv_param_4 is None:
            conv_param_4 = {"filter_num": 32, "filter_size": 3, "pad": 1, "stride": 1}
        super().__init__(input_dim, conv_param_1, conv_param_2, conv_param_3, conv_param_4, conv_param_5,
                         conv_param_6, hidden_size, output_size)


REPLACES = {"DeepConvNet": DeepConvNet}
