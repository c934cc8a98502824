"""Settings read from the environment, at call time.

Read on every call rather than at import so that tests (and long-lived
processes) can change DLFS_* variables without re-importing the package.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

__all__ = ["user_agent", "data_home", "mirror_setting", "offline"]


@functools.lru_cache(maxsize=1)
def user_agent() -> str:
    """``dlfs/<version>``; looked up only when a download needs it (metadata is slow to import)."""
    from importlib import metadata

    # The distribution is not always installed (tests run from a checkout), so
    # fall back to the version pinned in pyproject.toml.
    try:
        version = metadata.version("dlfs")
    except metadata.PackageNotFoundError:
        version = "0.1.0"
    return f"dlfs/{version}"

# Inside the package folder so that a checkout is self-contained; the folder
# is git-ignored.
_DEFAULT_HOME = Path(__file__).resolve().parent / "cache"

_TRUE = {"1", "true", "yes", "on"}


def data_home() -> Path:
    """The cache folder: DLFS_DATA_HOME, else ``data/cache`` next to this package."""
    value = os.environ.get("DLFS_DATA_HOME", "").strip()
    if value:
        return Path(value).expanduser().resolve()
    return _DEFAULT_HOME


def mirror_setting() -> str | None:
    """The raw DLFS_MIRROR value (folder, file:// URL or http(s):// base), or None."""
    value = os.environ.get("DLFS_MIRROR", "").strip()
    return value or None


def offline() -> bool:
    """True when DLFS_OFFLINE asks us never to touch the network."""
    return os.environ.get("DLFS_OFFLINE", "").strip().lower() in _TRUE
