"""Every named check, loaded: the questions asked of the whole registry.

Importing `checks/library/named/` registers its checks in `registry.REGISTRY`; this module
does that import, so that the registry itself never imports the modules that import it.
"""

from . import named  # noqa: F401  (importing the check modules registers them)
from .registry import REGISTRY

__all__ = ["all_checks", "checks_on", "declared_deviation", "parametrize_with_checks", "role_of", "spec_of",
           "weight_of"]


def all_checks():
    """Every (check, case) pair, in a stable order."""
    from .cases import ALL_CASES

    return REGISTRY.pairs(ALL_CASES)


def checks_on(case):
    """The check functions that run on `case`, in order."""
    return [function for function, paired in all_checks() if paired is case]


def spec_of(check_name):
    """The `CheckSpec` of a check, by name."""
    return REGISTRY.spec(check_name)


def weight_of(check_name):
    return spec_of(check_name).weight


def role_of(check_name):
    return spec_of(check_name).role


def declared_deviation(impl_kind, check_name, component):
    """The `Deviation` declared on the check for this kind of implementation and component, or None."""
    for deviation in spec_of(check_name).deviations:
        if deviation.impl_kind in (impl_kind, "*") and deviation.component == component:
            return deviation
    return None


def parametrize_with_checks(pairs=None):
    """`@parametrize_with_checks()` over (check, case) with readable ids."""
    import pytest  # here: a grading command reads the catalog to score, and never needs pytest itself

    pairs = all_checks() if pairs is None else pairs
    params = [pytest.param(check, case, id=f"{case.id}-{check.__name__}") for check, case in pairs]
    return pytest.mark.parametrize(("check", "case"), params)
