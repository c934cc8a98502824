"""conv_output_size adding the padding once instead of on both sides (book §7.2.4)."""

COMPONENT = "conv_output_size"
MISTAKE = "§7.2.4: (H + P − FH) // S + 1 instead of (H + 2P − FH) // S + 1: the zeros are added on both sides"


def conv_output_size(input_size, filter_size, stride=1, pad=0):
    return (input_size + pad - filter_size) // stride + 1


REPLACES = {"conv_output_size": conv_output_size}
