"""pytest wiring of the checks: which implementation they run against, and how.

Loaded by the checkout's conftest.py (`pytest_plugins`) and by grading (`-p checks.suite.wiring`,
checks/grading/run.py), so an installed dlfs, which has no conftest.py, grades the same way.

--impl=VALUE    reference (default; exercises where there is no reference/, as in the student
                kit) | exercises | PATH | book:PATH | mutant:NAME | a notebook, a .py, a .zip… —
                anything checks/isolation/intake/ resolves; resolved once, here
--impl-spec=F   an ImplSpec already resolved (JSON, `ImplSpec.dump`): what grading passes
--isolate       runs the implementation in a child process (grading always does)

The spec is resolved once per run, in the controller, and kept in `config.stash`; xdist
workers receive it from the controller (`workerinput`), never resolving again.
"""

import json
import os
from pathlib import Path

import pytest

from checks.grading.deviations import deviation_for
from checks.isolation.adapters import open_implementation
from checks.isolation.intake import ImplSpec, IntakeError, load_spec, resolve
from checks.isolation.namespace import in_process_namespace
from checks.library.outcomes import Outcome, classify
from checks.locations import PACKAGE_ROOT, temporary_folder

# the student kit and the autograder ship no reference/: their checks run the learner's exercises
DEFAULT_IMPL = "reference" if (PACKAGE_ROOT / "reference").is_dir() else "exercises"
IMPL_SPEC = pytest.StashKey[ImplSpec]()
_WORKER_KEY = "dlfs_impl_spec"


def pytest_addoption(parser):
    group = parser.getgroup("dlfs")
    group.addoption("--impl", default=DEFAULT_IMPL,
                    help="implementation under test: reference, exercises, mutant:NAME, PATH (a package, a book "
                         "layout, notebooks, a .py, a .zip) or book:PATH")
    group.addoption("--impl-spec", default=None, metavar="FILE",
                    help="an implementation already resolved (JSON written by ImplSpec.dump); overrides --impl")
    group.addoption("--isolate", action="store_true",
                    help="run the implementation in a child process, as grading does")


def _resolve_once(config):
    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None and _WORKER_KEY in workerinput:
        return ImplSpec.from_json(workerinput[_WORKER_KEY])
    path = config.getoption("--impl-spec")
    if path:
        try:
            return load_spec(path)
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise pytest.UsageError(f"--impl-spec={path}: not a resolved implementation ({error})") from None
    workdir = temporary_folder("intake")
    config.add_cleanup(workdir.cleanup)
    try:
        return resolve(config.getoption("--impl"), workdir.name)
    except IntakeError as error:
        raise pytest.UsageError(error.for_option("--impl")) from None


def pytest_configure(config):
    """Resolve the implementation once; make ragged-array creation and other VisibleDeprecationWarnings
    fail the test that caused them.

    The warning class lives in numpy.exceptions from NumPy 1.25, at NumPy's top level before (1.24,
    the oldest supported) and only in numpy.exceptions from 2.0, so it is named here, not in
    pyproject.toml, where a name NumPy lacks only draws a PytestConfigWarning and the filter is off.
    """
    import numpy

    module = "numpy.exceptions" if hasattr(numpy, "exceptions") else "numpy"
    config.addinivalue_line("filterwarnings", f"error::{module}.VisibleDeprecationWarning")
    config.stash[IMPL_SPEC] = _resolve_once(config)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    """xdist: each worker gets the controller's spec (the files it names are the controller's)."""
    node.workerinput[_WORKER_KEY] = node.config.stash[IMPL_SPEC].to_json()


@pytest.fixture(scope="session")
def impl_spec(request):
    """The ImplSpec under test (checks/isolation/intake/spec.py)."""
    return request.config.stash[IMPL_SPEC]


@pytest.fixture(scope="session")
def impl(request, impl_spec):
    """The implementation under test, behind the copy-values adapter (see checks/isolation/adapters.py).

    When grading (`--grade-dir`), what the child read of a learner's folder and where it found
    each component is left there for the grader (`sources-<pid>.json`, one per pytest process).
    """
    implementation = open_implementation(impl_spec, isolated=request.config.getoption("--isolate"))
    yield implementation
    grade_dir = request.config.getoption("--grade-dir", default=None)
    if grade_dir and impl_spec.homes:
        report = implementation.sources()
        (Path(grade_dir) / f"sources-{os.getpid()}.json").write_text(json.dumps(report), encoding="utf-8")
    implementation.close()


@pytest.fixture(scope="session")
def lib(impl_spec):
    """The implementation as a plain in-process namespace, for the book's experiments."""
    return in_process_namespace(impl_spec)


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
    kind = config.stash[IMPL_SPEC].deviation_kind
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is None or "check" not in callspec.params:
            continue
        deviation = deviation_for(kind, callspec.params["check"].__name__, callspec.params["case"].component)
        if deviation is not None:
            item.add_marker(pytest.mark.xfail(reason=f"declared deviation: {deviation.reason}", strict=False))
