"""`check(...)`: grade what a running notebook (Jupyter, Colab) has defined so far, in one line.

    from checks import check
    check(Affine)          # the checks of one component, as defined in this kernel
    check("chapter 5")     # every component of chapter 5 the kernel defines
    check()                # every component the kernel defines

The checks run in the kernel's own process, on the objects its cells defined (the
caller's globals), and print the same table, diagnoses and points as `make grade`.
It is for checking one's own work while writing it: nothing is isolated, so a method
that loops forever blocks the cell (interrupt the kernel), and the points are not a
grade — `make grade` is.
"""

import inspect
import re
import time
from fractions import Fraction

from ..i18n import N_, translator
from ..isolation.adapters import Implementation, LocalTransport
from ..isolation.intake import ImplSpec
from ..isolation.child.sandboxed.loaders import MappingLayout
from ..library.errors import (CheckFailure, ImplementationCrashed, ImplementationError, ImplementationTimeout,
                              MissingComponent, NotAttempted)
from ..library.components import TABLE, spellings
from ..library.registry import all_checks, chapter_of
from .scoring import GradeResult, score_records
from .report import render_summary

__all__ = ["check"]

_ = translator("grading")

LABEL = N_("this notebook")  # the implementation's name in diagnoses, translated when checked
_SPELLINGS = spellings()
_NAMES = {row.name: row.names for row in TABLE}
_CHAPTER = re.compile(r"^\s*(?:chapter|ch)?\s*0?(\d)\s*$", re.IGNORECASE)


def _book_name(name):
    return _SPELLINGS.get(name, name)


def _selection(target, namespace):
    """(components, chapters) to check for `target`; components None means every one defined."""
    if target is None:
        return None, None
    if isinstance(target, str):
        match = _CHAPTER.match(target)
        if match:
            return None, {int(match.group(1))}
        name = _book_name(target)
        if not any(_book_name(defined) == name for defined in namespace):
            raise LookupError(_("{target} is not defined in this notebook yet: define it (book's name) and check again",
                                target=target))
        return {name}, None
    name = getattr(target, "__name__", None)
    if name is None:
        raise TypeError(_("check() takes a class or function you defined, a component name or 'chapter N'; got {kind}",
                          kind=type(target).__name__))
    namespace.setdefault(name, target)
    return {_book_name(name)}, None


def _outcome(error):
    """(kind, message) of a check that ended with `error` (None: passed), as grading classifies it."""
    if error is None:
        return "passed", ""
    if isinstance(error, CheckFailure):
        return "wrong", str(error)
    if isinstance(error, NotAttempted):
        return "not_attempted", _("{component} raised NotImplementedError: {message}", component=error.component,
                                  message=error.message)
    if isinstance(error, ImplementationError):
        return "error", _("{component} raised {type_name}: {message}", component=error.component,
                          type_name=error.type_name, message=error.message)
    if isinstance(error, MissingComponent):
        return "missing", str(error)
    if isinstance(error, (ImplementationTimeout, ImplementationCrashed)):
        return "error", str(error)
    return "harness", _("the check could not use what the implementation returned: {error}",
                        error=type(error).__name__ + ": " + str(error))


def check(target=None, *, namespace=None, show=True):
    """Run the checks of `target` on what this kernel defines, print the table and diagnoses.

    Args:
        target: a class or function defined in the notebook (its checks), a component
            name ("Affine"), "chapter 5" / "ch5", or None (every component defined).
        namespace: where to find components (default: the caller's globals).
        show: print the summary.

    Returns:
        GradeResult (points as in `make grade`, for the checks that ran).
    """
    if namespace is None:
        namespace = inspect.currentframe().f_back.f_globals
    namespace = dict(namespace)
    components, chapters = _selection(target, namespace)
    defined = {_book_name(name) for name in namespace}
    started = time.monotonic()
    label = _(LABEL)
    spec = ImplSpec.kernel(label)
    impl = Implementation(spec, LocalTransport(spec, layout=MappingLayout(namespace, label, _NAMES)))
    raw = []
    for check_function, case in all_checks():
        wanted = case.component in components if components is not None else case.component in defined
        if not wanted or (chapters is not None and chapter_of(case) not in chapters):
            continue
        try:
            check_function(impl, case)
            error = None
        except Exception as caught:  # noqa: BLE001 - every outcome is reported, none stops the others
            error = caught
        kind, message = _outcome(error)
        raw.append({"nodeid": f"kernel[{case.id}-{check_function.__name__}]", "kind": kind, "message": message,
                    "search": message, "case": case.id, "check": check_function.__name__, "duration": 0.0})
    if not raw:
        wanted = (", ".join(sorted(components)) if components
                  else _("chapter {chapters}", chapters=", ".join(str(c) for c in sorted(chapters))) if chapters
                  else _("anything"))
        raise LookupError(_("no check applies to {wanted}: define one of the book's components (e.g. class Affine, "
                            "def softmax) in the notebook first", wanted=wanted))
    records = score_records(raw, "package")
    result = GradeResult(impl="kernel", label=label, kind="in-kernel", records=records,
                         exact_score=sum((r.earned for r in records), Fraction(0)),
                         exact_max_score=sum((r.points for r in records), Fraction(0)),
                         execution_time=time.monotonic() - started)
    if show:
        print(render_summary(result), end="")
    return result
