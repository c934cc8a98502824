"""Find an implementation's components by the book's public names.

An implementation is either a package exposing every name at package level
(`reference`, `exercises`, or any folder with an `__init__.py`), or a learner's
folder, notebook or script read like the book's repository and Jupyter read it
(`workspace.py`). All answer `resolve(name, chapter=None)`; the chapter is the one of
the check asking, which only a learner's folder can tell apart (the ch04 and ch05
TwoLayerNet).
"""

import importlib.util
import os
import sys
from pathlib import Path

from .listings import has_form
from .missing import MissingName
from .tracebacks import learner_traceback
from .workspace import Workspace

__all__ = ["MappingLayout", "OverlayLayout", "PackageLayout", "components_of", "open_layout", "load_package"]


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

    def resolve(self, name, chapter=None, extension=None):
        """The package's `name`; a dotted name is a path (`ch04.TwoLayerNet`: the `TwoLayerNet` of its `ch04`)."""
        found = self.module()
        try:
            for part in name.split("."):
                found = getattr(found, part)
        except AttributeError:
            raise MissingName(name, f"{self.label} exports no name '{name}'") from None
        return found


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

    def resolve(self, name, chapter=None, extension=None):
        if name in self.replaces:
            return self.replaces[name]
        return self.base.resolve(name, chapter, extension)


def components_of(spec):
    """{component: {"chapter", "names", "homes"}} from a spec (`components`, or the older `homes` alone)."""
    if spec.get("components"):
        return spec["components"]
    return {name: {"chapter": None, "names": list(homes[0][1]) if homes else [name],
                   "homes": [home for home, _ in homes]} for name, homes in spec.get("homes", {}).items()}


def open_layout(spec):
    """Build the layout described by `spec`, a dict made by `ImplSpec.child_spec` (checks/isolation/intake/spec.py).

    A learner's work ("kind": "book", also spelled "workspace") is read by `Workspace`:
    "path" is the folder the child may read, "entry" (optional) a notebook or script in
    it to grade alone, "components" the book's table (chapter, names, homes of each
    component), "log" a file in the child's own writable folder (where a load that never
    finished is remembered).
    """
    for support_name, support_folder in spec.get("support", {}).items():
        load_package(support_name, support_folder)
    if spec["kind"] in ("book", "workspace"):
        state = os.path.dirname(spec["log"]) if spec.get("log") else None
        return Workspace(spec["path"], components_of(spec), entry=spec.get("entry"), state_dir=state)
    if spec["kind"] == "overlay":
        return OverlayLayout(open_layout({**spec["base"], "support": {}}), spec["path"])
    return PackageLayout(spec["path"], spec["module"])


class MappingLayout:
    """Components looked up in a dict (a running notebook's globals), under the book's spellings too.

    `names` maps a component to every name it is found under (checks/library/components.py);
    `extensions` a component to its extensions' texts ({form: {"section", "what", "listing"}}):
    a definition written as the book's first listing of it (listings.py) is not checked for more.
    """

    def __init__(self, mapping, label, names, extensions=None):
        self.mapping = mapping
        self.label = label
        self.names = names
        self.extensions = extensions or {}

    def resolve(self, name, chapter=None, extension=None):
        spellings = [name, *self.names.get(name, ())]
        for spelling in spellings:
            if spelling in self.mapping:
                value = self.mapping[spelling]
                if extension is not None and not has_form(extension, _node_of(value, spelling)):
                    asked = self.extensions.get(name, {}).get(extension, {})
                    raise MissingName(name, f"no {spelling} written for {asked.get('section')} ({asked.get('what')}): "
                                            f"{self.label}'s is {asked.get('listing')}, graded where the book prints it")
                return value
        raise MissingName(name, f"{self.label} defines no {name} yet")


def _node_of(value, name):
    """The definition of `value` as its source reads (a running notebook keeps each cell's source), or None."""
    import ast
    import inspect
    import textwrap

    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(value)))
    except (OSError, TypeError, SyntaxError, ValueError):
        return None
    return next((node for node in tree.body if getattr(node, "name", None) == getattr(value, "__name__", name)), None)
