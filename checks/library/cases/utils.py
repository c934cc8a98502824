"""Utility cases: im2col/col2im configurations and the chapter 6–7 helpers.

Shapes are non-square (H ≠ W, out_h ≠ out_w) so a loop that reuses one bound for
both axes cannot pass.
"""

from .base import FunctionCase

__all__ = ["COL2IM_CASES", "CONV_OUTPUT_SIZE_FORMULA", "IM2COL_BOOK_SHAPES", "IM2COL_CASES", "IM2COL_CONFIGS",
           "SHUFFLE_PAIRS", "SMOOTH_CURVE_LINES", "UTIL_CASES"]

IM2COL_CONFIGS = {  # config: (input shape, filter_h, filter_w, stride, pad)
    "3x2-stride1-pad0": ((2, 3, 5, 7), 3, 2, 1, 0),
    "3x3-stride2-pad1": ((2, 2, 7, 6), 3, 3, 2, 1),
    "2x2-stride1-pad1": ((1, 2, 4, 3), 2, 2, 1, 1),
}
IM2COL_CASES = [FunctionCase("im2col", config, "§7.4.3") for config in IM2COL_CONFIGS]
COL2IM_CASES = [FunctionCase("col2im", config, "§7.4.3") for config in IM2COL_CONFIGS]
IM2COL_BOOK_SHAPES = FunctionCase("im2col", "book-shapes", "§7.4.3")
CONV_OUTPUT_SIZE_FORMULA = FunctionCase("conv_output_size", "formula", "§7.2.4")
SHUFFLE_PAIRS = FunctionCase("shuffle_dataset", "pairs", "§6.5.3")
SMOOTH_CURVE_LINES = FunctionCase("smooth_curve", "lines", "§6.1.8")

UTIL_CASES = [case for pair in zip(IM2COL_CASES, COL2IM_CASES) for case in pair] + [
    IM2COL_BOOK_SHAPES, CONV_OUTPUT_SIZE_FORMULA, SHUFFLE_PAIRS, SMOOTH_CURVE_LINES]
