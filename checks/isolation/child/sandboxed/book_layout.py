"""The book's repository layout, as a learner's folder follows it.

The book's scripts find `common/` by appending `os.pardir` to `sys.path` while the
current directory is their chapter folder, and import siblings by bare name
(`from and_gate import AND`); `workspace.py` reproduces that convention (kernel.py's
contexts). Files are imported under private module names, never as `__main__`, so
training guarded by `if __name__ == '__main__'` does not run.

Three components live in chapter scripts that do their chapter's work at top level,
unguarded: `numerical_diff` in ch04/gradient_1d.py (plots a tangent), `gradient_descent`
in ch04/gradient_method.py (runs and plots a descent) and `predict` in
ch03/neuralnet_mnist.py (loads MNIST and sample_weight.pkl, classifies 10,000 images).
These SCRIPT_FILES are read *definitions only* (`definitions_only`): their imports,
function and class definitions and constant assignments run, in the same import
context; their top-level calls, loops and plots do not. Every other home — common/*.py,
the chapter files holding a class (two_layer_net.py, simple_convnet.py, …) — is a
module the book itself imports, so it is imported whole: its import-time code is part
of it (a rebinding the module relies on runs; a training loop left unguarded there is
the submission's own hang, reported as such).
"""

from pathlib import Path

from .cells import is_kept
from .trace import restore_numpy_aliases as _restore_with_notes

__all__ = ["REMOVED_NUMPY_ALIASES", "SCRIPT_FILES", "definitions_only", "looks_like_book_layout",
           "restore_numpy_aliases"]

# Chapter scripts whose top level is the chapter's demo, not a definition: read definitions only.
SCRIPT_FILES = frozenset({"ch03/neuralnet_mnist.py", "ch03/neuralnet_mnist_batch.py", "ch04/gradient_1d.py",
                          "ch04/gradient_method.py"})


def looks_like_book_layout(folder):
    """Whether `folder` is laid out like the book's repository: a common/ folder or a chNN/ folder."""
    folder = Path(folder)
    return (folder / "common").is_dir() or any(p.is_dir() for p in folder.glob("ch0[2-8]"))


def definitions_only(tree):
    """`tree` (a module's AST) keeping only imports, definitions and constant assignments.

    Dropped: every other top-level statement — calls (`plt.show()`, `get_data()`),
    loops, assignments of computed values (`network = init_network()`) and
    `if __name__ == '__main__':` blocks. A definition that reads a dropped name fails
    when called, with a NameError naming it. (The rule itself: `cells.is_kept`.)
    """
    tree.body = [node for node in tree.body if is_kept(node)]
    return tree


# Old copies of the book's code use aliases NumPy removed in 1.24; the grader
# restores them so that such code runs, and reports each use (trace.py).
REMOVED_NUMPY_ALIASES = {"int": int, "float": float, "bool": bool, "object": object, "complex": complex}


def restore_numpy_aliases():
    _restore_with_notes(REMOVED_NUMPY_ALIASES)
