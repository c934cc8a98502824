"""The book's experiments: where they are, the implementation they run on, and running a claim's calls.

The experiments are ``reference/experiments`` in the repository. The student kit has no
``reference/``: it ships the same files, unchanged, as ``checks/experiments``, and the
learner's ``exercises`` as the implementation they run on by default. ``EXPERIMENT_HOMES``
and ``DEFAULT_IMPLEMENTATIONS`` list both places, first the repository's: whichever is
there is used, so nothing is rewritten when the kit is built.
"""

import hashlib
import importlib
import importlib.util
import inspect
import json
from pathlib import Path

from ..locations import PACKAGE_ROOT
from .texts import _

__all__ = ["EXPERIMENT_HOMES", "DEFAULT_IMPLEMENTATIONS", "experiments_module", "default_implementation",
           "implementation_namespace", "implementation_digest", "missing_component", "run_calls"]

EXPERIMENT_HOMES = ("reference.experiments", "checks.experiments")
DEFAULT_IMPLEMENTATIONS = ("reference", "exercises")


def _first_present(names):
    """The first of ``names`` whose package folder sits beside this ``checks`` (the checkout, the kit, an install).

    Looked up on disk rather than with ``find_spec``: a ``reference`` found elsewhere on
    ``sys.path`` (a learner's folder, another checkout's editable install) is not this
    checkout's, and the names guard (checks/isolation/names.py) would rightly refuse it.
    """
    for name in names:
        if (PACKAGE_ROOT.joinpath(*name.split(".")) / "__init__.py").is_file():
            return name
    raise ModuleNotFoundError(f"none of {', '.join(names)} is in {PACKAGE_ROOT} (is dlfs installed, or the working "
                              "folder its checkout?)")


def experiments_module():
    """The package of the book's experiments (``reference.experiments``, or the kit's ``checks.experiments``).

    Looked up at each use rather than imported once, so that a test can substitute an
    experiment on the module.
    """
    return importlib.import_module(_first_present(EXPERIMENT_HOMES))


def default_implementation():
    """The implementation package used when none is named: ``reference``, or the kit's ``exercises``."""
    return importlib.import_module(_first_present(DEFAULT_IMPLEMENTATIONS))


def implementation_namespace(impl):
    """The namespace the experiments run on for ``--impl=impl`` (None for the reference package itself)."""
    if impl == "reference":
        return None
    from ..isolation.namespace import in_process_namespace

    return in_process_namespace(impl)


def _tree_digest(h, root, patterns=("*.py", "*.ipynb")):
    root = Path(root)
    files = [root] if root.is_file() else sorted(p for pattern in patterns for p in root.rglob(pattern)
                                                 if "__pycache__" not in p.parts)
    for path in files:
        h.update(path.relative_to(root.parent if root.is_file() else root).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())


def implementation_digest(impl):
    """SHA-256 of the source an ``--impl`` run executes: the implementation's files and the experiments'.

    A rerun with the same digest (and environment) computes the same data: the results cache
    keys on it. For ``mutant:NAME`` the mutant's file and the reference's both count.
    """
    from ..isolation.intake import resolved

    h = hashlib.sha256()
    with resolved(impl) as spec:
        for root in (spec.path, spec.base.path if spec.base is not None else ""):
            if root:
                _tree_digest(h, root)
    _tree_digest(h, Path(experiments_module().__file__).parent)
    return h.hexdigest()


def missing_component(error, lib):
    """Why an experiment could not run on ``lib``, naming the component; None for a genuine error.

    A component not written yet raises NotImplementedError (the exercises' stubs say which
    one and where in the book); a name the implementation does not define raises the
    namespace's AttributeError ("... has no component 'X' ..."). Anything else is a bug.
    """
    if isinstance(error, NotImplementedError):
        tb = error.__traceback__
        while tb.tb_next is not None:
            tb = tb.tb_next
        code = tb.tb_frame.f_code
        component = getattr(code, "co_qualname", code.co_name)
        detail = str(error).strip()
        if detail.startswith(component.split(".")[0]):
            return detail  # the stubs' own message, already in the learner's language
        return (_("{component}: not implemented yet ({detail})", component=component, detail=detail) if detail
                else _("{component}: not implemented yet", component=component))
    label = getattr(lib, "label", None)
    if label is not None and str(error).startswith(f"{label} has no component"):
        return str(error)
    return None


def run_calls(calls, lib=None, *, progress=None, done=None, cache=None):
    """Run a claim's experiment calls on ``lib`` and return ``{key: returned data}``.

    Args:
        calls: ``{key: Call}``, as ``Claim.calls(opts)`` gives them.
        lib: the implementation namespace the experiments take their components from
            (None: the default implementation).
        progress: optional ``(index, key) -> progress(done, total)`` callback factory, passed
            to the experiments that report progress.
        done: optional ``(index, key)`` called after each call.
        cache: optional dict shared between claims (e.g. a test module's): a call equal to one
            already made (same function and arguments) reuses its data instead of running again.
    """
    experiments = experiments_module()
    data = {}
    for index, (key, call) in enumerate(calls.items()):
        identity = (call.function, json.dumps(call.kwargs, sort_keys=True))
        if cache is not None and identity in cache:
            data[key] = cache[identity]
        else:
            function = getattr(experiments, call.function)
            kwargs = dict(call.kwargs)
            if lib is not None:
                kwargs["lib"] = lib
            if progress is not None and "progress" in inspect.signature(function).parameters:
                kwargs["progress"] = progress(index, key)
            data[key] = function(**kwargs)
            if cache is not None:
                cache[identity] = data[key]
        if done is not None:
            done(index, key)
    return data
