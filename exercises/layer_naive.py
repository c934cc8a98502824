# Generated from reference/layer_naive.py by `make exercises`. Your exercise: replace each
# `raise NotImplementedError(...)` below with your own code; `make exercises` never overwrites your edits.
"""Multiplication and addition nodes of a computational graph (chapter 5).

The layers of the shopping example (book §5.4): each has ``forward(x, y)`` and
``backward(dout)`` returning the gradients with respect to both inputs.
"""

__all__ = ["MulLayer", "AddLayer"]


class MulLayer:
    """Multiplication node, out = x·y (book §5.4.1)."""

    def __init__(self):
        """Create the node; forward stores its inputs for backward (book §5.4.1)."""
        raise NotImplementedError("MulLayer.__init__: not implemented yet — book §5.4.1, exercises/layer_naive.py")

    def forward(self, x, y):
        """Multiply the inputs and remember them (book §5.4.1).

        Args:
            x: number or array.
            y: number or array broadcastable with x.

        Returns:
            out: x * y.
        """
        raise NotImplementedError("MulLayer.forward: not implemented yet — book §5.4.1, exercises/layer_naive.py")

    def backward(self, dout):
        """Gradients of x·y: each input gets dout times the other input (book §5.4.1).

        Args:
            dout: upstream gradient, shaped like the forward output.

        Returns:
            (dx, dy): dout * y and dout * x.
        """
        raise NotImplementedError("MulLayer.backward: not implemented yet — book §5.4.1, exercises/layer_naive.py")


class AddLayer:
    """Addition node, out = x + y (book §5.4.2)."""

    def __init__(self):
        """Create the node; addition needs no stored state (book §5.4.2)."""
        raise NotImplementedError("AddLayer.__init__: not implemented yet — book §5.4.2, exercises/layer_naive.py")

    def forward(self, x, y):
        """Add the inputs (book §5.4.2).

        Args:
            x: number or array.
            y: number or array broadcastable with x.

        Returns:
            out: x + y.
        """
        raise NotImplementedError("AddLayer.forward: not implemented yet — book §5.4.2, exercises/layer_naive.py")

    def backward(self, dout):
        """Gradients of x + y: dout passes unchanged to both inputs (book §5.4.2).

        Args:
            dout: upstream gradient, shaped like the forward output.

        Returns:
            (dx, dy): dout and dout.
        """
        raise NotImplementedError("AddLayer.backward: not implemented yet — book §5.4.2, exercises/layer_naive.py")
