"""The registry of named checks — scikit-learn's `check_*` + `parametrize_with_checks`.

A check is declared once, with everything the harness needs to know about it beside
it, by the registering decorator `check`:

    @check(on=LAYER_CASES, when=lambda case: bool(case.params), weight=4, role="correctness")
    def check_backward_gradient_params(impl, case): ...

- `on`: the cases it runs on (from `checks/library/cases/`, or inline);
- `when`: optional filter over those cases (a loss has no dout to vary, …);
- `weight`: its weight in its chapter's points (see `checks/grading/points.py` for the scale);
- `role`: "correctness" or "property" — a property check (shapes, keeps its input, …)
  also holds for a placeholder, so it earns points only next to a passing correctness
  check of the same component (the credit rule, `checks/grading/scoring.py`);
- `deviations`: where an implementation is right by its own convention but this check
  would mark it wrong (`Deviation`), with the reason; such pairs are out of the points.

Ids read `<Component>(<config>)-<check name>`, so `pytest -k "Affine and gradient"`
selects the checks of Affine about its gradients (numerical dx and dW/db, their
shapes, zero dout), `-k "Affine and backward_gradient"` only the two numerical
gradient checks, and `-k "Affine and backward"` every check of Affine's backward
pass (checks/tests/library/test_registry.py pins these selections).

Pairs come in case-table order (`ALL_CASES`), each case's checks in the order they
were registered; cases declared inline (not in a table) come after, in registration order.
"""

import re
from dataclasses import dataclass
from typing import Callable

import pytest

__all__ = ["ROLES", "CheckSpec", "Deviation", "Registry", "REGISTRY", "all_checks", "chapter_of", "check",
           "checks_on", "declared_deviation", "parametrize_with_checks", "role_of", "spec_of", "weight_of"]

ROLES = ("correctness", "property")
IMPL_KINDS = ("book", "package", "*")


@dataclass(frozen=True)
class Deviation:
    """A check that an implementation of `impl_kind` ("book": a book-layout folder,
    "package", or "*": any) passes by its own convention but would fail: not at stake."""

    impl_kind: str
    component: str
    reason: str
    check: str = ""  # filled in by the registry from the decorated check


@dataclass(frozen=True)
class CheckSpec:
    """A registered check and its metadata."""

    function: Callable
    cases: tuple
    weight: int
    role: str
    when: Callable | None = None
    deviations: tuple = ()

    @property
    def name(self):
        return self.function.__name__

    def applies_to(self, case):
        return self.when is None or bool(self.when(case))


class Registry:
    """Checks in registration order; `check` is its decorator."""

    def __init__(self):
        self._specs = {}

    def check(self, *, on, weight, role, when=None, deviations=()):
        """Register the decorated `check_<property>(impl, case)`; returns it unchanged."""
        cases = tuple(on)
        if not cases:
            raise ValueError("@check(on=...) needs at least one case")
        if not isinstance(weight, int) or isinstance(weight, bool) or weight <= 0:
            raise ValueError(f"@check(weight=...) must be a positive integer, got {weight!r}")
        if role not in ROLES:
            raise ValueError(f"@check(role=...) must be one of {ROLES}, got {role!r}")
        for deviation in deviations:
            if not isinstance(deviation, Deviation) or deviation.impl_kind not in IMPL_KINDS:
                raise ValueError(f"@check(deviations=...) takes Deviation(impl_kind in {IMPL_KINDS}, component, "
                                 f"reason), got {deviation!r}")

        def register(function):
            name = function.__name__
            if not name.startswith("check_"):
                raise ValueError(f"a registered check's name starts with 'check_', got {name!r}")
            if name in self._specs:
                raise ValueError(f"{name} is registered twice (check names are pytest ids and point keys)")
            named = tuple(Deviation(d.impl_kind, d.component, d.reason, name) for d in deviations)
            self._specs[name] = CheckSpec(function, cases, weight, role, when, named)
            return function

        return register

    def remove(self, name):
        """Forget a check (for tests that register a throwaway one)."""
        del self._specs[name]

    def specs(self):
        return list(self._specs.values())

    def spec(self, name):
        try:
            return self._specs[name]
        except KeyError:
            raise KeyError(f"no registered check named {name!r}") from None

    def pairs(self, case_order=()):
        """Every (check function, case), cases in `case_order` first, in that order."""
        position = {id(case): index for index, case in enumerate(case_order)}
        ranked = []
        for spec_index, spec in enumerate(self._specs.values()):
            for case_index, case in enumerate(spec.cases):
                if spec.applies_to(case):
                    rank = position.get(id(case))
                    key = (0, rank, spec_index) if rank is not None else (1, spec_index, case_index)
                    ranked.append((key, spec.function, case))
        ranked.sort(key=lambda item: item[0])
        return [(function, case) for _, function, case in ranked]


REGISTRY = Registry()
check = REGISTRY.check


def _loaded():
    """The registry with every named check module imported (importing them registers them)."""
    from . import named  # noqa: F401  (registers the checks)

    return REGISTRY


def all_checks():
    """Every (check, case) pair, in a stable order."""
    from .cases import ALL_CASES

    return _loaded().pairs(ALL_CASES)


def checks_on(case):
    """The check functions that run on `case`, in order."""
    return [function for function, paired in all_checks() if paired is case]


def spec_of(check_name):
    """The `CheckSpec` of a check, by name."""
    return _loaded().spec(check_name)


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


def chapter_of(case):
    """The book chapter a case belongs to, from its section (§5.6.2 → 5)."""
    return int(re.match(r"§(\d+)", case.section).group(1))


def parametrize_with_checks(pairs=None):
    """`@parametrize_with_checks()` over (check, case) with readable ids."""
    pairs = all_checks() if pairs is None else pairs
    params = [pytest.param(check, case, id=f"{case.id}-{check.__name__}") for check, case in pairs]
    return pytest.mark.parametrize(("check", "case"), params)
