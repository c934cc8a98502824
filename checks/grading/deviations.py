"""What is not at stake for a kind of implementation, and why.

Two sources, combined here for the grader and for pytest (the root conftest.py
marks these pairs xfail with the reason):

- the deviations declared beside each check (`@check(deviations=...)` in
  `checks/library/named/`, e.g. the book's sigmoid overflow warning);
- for a book-layout folder, the components the book's repository has no file for
  (no `homes` in checks/library/components.py): not at stake, rather than counted as missing.
"""

from ..i18n import N_
from ..library.components import component as component_row
from ..library.catalog import declared_deviation
from ..library.registry import Deviation

__all__ = ["book_homeless", "deviation_for"]


def book_homeless(component):
    """True when the book's repository has no file for `component` (its `homes` in checks/library/components.py)."""
    return not component_row(component).homes


def deviation_for(impl_kind, check_name, component):
    """The `Deviation` taking (check, component) out of the points for `impl_kind` (an ImplSpec's
    `deviation_kind`: "book" or "package"), or None."""
    declared = declared_deviation(impl_kind, check_name, component)
    if declared is not None:
        return declared
    if impl_kind == "book" and book_homeless(component):
        return Deviation("book", component,
                         N_("the book's repository has no file for {component}, so a book-layout folder is not "
                            "graded on it", component=component), check_name)
    return None
