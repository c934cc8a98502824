"""Import components from a folder laid out like the book's repository.

The book's scripts find `common/` by appending `os.pardir` to `sys.path` while the
current directory is their chapter folder, and import siblings by bare name
(`from and_gate import AND`). We reproduce exactly that convention while a file is
imported, then restore the working directory. Files are imported under private
module names, never as `__main__`, so training guarded by `if __name__ == '__main__'`
does not run.
"""

import contextlib
import importlib.util
import os
import sys
import traceback
from pathlib import Path

import numpy as np

from .missing import MissingName

__all__ = ["BOOK_HOMES", "BookLayout", "REMOVED_NUMPY_ALIASES"]

# name -> [(file, [spellings seen in the wild])], first existing file wins.
BOOK_HOMES = {
    "AND": [("ch02/and_gate.py", ["AND"])],
    "NAND": [("ch02/nand_gate.py", ["NAND"])],
    "OR": [("ch02/or_gate.py", ["OR"])],
    "XOR": [("ch02/xor_gate.py", ["XOR"])],
    "identity_function": [("common/functions.py", ["identity_function"])],
    "step_function": [("common/functions.py", ["step_function"])],
    "sigmoid": [("common/functions.py", ["sigmoid"])],
    "sigmoid_grad": [("common/functions.py", ["sigmoid_grad"])],
    "relu": [("common/functions.py", ["relu"])],
    "relu_grad": [("common/functions.py", ["relu_grad"])],
    "softmax": [("common/functions.py", ["softmax"])],
    "mean_squared_error": [("common/functions.py", ["mean_squared_error", "sum_squared_error"])],
    "cross_entropy_error": [("common/functions.py", ["cross_entropy_error"])],
    "numerical_gradient": [("common/gradient.py", ["numerical_gradient"])],
    "MulLayer": [("ch05/layer_naive.py", ["MulLayer"])],
    "AddLayer": [("ch05/layer_naive.py", ["AddLayer"])],
    "Relu": [("common/layers.py", ["Relu", "ReLU", "ReLu"])],
    "Sigmoid": [("common/layers.py", ["Sigmoid"])],
    "Affine": [("common/layers.py", ["Affine"])],
    "SoftmaxWithLoss": [("common/layers.py", ["SoftmaxWithLoss", "SoftmaxWithLossLayer"])],
    "Dropout": [("common/layers.py", ["Dropout"])],
    "BatchNormalization": [("common/layers.py", ["BatchNormalization", "BatchNorm"])],
    "Convolution": [("common/layers.py", ["Convolution", "Conv"])],
    "Pooling": [("common/layers.py", ["Pooling", "MaxPooling"])],
    "SGD": [("common/optimizer.py", ["SGD"])],
    "Momentum": [("common/optimizer.py", ["Momentum"])],
    "Nesterov": [("common/optimizer.py", ["Nesterov"])],
    "AdaGrad": [("common/optimizer.py", ["AdaGrad", "Adagrad"])],
    "RMSprop": [("common/optimizer.py", ["RMSprop", "RMSProp"])],
    "Adam": [("common/optimizer.py", ["Adam"])],
    "im2col": [("common/util.py", ["im2col"])],
    "col2im": [("common/util.py", ["col2im"])],
    "conv_output_size": [("common/util.py", ["conv_output_size"])],
    "smooth_curve": [("common/util.py", ["smooth_curve"])],
    "shuffle_dataset": [("common/util.py", ["shuffle_dataset"])],
    "TwoLayerNet": [("ch05/two_layer_net.py", ["TwoLayerNet"]), ("ch04/two_layer_net.py", ["TwoLayerNet"])],
    "MultiLayerNet": [("common/multi_layer_net.py", ["MultiLayerNet"])],
    "MultiLayerNetExtend": [("common/multi_layer_net_extend.py", ["MultiLayerNetExtend"])],
    "Trainer": [("common/trainer.py", ["Trainer"])],
    "SimpleConvNet": [("ch07/simple_convnet.py", ["SimpleConvNet"])],
    "DeepConvNet": [("ch08/deep_convnet.py", ["DeepConvNet"])],
}

# Old copies of the book's code use aliases NumPy removed in 1.24; the grader
# restores them so that such code runs, and reports their use separately.
REMOVED_NUMPY_ALIASES = {"int": int, "float": float, "bool": bool, "object": object, "complex": complex}


def _restore_numpy_aliases():
    for alias, builtin in REMOVED_NUMPY_ALIASES.items():
        if alias not in np.__dict__:
            setattr(np, alias, builtin)


@contextlib.contextmanager
def _book_import_context(root, chapter_dir):
    """The book's import convention: cwd = chapter folder, root and chapter on sys.path."""
    saved_cwd = os.getcwd()
    saved_path = list(sys.path)
    for folder in (str(root), str(chapter_dir)):
        if folder not in sys.path:
            sys.path.insert(0, folder)
    os.chdir(chapter_dir)
    try:
        yield
    finally:
        os.chdir(saved_cwd)
        # keep what the scripts added (their siblings must stay importable) but
        # put our own entries back where they were
        sys.path[:] = saved_path + [p for p in sys.path if p not in saved_path]


class BookLayout:
    """Components of a book-layout folder, found through `BOOK_HOMES`."""

    def __init__(self, root):
        self.root = Path(root).resolve()
        self.label = f"book-layout folder {self.root}"
        self._modules = {}
        _restore_numpy_aliases()

    def _import(self, relative):
        if relative in self._modules:
            return self._modules[relative]
        path = self.root / relative
        if not path.is_file():
            result = ("missing", f"{relative} does not exist in {self.label}")
        else:
            name = "book_" + relative[:-3].replace("/", "_")
            try:
                with _book_import_context(self.root, path.parent):
                    spec = importlib.util.spec_from_file_location(name, path)
                    module = importlib.util.module_from_spec(spec)
                    sys.modules[name] = module
                    spec.loader.exec_module(module)
                result = ("ok", module)
            except BaseException:  # noqa: BLE001 - report, never crash the grader
                sys.modules.pop(name, None)
                result = ("missing", f"{relative} failed to import:\n{traceback.format_exc(limit=-3)}")
        self._modules[relative] = result
        return result

    def resolve(self, name):
        homes = BOOK_HOMES.get(name)
        if homes is None:
            raise MissingName(name, "the book's repository has no home for this component")
        reasons = []
        for relative, spellings in homes:
            status, payload = self._import(relative)
            if status != "ok":
                reasons.append(payload)
                continue
            for spelling in spellings:
                if hasattr(payload, spelling):
                    return getattr(payload, spelling)
            reasons.append(f"{relative} defines none of {', '.join(spellings)}")
        raise MissingName(name, "; ".join(reasons))
