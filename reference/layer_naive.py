"""Multiplication and addition nodes of a computational graph (chapter 5).

The layers of the shopping example (book §5.4): each has ``forward(x, y)`` and
``backward(dout)`` returning the gradients with respect to both inputs.
"""

__all__ = ["MulLayer", "AddLayer"]


class MulLayer:
    """Multiplication node, out = x·y (book §5.4.1)."""

    def __init__(self):
        """Create the node; forward stores its inputs for backward (book §5.4.1)."""
        # BEGIN SOLUTION
        self.x = None
        self.y = None
        # END SOLUTION

    def forward(self, x, y):
        """Multiply the inputs and remember them (book §5.4.1).

        Args:
            x: number or array.
            y: number or array broadcastable with x.

        Returns:
            out: x * y.
        """
        # BEGIN SOLUTION
        self.x = x
        self.y = y
        return x * y
        # END SOLUTION

    def backward(self, dout):
        """Gradients of x·y: each input gets dout times the other input (book §5.4.1).

        Args:
            dout: upstream gradient, shaped like the forward output.

        Returns:
            (dx, dy): dout * y and dout * x.
        """
        # BEGIN SOLUTION
        dx = dout * self.y
        dy = dout * self.x
        return dx, dy
        # END SOLUTION


class AddLayer:
    """Addition node, out = x + y (book §5.4.2)."""

    def __init__(self):
        """Create the node; addition needs no stored state (book §5.4.2)."""
        # BEGIN SOLUTION
        pass
        # END SOLUTION

    def forward(self, x, y):
        """Add the inputs (book §5.4.2).

        Args:
            x: number or array.
            y: number or array broadcastable with x.

        Returns:
            out: x + y.
        """
        # BEGIN SOLUTION
        return x + y
        # END SOLUTION

    def backward(self, dout):
        """Gradients of x + y: dout passes unchanged to both inputs (book §5.4.2).

        Args:
            dout: upstream gradient, shaped like the forward output.

        Returns:
            (dx, dy): dout and dout.
        """
        # BEGIN SOLUTION
        # Multiplying by 1 gives each input its own array, never an alias of dout.
        dx = dout * 1
        dy = dout * 1
        return dx, dy
        # END SOLUTION
