"""numerical_diff with h = 1e-50, which rounds x + h back to x (book §4.3.1)."""

COMPONENT = "numerical_diff"
MISTAKE = "§4.3.1: h = 1e-50 (\"as small as possible\"): float64 rounds x ± h to x and the derivative comes out 0"


def numerical_diff(f, x):
    h = 1e-50
    return (f(x + h) - f(x - h)) / (2 * h)


REPLACES = {"numerical_diff": numerical_diff}
