"""dlfs checks: named checks, the one gradient checker, implementation adapters, grading."""

from .library.errors import (
    CheckFailure,
    ImplementationCrashed,
    ImplementationError,
    ImplementationTimeout,
    MissingComponent,
    NotAttempted,
)

__all__ = [
    "CheckFailure",
    "ImplementationCrashed",
    "ImplementationError",
    "ImplementationTimeout",
    "MissingComponent",
    "NotAttempted",
]
