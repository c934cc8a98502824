"""pytest wiring: which implementation the checks run against, and how.

--impl=reference (default) | exercises | PATH (a package exporting the book's names)
       | book:PATH (a folder laid out like the book's repository)
--isolate runs the implementation in a child process (grading always does).
"""

import pytest

from checks.library.outcomes import Outcome, classify
from checks.isolation.adapters import open_implementation
from checks.isolation.namespace import in_process_namespace
from checks.grading.deviations import deviation_for, impl_kind_of
from checks.isolation.notebooks import prepare


def pytest_configure(config):
    """Ragged-array creation and other VisibleDeprecationWarnings fail the test that caused them.

    The class lives in numpy.exceptions from NumPy 1.25, at NumPy's top level before (1.24,
    the oldest supported) and only in numpy.exceptions from 2.0, so it is named here, not in
    pyproject.toml, where a name NumPy lacks only draws a PytestConfigWarning and the filter is off.
    """
    import numpy

    module = "numpy.exceptions" if hasattr(numpy, "exceptions") else "numpy"
    config.addinivalue_line("filterwarnings", f"error::{module}.VisibleDeprecationWarning")


def pytest_addoption(parser):
    group = parser.getgroup("dlfs")
    group.addoption("--impl", default="reference",
                    help="implementation under test: reference, exercises, PATH or book:PATH")
    group.addoption("--isolate", action="store_true",
                    help="run the implementation in a child process, as grading does")


@pytest.fixture(scope="session")
def impl_value(request):
    """The `--impl` value to open: notebooks are converted into a book-layout folder first."""
    with prepare(request.config.getoption("--impl")) as (value, _notes):
        yield value


@pytest.fixture(scope="session")
def impl(request, impl_value):
    """The implementation under test, behind the copy-values adapter (see checks/isolation/adapters.py)."""
    implementation = open_implementation(impl_value, isolated=request.config.getoption("--isolate"))
    yield implementation
    implementation.close()


@pytest.fixture(scope="session")
def lib(impl_value):
    """The implementation as a plain in-process namespace, for the book's experiments."""
    return in_process_namespace(impl_value)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Show a check's diagnosis instead of a traceback through the checks library."""
    outcome = yield
    report = outcome.get_result()
    if not report.failed or call.excinfo is None:
        return
    classified = classify(call.excinfo.value)
    if classified.outcome is Outcome.HARNESS:  # a bug of the checks keeps its traceback
        return
    labelled = classified.outcome in (Outcome.TIMEOUT, Outcome.CRASHED)  # "TIMED OUT: …" already
    label = classified.outcome.value.upper().replace("_", " ")
    report.longrepr = classified.message if labelled else f"{label}: {classified.message}"


def pytest_collection_modifyitems(config, items):
    """Mark checks with a declared deviation for this implementation as xfail, with the reason."""
    kind = impl_kind_of(config.getoption("--impl"))
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is None or "check" not in callspec.params:
            continue
        deviation = deviation_for(kind, callspec.params["check"].__name__, callspec.params["case"].component)
        if deviation is not None:
            item.add_marker(pytest.mark.xfail(reason=f"declared deviation: {deviation.reason}", strict=False))
