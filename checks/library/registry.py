"""The registry of named checks — scikit-learn's `check_*` + `parametrize_with_checks`.

A check is declared once, with everything the harness needs to know about it beside
it, by the registering decorator `check`:

    @check(on=LAYER_CASES, when=lambda case: bool(case.params), weight=4, role="correctness")
    def check_backward_gradient_params(impl, case): ...

- `on`: the cases it runs on (from `checks/library/cases/`, or inline);
- `when`: optional filter over those cases (a loss has no dout to vary, …);
- `weight`: its weight in its chapter's points (see `checks/grading/points.py` for the scale);
- `role`: "correctness", "property" or "forward" — a property check (shapes, keeps its
  input, …) also holds for a placeholder, so it earns points only next to a passing
  correctness check of the same component (the credit rule, `checks/grading/scoring.py`);
  a "forward" check judges one method's values against the book's definition (a layer's
  forward): it earns its points on its own, but vouches for nothing else, so a backward
  left a placeholder keeps its properties uncredited;
- `deviations`: where an implementation is right by its own convention but this check
  would mark it wrong (`Deviation`), with the reason; such pairs are out of the points.

Ids read `<Component>(<config>)-<check name>`, so `pytest -k "Affine and gradient"`
selects the checks of Affine about its gradients (numerical dx and dW/db, their
shapes, zero dout), `-k "Affine and backward_gradient"` only the two numerical
gradient checks, and `-k "Affine and backward"` every check of Affine's backward
pass (checks/tests/library/test_registry.py pins these selections).

Pairs come in case-table order (`ALL_CASES`), each case's checks in the order they
were registered; cases declared inline (not in a table) come after, in registration order.

The registry holds what the check modules register; `checks/library/catalog.py` answers
questions about all of them (it imports the check modules, which import this one).
"""

import functools
import re
from dataclasses import dataclass
from typing import Callable

from .diagnosis import running_check

__all__ = ["ROLES", "CheckSpec", "Deviation", "Registry", "REGISTRY", "chapter_of", "check"]

ROLES = ("correctness", "property", "forward")
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
        """Register the decorated `check_<property>(impl, case)`; returns it, run under its own name
        (`diagnosis.running_check`: each `Context.of` inside names the check)."""
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

            @functools.wraps(function)
            def registered(impl, case):
                with running_check(name):  # every Context the check builds names it
                    return function(impl, case)

            self._specs[name] = CheckSpec(registered, cases, weight, role, when, named)
            return registered

        return register

    def remove(self, name):
        """Forget a check (for tests that register a throwaway one)."""
        del self._specs[name]

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


def chapter_of(case):
    """The book chapter a case belongs to, from its section (§5.6.2 → 5)."""
    return int(re.match(r"§(\d+)", case.section).group(1))
