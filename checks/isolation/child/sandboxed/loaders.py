"""Find an implementation's components by the book's public names.

An implementation is either a package exposing every name at package level
(`reference`, `exercises`, or any folder with an `__init__.py`), or a folder laid
out like the book's repository (see `book_layout.py`). Both answer `resolve(name)`.
"""

import importlib.util
import sys
from pathlib import Path

from .book_layout import BookLayout
from .missing import MissingName
from .tracebacks import learner_traceback

__all__ = ["MappingLayout", "OverlayLayout", "PackageLayout", "open_layout", "load_package"]


def load_package(name, folder):
    """Import the package in `folder` under module name `name` (once per process)."""
    folder = Path(folder).resolve()
    existing = sys.modules.get(name)
    if existing is not None and Path(getattr(existing, "__file__", "") or "").parent == folder:
        return existing
    spec = importlib.util.spec_from_file_location(
        name, folder / "__init__.py", submodule_search_locations=[str(folder)]
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


class PackageLayout:
    """A package whose `__init__` exports the book's public names."""

    def __init__(self, folder, module_name):
        self.folder = Path(folder)
        self.module_name = module_name
        self.label = f"your package {self.folder.name}/"
        self._module = None
        self._import_error = None

    def module(self):
        if self._module is None and self._import_error is None:
            try:
                self._module = load_package(self.module_name, self.folder)
            except BaseException as error:  # noqa: BLE001 - a broken submission must not stop grading
                self._import_error = learner_traceback(error, self.folder.resolve().parent)
        if self._import_error is not None:
            raise MissingName("*", f"{self.label} failed to import:\n{self._import_error}")
        return self._module

    def resolve(self, name):
        module = self.module()
        try:
            return getattr(module, name)
        except AttributeError:
            raise MissingName(name, f"{self.label} exports no name '{name}'") from None


class OverlayLayout:
    """A base layout with some components replaced by those of one module.

    Used for the bug corpus: a mutant module (checks/tools/mutants/) defines `REPLACES`,
    a dict from component names to its wrong versions; every other name comes from
    the base implementation.
    """

    def __init__(self, base, module_path):
        self.base = base
        self.module_path = Path(module_path)
        self.label = f"{base.label} + {self.module_path.stem}"
        name = "dlfs_mutant_" + self.module_path.stem
        spec = importlib.util.spec_from_file_location(name, self.module_path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        self.replaces = dict(module.REPLACES)

    def resolve(self, name):
        if name in self.replaces:
            return self.replaces[name]
        return self.base.resolve(name)


def open_layout(spec):
    """Build the layout described by `spec`, a dict made by `ImplSpec.child_spec` (checks/isolation/intake/spec.py)."""
    for support_name, support_folder in spec.get("support", {}).items():
        load_package(support_name, support_folder)
    if spec["kind"] == "book":
        return BookLayout(spec["path"], spec["homes"])
    if spec["kind"] == "overlay":
        return OverlayLayout(open_layout({**spec["base"], "support": {}}), spec["path"])
    return PackageLayout(spec["path"], spec["module"])


class MappingLayout:
    """Components looked up in a dict (a running notebook's globals), under the book's spellings too.

    `names` maps a component to every name it is found under (checks/library/components.py).
    """

    def __init__(self, mapping, label, names):
        self.mapping = mapping
        self.label = label
        self.names = names

    def resolve(self, name):
        spellings = [name, *self.names.get(name, ())]
        for spelling in spellings:
            if spelling in self.mapping:
                return self.mapping[spelling]
        raise MissingName(name, f"{self.label} defines no {name} yet")
