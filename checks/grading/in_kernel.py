"""`check(...)`: grade what a running notebook (Jupyter, Colab) has defined so far, in one line.

    from checks import check
    check(Affine)          # the checks of one component, as defined in this kernel
    check("chapter 5")     # every component of chapter 5 the kernel defines
    check()                # every component the kernel defines

The checks run in the kernel's own process, on the objects its cells defined (the
caller's globals), and print the same table, diagnoses and points as `make grade`,
with the same outcomes (checks/library/outcomes.py). It is for checking one's own work
while writing it: the points are not a grade — `make grade` is. Each call into the
notebook's code has a time limit (`call_timeout`): a method that loops forever is
stopped where it is, reported as timed out with the line it was stopped at, and not
called again by the checks that follow; the kernel goes on.
"""

import inspect
import re
import time
from fractions import Fraction

from ..i18n import N_, translator
from ..isolation.adapters import Implementation, LocalTransport
from ..isolation.intake import ImplSpec
from ..isolation.intake.spec import component_table
from ..isolation.child.sandboxed.loaders import MappingLayout
from ..library.components import TABLE, spellings
from ..library.outcomes import tracing
from ..library.catalog import all_checks
from ..library.registry import chapter_of
from .records import record_of
from .scoring import GradeResult, score_records
from .report import render_summary

__all__ = ["CALL_TIMEOUT", "check"]

_ = translator("grading")
# seconds one call into the notebook's code may take (the reference's slowest call takes < 0.2 s)
CALL_TIMEOUT = 10.0

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


def check(target=None, *, namespace=None, show=True, call_timeout=CALL_TIMEOUT):
    """Run the checks of `target` on what this kernel defines, print the table and diagnoses.

    Args:
        target: a class or function defined in the notebook (its checks), a component
            name ("Affine"), "chapter 5" / "ch5", or None (every component defined).
        namespace: where to find components (default: the caller's globals).
        show: print the summary.
        call_timeout: seconds one call into the notebook's code may take before it is
            stopped (None: no limit).

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
    layout = MappingLayout(namespace, label, _NAMES, {name: row["extensions"] for name, row in component_table().items()})
    transport = LocalTransport(spec, layout=layout, call_timeout=call_timeout)
    impl = Implementation(spec, transport)
    raw = []
    for check_function, case in all_checks():
        wanted = case.component in components if components is not None else case.component in defined
        if not wanted or (chapters is not None and chapter_of(case) not in chapters):
            continue
        begun = time.monotonic()
        with tracing() as trace:
            try:
                check_function(impl, case)
                error = None
            except Exception as caught:  # noqa: BLE001 - every outcome is reported, none stops the others
                error = caught
        raw.append(record_of(f"kernel[{case.id}-{check_function.__name__}]", check_function.__name__, case, error,
                             trace, duration=time.monotonic() - begun))
    if not raw:
        wanted = (", ".join(sorted(components)) if components
                  else _("chapter {chapters}", chapters=", ".join(str(c) for c in sorted(chapters))) if chapters
                  else _("anything"))
        raise LookupError(_("no check applies to {wanted}: define one of the book's components (e.g. class Affine, "
                            "def softmax) in the notebook first", wanted=wanted))
    records = score_records(raw, spec.deviation_kind)
    result = GradeResult(impl="kernel", label=label, kind="in-kernel", records=records,
                         exact_score=sum((r.earned for r in records), Fraction(0)),
                         exact_max_score=sum((r.points for r in records), Fraction(0)),
                         execution_time=time.monotonic() - started)
    if show:
        print(render_summary(result), end="")
    return result
