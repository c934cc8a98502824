"""Where dlfs's own files are, and where what it writes goes (issue #24).

dlfs runs from a checkout (`pip install -e .`, the student kit, Gradescope's autograder)
or from a non-editable install (`pip install git+URL` on Colab, a wheel on a JupyterHub),
whose package folder may be read-only and shared by every user. So two kinds of place
are kept apart:

- `PACKAGE_ROOT`: the folder holding dlfs's packages (`checks`, `reference`, `exercises`,
  `data`): the checkout, or site-packages. Read, never written.
- What dlfs writes: `build/<name>` under the current folder (`output`, every command's
  `--out` default), private folders under the system's temporary folder (`scratch`), and
  the data cache (`data.config.data_home()`: DLFS_DATA_HOME, else a checkout's
  `data/cache/`, else the user's cache folder).

`checkout()` is PACKAGE_ROOT when it is a checkout (its `pyproject.toml` beside the
packages), else None. The maintainers' tools that rewrite the repository (`make docs`,
`make exercises`, the harness's own tests) need one and say so (`require_checkout`).
"""

import os
import tempfile
from pathlib import Path

__all__ = ["PACKAGE_ROOT", "NoCheckout", "checkout", "output", "require_checkout", "TEMPORARY_KINDS",
           "kept_temporary_folder", "temporary_folder", "temporary_prefix"]

PACKAGE_ROOT = Path(__file__).resolve().parent.parent


class NoCheckout(RuntimeError):
    """A maintainer's command ran on an installed dlfs, which has no repository to work on."""


def checkout():
    """The checkout dlfs runs from, or None for an installed dlfs (a wheel, `pip install git+URL`)."""
    return PACKAGE_ROOT if (PACKAGE_ROOT / "pyproject.toml").is_file() else None


def require_checkout(what):
    """The checkout, or NoCheckout saying that `what` needs one and where this dlfs is installed."""
    root = checkout()
    if root is None:
        raise NoCheckout(f"{what} works on a checkout of dlfs (git clone, then pip install -e .); this dlfs "
                         f"is installed in {PACKAGE_ROOT}, which it never writes to")
    return root


def output(name):
    """`build/<name>` under the current folder: where a command writes unless told `--out`."""
    return Path("build") / name


# What a process of dlfs makes in the system's temporary folder is named `dlfs-<kind>-<its pid>-…`:
# removed when done, or, if the process was killed first (a grader at Gradescope's time limit, a
# run stopped with SIGKILL), by the next grader, which removes those of pids no longer alive
# (checks/isolation/boundary.py `sweep_stale`).
TEMPORARY_KINDS = ("child", "stage", "scratch", "intake", "figures", "probe", "run")


def temporary_prefix(kind):
    """`dlfs-<kind>-<this pid>-`, the start of the name of a temporary folder of one of TEMPORARY_KINDS."""
    if kind not in TEMPORARY_KINDS:
        raise ValueError(f"temporary folders are of the kinds {', '.join(TEMPORARY_KINDS)}, not {kind!r}")
    return f"dlfs-{kind}-{os.getpid()}-"


def temporary_folder(kind):
    """A TemporaryDirectory `dlfs-<kind>-<this pid>-…` (see TEMPORARY_KINDS), removed when the block ends."""
    return tempfile.TemporaryDirectory(prefix=temporary_prefix(kind))


def kept_temporary_folder(kind):
    """A new private folder (mode 0700) `dlfs-<kind>-<this pid>-…`, for the caller to remove (or the sweep)."""
    return Path(tempfile.mkdtemp(prefix=temporary_prefix(kind)))
