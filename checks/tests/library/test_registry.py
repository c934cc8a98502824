"""The registry: check ids are readable, `pytest -k` selects what its docstring promises, and a
check declared once (decorator, cases, weight, role) is all it takes to add one."""

import os
import re
import subprocess
import sys

import pytest

from checks.library.named.function_checks import check_truth_table
from checks.library.catalog import all_checks, declared_deviation, role_of, spec_of
from checks.library.registry import REGISTRY, Registry, check

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


def test_every_component_with_cases_is_in_the_components_table_and_vice_versa():
    from checks.library.components import COMPONENTS

    with_cases = {case.component for _, case in all_checks()}
    assert with_cases - set(COMPONENTS) == set(), "add these to checks/library/components.py"
    assert set(COMPONENTS) - with_cases == set(), "these components have no cases in checks/library/cases/"


def test_every_case_of_a_table_runs_at_least_one_check():
    from checks.library.cases import ALL_CASES

    paired = {id(case) for _, case in all_checks()}
    assert [case.id for case in ALL_CASES if id(case) not in paired] == []


def test_a_throwaway_check_is_collected_weighted_and_graded_from_its_declaration_alone():
    """Adding a check touches one place: its decorated definition gives the pair, the weight, the role."""
    from checks.grading import score_records
    from checks.grading.table import component_points
    from checks.library.cases import FunctionCase

    case = FunctionCase("softmax", "throwaway", "§3.5.2")
    before = component_points()[3]["softmax"]

    @check(on=[case], weight=3, role="property")
    def check_throwaway(impl, case):
        """Always holds."""

    try:
        assert all_checks()[-1] == (check_throwaway, case)
        assert (spec_of("check_throwaway").weight, role_of("check_throwaway")) == (3, "property")
        points, count = component_points()[3]["softmax"]
        assert count == before[1] + 1 and points > before[0]
        assert sum(p for p, _ in component_points()[3].values()) == 10
        raw = [{"nodeid": f"x::test_component[{c.id}-{f.__name__}]", "outcome": "passed", "message": "",
                "check": f.__name__, "case": c.id} for f, c in all_checks()]
        record = next(r for r in score_records(raw, "package") if r.check == "check_throwaway")
        assert record.outcome == "passed" and record.points > 0
    finally:
        REGISTRY.remove("check_throwaway")
    assert check_throwaway not in {f for f, _ in all_checks()}


def test_a_check_registered_by_a_plugin_runs_in_the_suite_under_its_id(tmp_path):
    """A check declared in a module of its own is collected and run by checks/suite/test_components.py."""
    (tmp_path / "throwaway_check.py").write_text(
        "from checks.library.cases import FunctionCase\n"
        "from checks.library.registry import check\n\n\n"
        "@check(on=[FunctionCase('softmax', 'throwaway', '§3.5.2')], weight=1, role='correctness')\n"
        "def check_softmax_sums_to_one(impl, case):\n"
        "    assert abs(float(impl.get('softmax')([1.0, 2.0]).sum()) - 1) < 1e-12\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), os.getcwd()])}
    run = subprocess.run([sys.executable, "-m", "pytest", "checks/suite/test_components.py", "-p", "throwaway_check",
                          "-p", "no:cacheprovider", "-k", "throwaway", "-v"], capture_output=True, text=True,
                         env=env, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "test_component[softmax(throwaway)-check_softmax_sums_to_one] PASSED" in run.stdout


@pytest.mark.parametrize(("arguments", "complaint"), [
    ({"on": [], "weight": 1, "role": "property"}, "at least one case"),
    ({"on": ["case"], "weight": 0, "role": "property"}, "positive integer"),
    ({"on": ["case"], "weight": 1, "role": "nice-to-have"}, "must be one of"),
    ({"on": ["case"], "weight": 1, "role": "property", "deviations": [("book", "x")]}, "Deviation("),
], ids=["no-cases", "weight", "role", "deviation"])
def test_a_bad_declaration_is_refused_with_what_was_expected(arguments, complaint):
    with pytest.raises(ValueError, match=re.escape(complaint)):
        Registry().check(**arguments)


def test_a_check_name_is_registered_once():
    registry = Registry()
    registry.check(on=["case"], weight=1, role="property")(check_truth_table)
    with pytest.raises(ValueError, match="registered twice"):
        registry.check(on=["case"], weight=1, role="property")(check_truth_table)


def test_deviations_are_declared_on_their_check():
    deviation = declared_deviation("book", "check_sigmoid_no_overflow_warning", "sigmoid")
    assert deviation is not None and deviation.check == "check_sigmoid_no_overflow_warning"
    assert "overflow" in deviation.reason
    assert declared_deviation("package", "check_sigmoid_no_overflow_warning", "sigmoid") is None


def test_no_check_types_its_own_name():
    """The registry names the running check in every Context (`Context.of(impl, case, …)`): a check's name
    appears in the named checks only where it is defined (and in its module's __all__)."""
    import ast
    from pathlib import Path

    import checks.library.named as named

    names = {check.__name__ for check, _ in all_checks()}
    retyped = []
    for path in sorted(Path(named.__file__).parent.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        exported = {id(node) for assign in ast.walk(tree) if isinstance(assign, ast.Assign)
                    and any(getattr(target, "id", None) == "__all__" for target in assign.targets)
                    for node in ast.walk(assign.value)}
        retyped += [f"{path.name}:{node.lineno}: {node.value}" for node in ast.walk(tree)
                    if isinstance(node, ast.Constant) and node.value in names and id(node) not in exported]
    assert retyped == []


def test_context_of_names_the_running_check():
    from checks.library.cases import FunctionCase
    from checks.library.diagnosis import Context

    case = FunctionCase("softmax", "throwaway", "§3.5.2")

    class Impl:
        label = "reference"

    @check(on=[case], weight=1, role="property")
    def check_names_itself(impl, case):
        return Context.of(impl, case, "x", "y")

    try:
        assert check_names_itself(Impl(), case).check == "check_names_itself"
    finally:
        REGISTRY.remove("check_names_itself")
    with pytest.raises(RuntimeError, match="registered check"):
        Context.of(Impl(), case)
