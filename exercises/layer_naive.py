# Generated from reference/layer_naive.py by `make exercises`. Your exercise: replace each
# `raise NotImplementedError(...)` below with your own code; `make exercises` never overwrites your edits.
"""Multiplication and addition nodes of a computational graph (chapter 5).

The layers of the shopping example (book §5.4): each has ``forward(x, y)`` and
``backward(dout)`` returning the gradients with respect to both inputs.
"""
from ._messages import not_implemented

__all__ = ["MulLayer", "AddLayer"]


class MulLayer:
    """Multiplication node, out = x·y (book §5.4.1)."""

    def __init__(self):
        """Create the node; forward stores its inputs for backward (book §5.4.1)."""
        raise NotImplementedError(not_implemented("MulLayer.__init__", "§5.4.1", "exercises/layer_naive.py"))

    def forward(self, x, y):
        """Multiply the inputs and remember them (book §5.4.1).

        Args:
            x: number or array.
            y: number or array broadcastable with x.

        Returns:
            out: x * y.
        """
        raise NotImplementedError(not_implemented("MulLayer.forward", "§5.4.1", "exercises/layer_naive.py"))

    def backward(self, dout):
        """Gradients of x·y: each input gets dout times the other input (book §5.4.1).

        Args:
            dout: upstream gradient, shaped like the forward output.

        Returns:
            (dx, dy): dout * y and dout * x.
        """
        raise NotImplementedError(not_implemented("MulLayer.backward", "§5.4.1", "exercises/layer_naive.py"))


class AddLayer:
    """Addition node, out = x + y (book §5.4.2)."""

    def __init__(self):
        """Create the node; addition needs no stored state (book §5.4.2)."""
        raise NotImplementedError(not_implemented("AddLayer.__init__", "§5.4.2", "exercises/layer_naive.py"))

    def forward(self, x, y):
        """Add the inputs (book §5.4.2).

        Args:
            x: number or array.
            y: number or array broadcastable with x.

        Returns:
            out: x + y.
        """
        raise NotImplementedError(not_implemented("AddLayer.forward", "§5.4.2", "exercises/layer_naive.py"))

    def backward(self, dout):
        """Gradients of x + y: dout passes unchanged to both inputs (book §5.4.2).

        Args:
            dout: upstream gradient, shaped like the forward output.

        Returns:
            (dx, dy): dout and dout.
        """
        raise NotImplementedError(not_implemented("AddLayer.backward", "§5.4.2", "exercises/layer_naive.py"))
