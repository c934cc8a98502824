"""Chapter 4's own components: where the book has a second component of a name used again later.

The book keeps two TwoLayerNets, ``ch04/two_layer_net.py`` (§4.5, sigmoid, numerical and
hand-written gradients) and ``ch05/two_layer_net.py`` (§5.7, layers and backprop, the
package's ``TwoLayerNet``); this one is ``reference.ch04.TwoLayerNet``.
"""

from .two_layer_net import TwoLayerNet

__all__ = ["TwoLayerNet"]
