"""Named checks (`check_<property>`), one module per component kind."""

from .function_checks import FUNCTION_CHECKS
from .layer_checks import applicable_layer_checks
from .network_checks import NETWORK_CHECKS
from .optimizer_checks import OPTIMIZER_CHECKS

__all__ = ["FUNCTION_CHECKS", "NETWORK_CHECKS", "OPTIMIZER_CHECKS", "applicable_layer_checks"]
