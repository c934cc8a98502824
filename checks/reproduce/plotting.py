"""What the claims' figures share: a display-free backend, saving, the book's panels and smoothing.

Each chapter's figures (``claims/chNN.py``, ``draw_*``) take ``data`` — ``{call key: the
dict an experiment returned}``, exactly the data the verdict judged — and the PNG path to
write. Nothing there runs an experiment or computes a result: the only transformation is
the book's own plotting step (``smooth_curve`` on the loss curves, as
optimizer_compare_mnist.py and weight_init_compare.py do).

The Agg backend is selected before pyplot is imported, so drawing needs no display and
never opens a window. pyplot is imported when a figure is first drawn, not with the claims:
matplotlib and pyplot cost 0.9 s of CPU to import here (1.15 s for all the claims), and most
processes that import the claims never draw - each test worker at collection, each
experiment's worker process, a `--no-figures` run.
"""

import importlib

import numpy as np

from .calls import default_implementation

__all__ = ["plt", "save", "save_laid_out", "accuracy_panel", "smooth_curve", "MARKERS"]


class _Pyplot:
    """`matplotlib.pyplot`, imported on the Agg backend at its first use."""

    __slots__ = ()
    _module = None

    def __getattr__(self, name):
        if name.startswith("_"):  # pytest and inspect probe `__wrapped__`, `_mock_name`…: pyplot has none to give
            raise AttributeError(name)
        if _Pyplot._module is None:
            matplotlib = importlib.import_module("matplotlib")
            matplotlib.use("Agg")  # before pyplot: no display on CI or over ssh
            _Pyplot._module = importlib.import_module("matplotlib.pyplot")
        return getattr(_Pyplot._module, name)


plt = _Pyplot()

_DPI = 100
MARKERS = {"SGD": "o", "Momentum": "x", "AdaGrad": "s", "Adam": "D", "std=0.01": "o", "Xavier": "s", "He": "D"}


def save(fig, path):
    fig.savefig(path, dpi=_DPI, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)


def save_laid_out(fig, path):
    """Save a grid of panels after ``tight_layout``, which already fits every label in the canvas.

    bbox_inches="tight" on top of it would lay the figure out once more for nothing:
    drawing dominates the cost of these many-panel figures.
    """
    fig.tight_layout()
    fig.savefig(path, dpi=_DPI, metadata={"Software": None})
    plt.close(fig)


def smooth_curve(x):
    """The book's ``smooth_curve`` (§6.1.8), of the default implementation (the reference; the kit's exercises)."""
    return default_implementation().smooth_curve(x)


def accuracy_panel(ax, train, test, x=None, xlabel="epochs"):
    x = np.arange(len(train)) if x is None else x
    ax.plot(x, train, marker="o", markersize=3, label="train acc")
    ax.plot(x, test, marker="s", markersize=3, linestyle="--", label="test acc")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("accuracy")
    ax.set_ylim(0, 1.0)
    ax.legend(loc="lower right")
