"""The implementation under test as a plain module-like namespace, in this process.

The book's experiments train networks with optimizers that update shared arrays in
place, which only works when everything lives in one process; they therefore run
on this namespace rather than through the copy-values adapter of `adapters.py`.
"""

from .child.sandboxed.loaders import open_layout
from .child.sandboxed.missing import MissingName
from .intake import ImplSpec, resolve
from ..locations import temporary_folder

__all__ = ["Namespace", "in_process_namespace"]


class Namespace:
    def __init__(self, layout, workdir=None):
        self._layout = layout
        self._workdir = workdir  # the temporary folder the spec was resolved into (kept while the namespace lives)
        self.label = layout.label

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            value = self._layout.resolve(name)
        except MissingName as missing:
            raise AttributeError(f"{self.label} has no component '{name}': {missing.detail}") from None
        setattr(self, name, value)
        return value

    def __repr__(self):
        return f"<namespace {self.label}>"


def in_process_namespace(impl="reference"):
    """The namespace of `impl`: an ImplSpec, or an IMPL value resolved here (into a temporary
    folder that lives as long as the namespace). Raises IntakeError for a value naming nothing gradable."""
    workdir = None
    if not isinstance(impl, ImplSpec):
        workdir = temporary_folder("intake")
        impl = resolve(impl, workdir.name)
    return Namespace(open_layout({**impl.child_spec(), "support": {}}), workdir)
