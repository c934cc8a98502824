"""Generate (check, case) pairs with readable ids — scikit-learn's parametrize_with_checks.

Ids read `<Component>(<config>)-<check name>`, so `pytest -k "Affine and gradient"`
selects the checks of Affine about its gradients (numerical dx and dW/db, their
shapes, zero dout), `-k "Affine and backward_gradient"` only the two numerical
gradient checks, and `-k "Affine and backward"` every check of Affine's backward
pass (checks/test_generate.py pins these selections).
"""

import re

import pytest

from .cases import LAYER_CASES
from .named import (
    FUNCTION_CHECKS,
    NETWORK_CHECKS,
    OPTIMIZER_CHECKS,
    SPECIAL_LAYER_CHECKS,
    UTIL_CHECKS,
    applicable_layer_checks,
)

__all__ = ["all_checks", "chapter_of", "parametrize_with_checks"]


def chapter_of(case):
    """The book chapter a case belongs to, from its section (§5.6.2 → 5)."""
    return int(re.match(r"§(\d+)", case.section).group(1))


def all_checks():
    """Every (check, case) pair, in a stable order."""
    pairs = list(FUNCTION_CHECKS)
    for case in LAYER_CASES:
        pairs += [(check, case) for check in applicable_layer_checks(case)]
    return pairs + list(SPECIAL_LAYER_CHECKS) + list(UTIL_CHECKS) + list(OPTIMIZER_CHECKS) + list(NETWORK_CHECKS)


def parametrize_with_checks(pairs=None):
    """`@parametrize_with_checks()` over (check, case) with readable ids."""
    pairs = all_checks() if pairs is None else pairs
    params = [pytest.param(check, case, id=f"{case.id}-{check.__name__}") for check, case in pairs]
    return pytest.mark.parametrize(("check", "case"), params)
