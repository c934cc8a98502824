"""Component cases: how to build each component and feed it, per kind — every case table.

A case is data (component name, configuration id, book section, array makers, the
values it is checked against); the named checks in `checks/library/named/` declare
which cases they run on. `ALL_CASES` is the order of the pytest ids.
"""

from .base import FunctionCase, LayerCase, NetworkCase, OptimizerCase, TrainerCase
from .functions import FUNCTION_CASES
from .layers import LAYER_CASES, SPECIAL_LAYER_CASES
from .networks import DEFAULTS_CASES, INIT_CASES, NETWORK_CASES, SIMPLE_CONVNET_GRADIENT_CHECK
from .optimizers import OPTIMIZER_CASES, TRAINER_CASES, TRAINER_SCHEDULE
from .utils import UTIL_CASES

__all__ = ["ALL_CASES", "FunctionCase", "LayerCase", "NetworkCase", "OptimizerCase", "TrainerCase", "LAYER_CASES"]

ALL_CASES = (FUNCTION_CASES + LAYER_CASES + SPECIAL_LAYER_CASES + UTIL_CASES + OPTIMIZER_CASES + TRAINER_CASES
             + [TRAINER_SCHEDULE] + NETWORK_CASES + [SIMPLE_CONVNET_GRADIENT_CHECK] + INIT_CASES + DEFAULTS_CASES)
