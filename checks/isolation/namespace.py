"""The implementation under test as a plain module-like namespace, in this process.

The book's experiments train networks with optimizers that update shared arrays in
place, which only works when everything lives in one process; they therefore run
on this namespace rather than through the copy-values adapter of `impl.py`.
"""

from .adapters import describe_spec
from .child.sandboxed.loaders import open_layout
from .child.sandboxed.missing import MissingName

__all__ = ["Namespace", "in_process_namespace"]


class Namespace:
    def __init__(self, layout):
        self._layout = layout
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
    return Namespace(open_layout({**describe_spec(impl), "support": {}}))
