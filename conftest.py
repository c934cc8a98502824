"""pytest wiring: which implementation the checks run against, and how.

--impl=reference (default) | exercises | PATH (a package exporting the book's names, a
       folder laid out like the book's repository or holding notebooks, a notebook, a .py file)
       | book:PATH (a folder laid out like the book's repository)
--isolate runs the implementation in a child process (grading always does).
"""

import json
import os
from pathlib import Path

import pytest

from checks.library.errors import CheckFailure, ImplementationError, MissingComponent
from checks.isolation.adapters import open_implementation
from checks.isolation.namespace import in_process_namespace
from checks.grading.deviations import deviation_for, impl_kind_of


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
    """The `--impl` value to open (notebooks are read where they are, by the child: workspace.py)."""
    return request.config.getoption("--impl")


@pytest.fixture(scope="session")
def impl(request, impl_value):
    """The implementation under test, behind the copy-values adapter (see checks/isolation/adapters.py).

    When grading (`--grade-dir`), what the child read and where it found each component
    is left there for the grader (`sources-<pid>.json`, one per pytest process).
    """
    implementation = open_implementation(impl_value, isolated=request.config.getoption("--isolate"))
    yield implementation
    grade_dir = request.config.getoption("--grade-dir", default=None)
    if grade_dir and implementation.spec["kind"] == "book":
        report = implementation.sources()
        (Path(grade_dir) / f"sources-{os.getpid()}.json").write_text(json.dumps(report), encoding="utf-8")
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
    error = call.excinfo.value if call.excinfo is not None else None
    if report.failed and isinstance(error, (CheckFailure, ImplementationError, MissingComponent)):
        label = "NOT ATTEMPTED" if type(error).__name__ == "NotAttempted" else type(error).__name__
        report.longrepr = f"{label}: {error}"


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
