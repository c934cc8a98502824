"""What is not at stake for a kind of implementation, and why.

Two sources, combined here for the grader and for pytest (the root conftest.py
marks these pairs xfail with the reason):

- the deviations declared beside each check (`@check(deviations=...)` in
  `checks/library/named/`, e.g. the book's sigmoid overflow warning);
- for a book-layout folder, the components the book's repository has no file for
  (no `homes` in checks/library/components.py): not at stake, rather than counted as missing.
"""

from ..i18n import N_
from ..isolation.adapters import describe_spec
from ..library.components import component as component_row
from ..library.registry import Deviation, declared_deviation

__all__ = ["book_homeless", "deviation_for", "impl_kind_of"]


def book_homeless(component):
    """True when the book's repository has no file for `component` (its `homes` in checks/library/components.py)."""
    return not component_row(component).homes


def impl_kind_of(impl):
    """"book" for a folder laid out like the book's repository (`book:PATH`, or a plain folder
    detected as one), else "package"; "package" too for a value the impl fixture will refuse."""
    from ..isolation.notebooks import is_notebook_impl

    if is_notebook_impl(impl):
        return "book"  # notebooks are graded as the book-layout folder they are converted into
    try:
        return "book" if describe_spec(impl)["kind"] == "book" else "package"
    except ValueError:
        return "package"


def deviation_for(impl_kind, check_name, component):
    """The `Deviation` taking (check, component) out of the points for `impl_kind`, or None."""
    declared = declared_deviation(impl_kind, check_name, component)
    if declared is not None:
        return declared
    if impl_kind == "book" and book_homeless(component):
        return Deviation("book", component,
                         N_("the book's repository has no file for {component}, so a book-layout folder is not "
                            "graded on it", component=component), check_name)
    return None
