# Generated from reference/gates.py by `make exercises`. Your exercise: replace each
# `raise NotImplementedError(...)` below with your own code; `make exercises` never overwrites your edits.
"""Logic gates built from single perceptrons, and XOR as a two-layer perceptron (chapter 2).

Each gate fires (returns 1) when w1·x1 + w2·x2 + b > 0 and returns 0 otherwise,
with the weights and biases the book uses (book §2.3.3). XOR cannot be drawn with a
single line, so it stacks NAND and OR under AND (book §2.5.2).
"""

import numpy as np
from ._messages import not_implemented

__all__ = ["AND", "NAND", "OR", "XOR"]


def AND(x1, x2):
    """AND gate as a perceptron with w = (0.5, 0.5), b = -0.7 (book §2.3.3).

    Args:
        x1: first input, 0 or 1.
        x2: second input, 0 or 1.

    Returns:
        out: int, 1 only when both inputs are 1.
    """
    raise NotImplementedError(not_implemented("AND", "§2.3.3", "exercises/gates.py"))


def NAND(x1, x2):
    """NAND gate as a perceptron with w = (-0.5, -0.5), b = 0.7 (book §2.3.3).

    Args:
        x1: first input, 0 or 1.
        x2: second input, 0 or 1.

    Returns:
        out: int, 0 only when both inputs are 1.
    """
    raise NotImplementedError(not_implemented("NAND", "§2.3.3", "exercises/gates.py"))


def OR(x1, x2):
    """OR gate as a perceptron with w = (0.5, 0.5), b = -0.2 (book §2.3.3).

    Args:
        x1: first input, 0 or 1.
        x2: second input, 0 or 1.

    Returns:
        out: int, 1 when at least one input is 1.
    """
    raise NotImplementedError(not_implemented("OR", "§2.3.3", "exercises/gates.py"))


def XOR(x1, x2):
    """XOR gate as a two-layer perceptron, AND(NAND(x1, x2), OR(x1, x2)) (book §2.5.2).

    Args:
        x1: first input, 0 or 1.
        x2: second input, 0 or 1.

    Returns:
        out: int, 1 when exactly one input is 1.
    """
    raise NotImplementedError(not_implemented("XOR", "§2.5.2", "exercises/gates.py"))
