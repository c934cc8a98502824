"""Named checks (`check_<property>`), one module per component kind.

Each check is declared once with `@check(...)` (`checks/library/registry.py`);
importing this package registers them all. The cases they run on live in
`checks/library/cases/`.
"""

from . import (  # noqa: F401  (importing a module registers its checks)
    function_checks,
    layer_checks,
    network_checks,
    optimizer_checks,
    special_layer_checks,
    trainer_checks,
    util_checks,
)

__all__ = ["function_checks", "layer_checks", "network_checks", "optimizer_checks", "special_layer_checks",
           "trainer_checks", "util_checks"]
