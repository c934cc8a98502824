"""checks/tools/margins.py measures what the fast regressions assert, with the same budgets."""

import importlib

import pytest

from checks.tools import margins


@pytest.mark.parametrize("name", sorted(margins.MEASURES))
def test_every_measure_names_an_existing_regression(name):
    _, where = margins.MEASURES[name]
    if "::" not in where:
        return  # the gradient checker's tolerances live in checks/library/gradcheck.py
    module_name, tests = where.split("::", 1)
    module = importlib.import_module("checks.suite." + module_name.removesuffix(".py"))
    for test in tests.split(","):
        test = test.strip().split(" ", 1)[0]
        assert callable(getattr(module, test, None)), f"{name}: {module_name} has no {test}"


def test_budgets_match_the_regressions():
    ch06 = importlib.import_module("checks.suite.test_claims_ch06")
    assert (margins.REG_EPOCHS, margins.REG_TEST_SIZE, margins.BN_FAST_SCALE) == (
        ch06.REG_EPOCHS, ch06.REG_TEST_SIZE, ch06.BN_FAST_SCALE)


def test_seed_ranges_parse():
    assert margins._seeds("0-4") == [0, 1, 2, 3, 4]
    assert margins._seeds("5,8,12-13") == [5, 8, 12, 13]
