"""The intake: whatever IMPL names — a name, a package, a book layout, notebooks, a .py, loose
files, a zip, a copy of the kit — resolved once into a frozen, typed `ImplSpec`.

    from checks.isolation.intake import resolve, resolved, resolve_submission, ImplSpec, Kind, Form

    spec = resolve("book:deep-learning-from-scratch", workdir)   # or: with resolved(value) as spec: ...
    spec.kind, spec.path, spec.display, spec.notes, spec.child_spec()

`spec.py` (the record), `resolve.py` (the resolver), `zips.py` (safe unpacking),
`loose_files.py` (loose .py files placed onto the stubs), `submission.py` (a submission
copied without leaving it; grade-all's list of submissions). A learner's notebooks and
folders are not parsed here: the child reads them (checks/isolation/child/sandboxed/
workspace.py). `IntakeError` is every refusal.
"""

from .errors import IntakeError
from .resolve import resolve, resolve_submission, resolved
from .spec import Form, ImplSpec, Kind, load_spec
from .zips import UnpackError

__all__ = ["Form", "ImplSpec", "IntakeError", "Kind", "UnpackError", "load_spec", "resolve", "resolve_submission",
           "resolved"]
