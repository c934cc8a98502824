"""Submissions the grading tests build in tmp_path: copies of reference/ and exercises/,
half-done exercises, hostile packages and folders laid out like the book's repository.

Everything here is assembled from this repository's own code (reference/ and
exercises/) plus small variants written for the tests; nothing comes from the
book's repository.
"""

import shutil
import textwrap
from pathlib import Path

from checks.impl import REPO_ROOT
from checks.stubgen import EXCLUDED

__all__ = ["REFERENCE", "EXERCISES", "copy_package", "restore_from_reference", "stub_method",
           "build_book_layout", "BOOK_FILES"]

REFERENCE = REPO_ROOT / "reference"
EXERCISES = REPO_ROOT / "exercises"


def copy_package(source, destination):
    """Copy a package tree (no experiments/, no caches) and return the destination."""
    destination = Path(destination)
    shutil.copytree(source, destination, ignore=shutil.ignore_patterns(*EXCLUDED, "*.pyc"))
    return destination


def restore_from_reference(package, *relative_files):
    """Put the reference's solution files back into a copied exercises package."""
    for relative in relative_files:
        shutil.copyfile(REFERENCE / relative, Path(package) / relative)


def stub_method(package, relative_file, qualname, body):
    """Replace the body of `Class.method` (or `function`) in a copied file with `body`.

    The body is indented to the method's level; its docstring is kept.
    """
    import ast

    path = Path(package) / relative_file
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    parts = qualname.split(".")
    nodes = tree.body
    target = None
    for part in parts:
        target = next(node for node in nodes if getattr(node, "name", None) == part)
        nodes = target.body
    first = target.body[0]
    has_doc = isinstance(first, ast.Expr) and isinstance(getattr(first, "value", None), ast.Constant) \
        and isinstance(first.value.value, str)
    start = (target.body[1] if has_doc else first).lineno - 1
    end = target.end_lineno
    indent = " " * (target.col_offset + 4)
    lines = text.splitlines(keepends=True)
    new_body = textwrap.indent(textwrap.dedent(body).strip("\n") + "\n", indent)
    if has_doc and len(target.body) == 1:
        start = first.end_lineno
    path.write_text("".join(lines[:start]) + new_body + "".join(lines[end:]), encoding="utf-8")
    return path


# -- a folder laid out like the book's repository ------------------------------------------
# Thin modules importing from a copy of reference/ in common/dlfs_copy/, plus variants
# that follow the book's conventions where they differ from ours (all correct).
_BOOK_FILES = {
    "common/__init__.py": "",
    "common/functions.py": '''
        import numpy as np

        from common.dlfs_copy.functions import (cross_entropy_error, identity_function, relu, sigmoid_grad,
                                                softmax)
        # an old copy's name for the same function
        from common.dlfs_copy.functions import mean_squared_error as sum_squared_error


        def step_function(x):
            return np.array(x > 0, dtype=np.int)  # np.int: removed in NumPy 1.24, restored by the grader


        def sigmoid(x):
            return 1 / (1 + np.exp(-x))  # warns about overflow below -709 (a declared deviation)


        def relu_grad(x):
            grad = np.zeros_like(x)
            grad[x >= 0] = 1  # 1 at exactly 0: the other convention
            return grad
        ''',
    "common/gradient.py": '''
        from common.dlfs_copy.gradient import numerical_gradient
        ''',
    "common/layers.py": '''
        import numpy as np

        from common.dlfs_copy.layers import Affine, BatchNormalization, Convolution, Dropout, Sigmoid
        from common.dlfs_copy.layers import Pooling as _Pooling
        from common.functions import cross_entropy_error, softmax


        class Relu:
            """Backward zeroes dout in place and hands the same array back."""

            def __init__(self):
                self.mask = None

            def forward(self, x):
                self.mask = x <= 0
                out = x.copy()
                out[self.mask] = 0
                return out

            def backward(self, dout):
                dout[self.mask] = 0
                return dout


        class SoftmaxWithLoss:
            """backward ignores dout (a loss is the end of the graph)."""

            def __init__(self):
                self.y = None
                self.t = None

            def forward(self, x, t):
                self.t = t
                self.y = softmax(x)
                return cross_entropy_error(self.y, t)

            def backward(self, dout=1):
                n = self.t.shape[0]
                if self.t.size == self.y.size:
                    return (self.y - self.t) / n
                grad = self.y.copy()
                grad[np.arange(n), self.t] -= 1
                return grad / n


        class Pooling(_Pooling):
            """Ignores pad altogether (right whenever pad == 0, the only case the checks use)."""

            def forward(self, x):
                saved, self.pad = self.pad, 0
                try:
                    return super().forward(x)
                finally:
                    self.pad = saved
        ''',
    "common/optimizer.py": '''
        from common.dlfs_copy.optimizers import SGD, AdaGrad, Adam, Momentum, Nesterov
        from common.dlfs_copy.optimizers import RMSprop as RMSProp  # the other spelling
        ''',
    "common/util.py": '''
        from common.dlfs_copy.util import col2im, conv_output_size, im2col, shuffle_dataset, smooth_curve
        ''',
    "common/multi_layer_net.py": '''
        from common.dlfs_copy.multi_layer_net import MultiLayerNet
        ''',
    "common/multi_layer_net_extend.py": '''
        from common.dlfs_copy.multi_layer_net_extend import MultiLayerNetExtend
        ''',
    "common/trainer.py": '''
        from common.dlfs_copy import trainer as _trainer

        # the misspelt key of old copies: optimizer='RMSprop' is unknown to this Trainer
        _trainer._OPTIMIZERS = {("rmsprpo" if key == "rmsprop" else key): value
                                for key, value in _trainer._OPTIMIZERS.items()}
        Trainer = _trainer.Trainer
        ''',
    "ch02/and_gate.py": '''
        from common.dlfs_copy.gates import AND
        ''',
    "ch02/nand_gate.py": '''
        from common.dlfs_copy.gates import NAND
        ''',
    "ch02/or_gate.py": '''
        from common.dlfs_copy.gates import OR
        ''',
    "ch02/xor_gate.py": '''
        import os
        import sys

        sys.path.append(os.pardir)
        from and_gate import AND  # siblings by bare name, as the book's scripts do
        from nand_gate import NAND
        from or_gate import OR

        print("xor_gate imported")  # an import-time print


        def XOR(x1, x2):
            return AND(NAND(x1, x2), OR(x1, x2))


        if __name__ == "__main__":
            for xs in [(0, 0), (1, 0), (0, 1), (1, 1)]:
                print(xs, XOR(*xs))
        ''',
    "ch05/layer_naive.py": '''
        from common.dlfs_copy.layer_naive import AddLayer, MulLayer
        ''',
    "ch05/two_layer_net.py": '''
        import os
        import sys
        from collections import OrderedDict

        import numpy as np

        sys.path.append(os.pardir)
        from common.gradient import numerical_gradient
        from common.layers import Affine, Relu, SoftmaxWithLoss


        class TwoLayerNet:
            """Built on the book-convention Relu and SoftmaxWithLoss; the loss layer is `lastLayer`."""

            def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01):
                self.params = {
                    "W1": weight_init_std * np.random.randn(input_size, hidden_size),
                    "b1": np.zeros(hidden_size),
                    "W2": weight_init_std * np.random.randn(hidden_size, output_size),
                    "b2": np.zeros(output_size),
                }
                self.layers = OrderedDict(
                    Affine1=Affine(self.params["W1"], self.params["b1"]),
                    Relu1=Relu(),
                    Affine2=Affine(self.params["W2"], self.params["b2"]))
                self.lastLayer = SoftmaxWithLoss()

            def predict(self, x):
                for layer in self.layers.values():
                    x = layer.forward(x)
                return x

            def loss(self, x, t):
                return self.lastLayer.forward(self.predict(x), t)

            def accuracy(self, x, t):
                y = np.argmax(self.predict(x), axis=1)
                if t.ndim != 1:
                    t = np.argmax(t, axis=1)
                return np.sum(y == t) / float(x.shape[0])

            def numerical_gradient(self, x, t):
                loss = lambda _: self.loss(x, t)
                return {key: numerical_gradient(loss, self.params[key]) for key in ("W1", "b1", "W2", "b2")}

            def gradient(self, x, t):
                self.loss(x, t)
                dout = self.lastLayer.backward(1)
                for layer in reversed(list(self.layers.values())):
                    dout = layer.backward(dout)
                return {"W1": self.layers["Affine1"].dW, "b1": self.layers["Affine1"].db,
                        "W2": self.layers["Affine2"].dW, "b2": self.layers["Affine2"].db}
        ''',
    "ch05/train_neuralnet.py": '''
        # a chapter script that trains at import: the grader never imports it
        while True:
            pass
        ''',
    "ch07/simple_convnet.py": '''
        import os
        import sys

        import matplotlib.pyplot as plt  # an import-time matplotlib import

        sys.path.append(os.pardir)
        from common.dlfs_copy.simple_convnet import SimpleConvNet
        ''',
    "ch08/deep_convnet.py": '''
        import os
        import sys

        os.chdir(os.path.dirname(os.path.abspath(__file__)))  # an import-time chdir
        sys.path.append(os.pardir)
        from common.dlfs_copy.deep_convnet import DeepConvNet
        ''',
}


BOOK_FILES = {name: textwrap.dedent(text).lstrip("\n") for name, text in _BOOK_FILES.items()}


def build_book_layout(root, replace=None):
    """Assemble a book-layout folder at `root`; `replace` maps file names to other contents."""
    root = Path(root)
    copy_package(REFERENCE, root / "common" / "dlfs_copy")
    files = dict(BOOK_FILES)
    files.update(replace or {})
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root
