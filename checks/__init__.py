"""dlfs checks: judge an implementation of the book's components.

Public API (loaded on first use, so `import checks` stays light):

- `check(Affine)` / `check("chapter 5")`: in a running notebook, the checks of what the
  kernel has defined, printed with their diagnoses (in-process; not a grade);
- `grade(impl, out_dir=...)`: grade an implementation in isolated child processes;
- `open_implementation(impl, isolated=...)`: the adapter checks use to reach code;
- the outcome exceptions: `CheckFailure`, `NotAttempted`, `MissingComponent`, …
"""

import importlib

from .library.errors import (
    CheckFailure,
    ImplementationCrashed,
    ImplementationError,
    ImplementationTimeout,
    MissingComponent,
    NotAttempted,
)

__all__ = [
    "check",
    "grade",
    "open_implementation",
    "CheckFailure",
    "ImplementationCrashed",
    "ImplementationError",
    "ImplementationTimeout",
    "MissingComponent",
    "NotAttempted",
]

_LAZY = {"check": "checks.grading.in_kernel", "grade": "checks.grading.run",
         "open_implementation": "checks.isolation.adapters"}


def __getattr__(name):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
