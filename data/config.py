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

# A checkout (its pyproject.toml beside this package) keeps its cache inside, self-contained and
# git-ignored; an installed dlfs never writes into its package folder (site-packages, often
# read-only and shared): its cache is the user's (checks/locations.py says the same of outputs).
_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT_HOME = _PACKAGE / "cache"

_TRUE = {"1", "true", "yes", "on"}


def data_home() -> Path:
    """The cache folder: DLFS_DATA_HOME, else a checkout's ``data/cache``, else the user's cache folder.

    The user's cache folder is platformdirs' (``~/.cache/dlfs`` on Linux, XDG_CACHE_HOME honoured;
    ``~/Library/Caches/dlfs`` on macOS; ``%LOCALAPPDATA%\\dlfs\\Cache`` on Windows).
    """
    value = os.environ.get("DLFS_DATA_HOME", "").strip()
    if value:
        return Path(value).expanduser().resolve()
    if (_PACKAGE.parent / "pyproject.toml").is_file():
        return _CHECKOUT_HOME
    import platformdirs  # only an installed dlfs needs it

    return Path(platformdirs.user_cache_dir("dlfs", appauthor=False))


def mirror_setting() -> str | None:
    """The raw DLFS_MIRROR value (folder, file:// URL or http(s):// base), or None."""
    value = os.environ.get("DLFS_MIRROR", "").strip()
    return value or None


def offline() -> bool:
    """True when DLFS_OFFLINE asks us never to touch the network."""
    return os.environ.get("DLFS_OFFLINE", "").strip().lower() in _TRUE
