"""Name safety: a learner's `data.py`, `reference/` or `exercises/` never stands in for dlfs's own (issue #24).

In a Jupyter kernel the notebook's folder comes first on `sys.path`, so a learner's
`data.py` there is what `import data` finds. dlfs's entry points never put that folder
first: the `dlfs` command runs from its script's folder, grading's pytest from the
package folder, the sandboxed child loads dlfs's packages by path, and `check()` in a
kernel imports none of these names. Where dlfs code still imports one of them in such a
process, `OwnPackages` (first on `sys.meta_path` once `checks` is imported) stops the
import with `ShadowedPackage`, which names the learner's file and what to do, instead of
running dlfs on the learner's module. A learner's own `import data` is left alone: their
names are theirs. Why a detection and not a `dlfs.*` namespace: docs/install.md.

`checks` itself cannot be guarded from inside: a learner's `checks.py` in the notebook's
folder is what `from checks import check` imports, and Python's ImportError names it.
"""

import importlib
import os
import sys
from pathlib import Path

from ..i18n import N_, translator
from ..locations import PACKAGE_ROOT

__all__ = ["GUARDED", "OwnPackages", "ShadowedPackage", "install"]

GUARDED = ("data", "reference", "exercises")
_OWN = tuple(str(PACKAGE_ROOT / name) for name in ("checks", *GUARDED))
_ = translator("grading")
_SHADOWED = {
    "file": N_("dlfs needs its own package '{name}', but your file {path} would be imported in its place (the "
               "working folder comes first on sys.path, as in a notebook): rename it (for example my_{name}.py) or "
               "work in another folder; the dlfs command is not affected"),
    "folder": N_("dlfs needs its own package '{name}', but your folder {path} would be imported in its place (the "
                 "working folder comes first on sys.path, as in a notebook): rename it (for example my_{name}) or "
                 "work in another folder; the dlfs command is not affected"),
}


class ShadowedPackage(ImportError):
    """dlfs imported one of its own packages and a learner's module of that name would have been used."""


def _ours(path):
    return any(path == own or path.startswith(own + os.sep) for own in _OWN)


def _importer():
    """The file of the code running the import (the first frame outside importlib and `import_module`)."""
    frame = sys._getframe(2)
    while frame is not None and (frame.f_code.co_filename.startswith("<frozen importlib")
                                 or frame.f_code.co_filename == _IMPORT_MODULE):
        frame = frame.f_back
    return frame.f_code.co_filename if frame is not None else ""


_IMPORT_MODULE = importlib.__file__


def _where(spec):
    """The file or folder a spec would import: a package's folder, a module's file."""
    if spec.submodule_search_locations:
        return str(Path(next(iter(spec.submodule_search_locations))).resolve())
    return str(Path(spec.origin or "").resolve())


class OwnPackages:
    """A meta path finder: dlfs's imports of `data`, `reference`, `exercises` get dlfs's, or a clear error."""

    def find_spec(self, name, path=None, target=None):
        if path is not None or name not in GUARDED or not _ours(_importer()):
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, None, target)
            if spec is None:
                continue
            found = _where(spec)
            if _ours(found):
                return spec
            kind = "folder" if spec.submodule_search_locations else "file"
            raise ShadowedPackage(_(_SHADOWED[kind], name=name, path=found), name=name, path=found)
        return None


def install():
    """Put `OwnPackages` first on `sys.meta_path` (once per process)."""
    if not any(isinstance(finder, OwnPackages) for finder in sys.meta_path):
        sys.meta_path.insert(0, OwnPackages())
