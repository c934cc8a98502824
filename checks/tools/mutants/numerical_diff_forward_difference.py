"""numerical_diff with the forward difference (f(x + h) − f(x)) / h (book §4.3.1)."""

COMPONENT = "numerical_diff"
MISTAKE = "§4.3.1: (f(x + h) − f(x)) / h, the 'bad example' the book improves on with the central difference"


def numerical_diff(f, x):
    h = 1e-4
    return (f(x + h) - f(x)) / h


REPLACES = {"numerical_diff": numerical_diff}
