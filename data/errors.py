"""Exceptions raised by the data package.

Every error names the file, what was expected and what came, so that a user
reading one line knows whether to retry, fix a mirror or report tampering.
"""

from __future__ import annotations

import pickle

__all__ = [
    "DataError",
    "IntegrityError",
    "DownloadError",
    "OfflineError",
    "UnsafePickleError",
]


class DataError(Exception):
    """Base class: anything that goes wrong while getting or reading data files."""


class IntegrityError(DataError):
    """Bytes that do not match the pinned size, format or SHA-256."""


class DownloadError(DataError):
    """No source could provide a verified copy of one or more files.

    ``failures`` maps each file to the list of ``(source, reason)`` pairs that
    were tried, in order, so callers (and tests) can inspect what happened.
    """

    def __init__(self, message: str, failures: dict[str, list[tuple[str, str]]] | None = None):
        super().__init__(message)
        self.failures = failures or {}

    def __reduce__(self):
        # Keep the details when the error crosses a process boundary.
        return type(self), (self.args[0], self.failures)


class OfflineError(DownloadError):
    """Files are missing and the network may not be used (or cannot be reached).

    A subclass of DownloadError because it is the same situation seen from the
    user's side (the files could not be obtained); its message says how to
    point DLFS_MIRROR at a local copy instead.
    """

    def __init__(
        self,
        message: str,
        failures: dict[str, list[tuple[str, str]]] | None = None,
        missing: list[str] | None = None,
    ):
        super().__init__(message, failures)
        self.missing = missing or []

    def __reduce__(self):
        return type(self), (self.args[0], self.failures, self.missing)


class UnsafePickleError(DataError, pickle.UnpicklingError):
    """A pickle asked for a global outside the values-only allow-list.

    Also an UnpicklingError so code that already handles bad pickles keeps working.
    """

    def __init__(self, module: str, name: str):
        super().__init__(
            f"refusing to unpickle global {module}.{name}: only NumPy arrays, scalars, "
            "dtypes and builtin containers are allowed (the data may be malicious)"
        )
        self.module = module
        self.name = name

    def __reduce__(self):
        return type(self), (self.module, self.name)


# Outcomes of one source, caught by the fetcher to decide what to try next.
# Kept out of __all__: callers only ever see the aggregated errors above.


class SourceMissing(DataError):
    """The source answered but does not have the file (404/403, no such local file)."""


class SourceUnreachable(DataError):
    """Every attempt failed before any answer: DNS, refused connection, connect timeout."""


class SourceFailed(DataError):
    """The source answered but could not deliver (5xx after retries, dropped transfers)."""
