"""Check ids are readable and `pytest -k` selects what the docs (checks/generate.py) promise."""

import subprocess
import sys

import pytest

from checks.library.registry import all_checks

AFFINE_CASES = ("Affine(2d)", "Affine(4d-input)")


def _selected(expression):
    """Node ids that `pytest checks/suite/test_components.py -k EXPRESSION` collects, from a real pytest run."""
    run = subprocess.run([sys.executable, "-m", "pytest", "checks/suite/test_components.py", "--collect-only", "-q",
                          "-p", "no:cacheprovider", "-k", expression], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    return {line.split("[", 1)[1].rstrip("]") for line in run.stdout.splitlines() if "::test_component[" in line}


def _affine(*checks):
    return {f"{case}-{check}" for case in AFFINE_CASES for check in checks}


@pytest.mark.parametrize(("expression", "expected"), [
    ("Affine and backward_gradient", _affine("check_backward_gradient_dx", "check_backward_gradient_params")),
    ("Affine and gradient", _affine("check_backward_gradient_dx", "check_backward_gradient_params",
                                    "check_output_and_gradient_shapes", "check_zero_dout_gives_zero_gradients")),
    ("Affine and backward", _affine("check_backward_gradient_dx", "check_backward_gradient_params",
                                    "check_backward_linear_in_dout", "check_backward_repeatable")),
], ids=["backward_gradient", "gradient", "backward"])
def test_keyword_selects_the_documented_checks(expression, expected):
    assert _selected(expression) == expected


def test_ids_are_unique_and_name_component_config_and_check():
    ids = [f"{case.id}-{check.__name__}" for check, case in all_checks()]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    assert all(i.split("(", 1)[0] and "-check_" in i for i in ids)
