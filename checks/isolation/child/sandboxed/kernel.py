"""Running a learner's definitions the way Jupyter and the book's scripts run them.

Three pieces, used by `workspace.py` in the child process:

- `Contexts`: where code runs. A notebook runs with its own folder as the working
  directory and first on `sys.path`, followed by the repository's root (the folder
  holding `common/` or `dataset/`), as in Jupyter after the book's
  `sys.path.append(os.pardir)`. Each (root, folder) pair keeps its own set of the
  learner's imported modules: `C02/layers.py` imported by `C02/note.ipynb` is not what
  `C03/note.ipynb` gets for `import layers`.
- `VirtualModules`: importable modules that exist only in notebooks. The book's own
  notebooks hold its files (`# common/layers.py` before a code cell): where no real
  file is there, `import common.layers` gets that cell, run in its notebook's namespace
  as the kernel had it. `dataset.mnist`, when the learner has none, is the grader's
  verified MNIST (`data.load_mnist`).
- `run_statements`: a cell's kept statements, one at a time: a statement that fails
  (`import keras`, a class over a base that failed to import) leaves only what it binds
  undefined, and says so in a note; the rest of the cell and notebook still runs.
"""

import contextlib
import importlib.abc
import importlib.util
import linecache
import os
import sys
import types

__all__ = ["Contexts", "VirtualModules", "format_error", "register_source", "run_statement"]


def format_error(error):
    """`Type: message` on one line, capped (an error message is the learner's text)."""
    try:
        message = " ".join(str(error).split())
    except BaseException:  # noqa: BLE001 - a __str__ that raises is the learner's
        message = "?"
    text = f"{type(error).__name__}: {message}" if message else type(error).__name__
    return text[:300]


def register_source(filename, code):
    """Make `code` the text tracebacks show for `filename` (a notebook cell has no file of its own)."""
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)


def run_statement(code_object, namespace):
    """Run one compiled statement in `namespace`; the exception it raised, or None."""
    try:
        exec(code_object, namespace)  # noqa: S102 - the learner's own definitions, inside the boundary
    except BaseException as error:  # noqa: BLE001 - SystemExit and KeyboardInterrupt from a cell included
        return error
    return None


class Contexts:
    """The (root, folder) code runs in, and the learner's modules loaded in each."""

    def __init__(self, top):
        self.top = os.path.realpath(top)
        self._prefix = self.top.rstrip("/") + "/"
        self._caches = {}
        self.current = None  # (root, folder) whose modules are in sys.modules now

    def is_local(self, module):
        """Whether `module` is the learner's (a file under their folder, or a module made from their notebooks)."""
        try:
            if getattr(module, "__dlfs_local__", False):
                return True
            filename = getattr(module, "__file__", None)
            if isinstance(filename, str):
                return filename.startswith(self._prefix)
            path = getattr(module, "__path__", None)
            return path is not None and any(isinstance(entry, str) and entry.startswith(self._prefix)
                                            for entry in list(path))
        except Exception:  # noqa: BLE001 - a module object the learner made odd
            return False

    def _switch(self, key):
        loaded = {name: module for name, module in list(sys.modules.items()) if self.is_local(module)}
        if self.current is not None:
            self._caches[self.current] = loaded
        for name in loaded:
            sys.modules.pop(name, None)
        sys.modules.update(self._caches.get(key, {}))
        self.current = key

    @contextlib.contextmanager
    def active(self, root, folder, package_home=None):
        """Run inside (root, folder): its modules loaded, the folder the working directory, both on sys.path
        (and `package_home`, where the package a file is in can be imported from)."""
        root, folder = str(root), str(folder)
        if self.current != (root, folder):
            self._switch((root, folder))
        saved_cwd = os.getcwd()
        saved_path = list(sys.path)
        front = []
        for entry in (folder, root, package_home):
            if entry is not None and entry not in front:
                front.append(str(entry))
        # another context's folders stay on sys.path for call-time imports, but not ahead of what this
        # folder sees: a vendored copy (`sample/common/__init__.py`) would shadow this root's own
        # `common/` (a namespace package loses to a regular one anywhere on the path)
        others = {entry for key in self._caches if key != (root, folder) for entry in key
                  if not _contains(entry, folder)}
        sys.path[:] = front + [entry for entry in saved_path if entry not in front and entry not in others]
        os.chdir(folder)
        try:
            yield
        finally:
            # what the code appended (`os.pardir`) stays usable from any working directory,
            # and so do the context's own folders (a method importing at call time)
            added = [os.path.normpath(os.path.join(folder, entry)) if isinstance(entry, str) else entry
                     for entry in sys.path if entry not in saved_path]
            os.chdir(saved_cwd)
            added = [entry for entry in added if entry not in others]
            sys.path[:] = saved_path + [entry for index, entry in enumerate(added)
                                        if entry not in saved_path and entry not in added[:index]]


def _contains(folder, inner):
    """Whether `inner` is `folder` or lies under it."""
    folder = folder.rstrip("/") + "/"
    return (inner.rstrip("/") + "/").startswith(folder)


class _VirtualLoader(importlib.abc.Loader):
    def __init__(self, fill):
        self.fill = fill

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        module.__dlfs_local__ = True
        self.fill(module)


class VirtualModules(importlib.abc.MetaPathFinder):
    """Modules the learner's folder holds only in notebooks (or not at all: `dataset.mnist`).

    Registered per root: `provide(root, "common.layers", fill)` makes `import common.layers`
    run `fill(module)` when code running under that root imports it and no real file is
    found first (this finder comes last on `sys.meta_path`).
    """

    def __init__(self, contexts):
        self.contexts = contexts
        self._table = {}  # root -> {module name: (fill, is_package)}

    def provide(self, root, name, fill, package=False):
        self._table.setdefault(str(root), {}).setdefault(name, (fill, package))
        parent = name.rpartition(".")[0]
        if parent:
            self._table[str(root)].setdefault(parent, (None, True))

    def find_spec(self, fullname, path=None, target=None):
        if self.contexts.current is None:
            return None
        entry = self._table.get(self.contexts.current[0], {}).get(fullname)
        if entry is None:
            return None
        fill, package = entry
        loader = _VirtualLoader(fill or (lambda module: None))
        spec = importlib.util.spec_from_loader(fullname, loader, is_package=package)
        if package:
            spec.submodule_search_locations = []
        return spec

    def install(self):
        if self not in sys.meta_path:
            sys.meta_path.append(self)


def new_module(name, filename):
    """A fresh module for a notebook's namespace (not `__main__`: guarded demos stay off)."""
    module = types.ModuleType(name)
    module.__file__ = filename
    module.__dlfs_local__ = True
    module.__builtins__ = __builtins__
    return module
