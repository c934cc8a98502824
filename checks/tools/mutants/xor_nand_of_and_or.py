"""XOR built from the right gates in the wrong arrangement (book §2.5.2)."""

from reference import AND, NAND, OR

COMPONENT = "XOR"
MISTAKE = "§2.5.2: NAND(AND(x1, x2), OR(x1, x2)) instead of AND(NAND(x1, x2), OR(x1, x2)); gives 1 on (0, 0)"


def XOR(x1, x2):
    return NAND(AND(x1, x2), OR(x1, x2))


REPLACES = {"XOR": XOR}
