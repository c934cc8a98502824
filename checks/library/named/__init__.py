"""Named checks (`check_<property>`), one module per component kind."""

from .function_checks import FUNCTION_CHECKS
from .layer_checks import applicable_layer_checks
from .network_checks import NETWORK_CHECKS
from .optimizer_checks import OPTIMIZER_CHECKS
from .special_layer_checks import SPECIAL_LAYER_CHECKS
from .util_checks import UTIL_CHECKS

__all__ = ["FUNCTION_CHECKS", "NETWORK_CHECKS", "OPTIMIZER_CHECKS", "SPECIAL_LAYER_CHECKS", "UTIL_CHECKS",
           "applicable_layer_checks"]
