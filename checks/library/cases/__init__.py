"""Component cases: how to build each component and feed it, per kind.

A case is data (component name, configuration id, book section, array makers);
the named checks in `checks/library/named/` are generated over them.
"""

from .base import FunctionCase, LayerCase, NetworkCase, OptimizerCase
from .layers import LAYER_CASES

__all__ = ["FunctionCase", "LayerCase", "NetworkCase", "OptimizerCase", "LAYER_CASES"]
