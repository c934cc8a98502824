"""Which listing a definition is (checks/isolation/child/sandboxed/listings.py): the book's own files and
learners' ways of writing each form, read from their code."""

import ast
from pathlib import Path

import pytest

from checks.isolation.child.sandboxed.listings import FORMS, has_form
from checks.library.components import TABLE

BOOK = Path(__file__).resolve().parents[3].parent / "shared" / "book-code"


def _definition(code, name):
    return next(node for node in ast.walk(ast.parse(code)) if getattr(node, "name", None) == name)


def _book(path, name):
    if not (BOOK / path).is_file():
        pytest.skip(f"../shared/book-code/{path} is not beside the checkout")
    return _definition((BOOK / path).read_text(encoding="utf-8"), name)


def test_every_declared_extension_names_a_form_the_child_knows():
    declared = {extension.form for row in TABLE for extension in row.extensions}
    assert declared and declared == set(FORMS)


@pytest.mark.parametrize("path, name, form", [
    ("common/functions.py", "cross_entropy_error", "label_targets"),
    ("common/gradient.py", "numerical_gradient", "any_shape"),
    ("ch04/two_layer_net.py", "TwoLayerNet", "gradient_method"),
    ("common/layers.py", "Convolution", "backward_method"),
    ("common/layers.py", "Pooling", "backward_method"),
    ("common/layers.py", "Affine", "tensor_input"),
    ("common/layers.py", "SoftmaxWithLoss", "label_targets"),
])
def test_the_books_files_have_the_extension(path, name, form):
    assert has_form(form, _book(path, name))


@pytest.mark.parametrize("path, name", [("common/gradient.py", "_numerical_gradient_1d"),
                                        ("ch04/gradient_2d.py", "numerical_gradient")])
def test_the_books_1d_and_row_by_row_gradients_are_not_the_any_shape_form(path, name):
    """ch04/gradient_2d.py's numerical_gradient is the gradient of each row's function: another contract."""
    assert not has_form("any_shape", _book(path, name))


@pytest.mark.parametrize("code, expected", [
    ("def cross_entropy_error(y, t):\n    d = 1e-7\n    return -np.sum(t * np.log(y + d)) / y.shape[0]", False),
    ("def cross_entropy_error(y, t):\n    if y.ndim == 1:\n        t = t.reshape(1, t.size)\n"
     "        y = y.reshape(1, y.size)\n    n = y.shape[0]\n    return -np.sum(t * np.log(y + 1e-7)) / n", False),
    ("def cross_entropy_error(y, t):\n    n = y.shape[0]\n    return -np.log(y[range(n), t] + 1e-7).sum() / n", True),
    ("def cross_entropy_error(y, t):\n    if t.ndim == 1:\n        t = np.eye(y.shape[1])[t]\n"
     "    return -np.sum(t * np.log(y + 1e-7)) / len(y)", True),
    ("def cross_entropy_error(y, t):\n    labels = t.argmax(axis=1)\n    return 0", True),
])
def test_label_targets_is_read_from_how_t_is_used(code, expected):
    assert has_form("label_targets", _definition(code, "cross_entropy_error")) is expected


@pytest.mark.parametrize("code, expected", [
    ("def numerical_gradient(f, x):\n    g = np.zeros_like(x)\n    for i in range(x.size):\n        g[i] = f(x)\n"
     "    return g", False),
    ("def numerical_gradient(f, x):\n    g = np.zeros_like(x)\n    for i in range(x.shape[0]):\n"
     "        for j in range(x.shape[1]):\n            g[i, j] = f(x)\n    return g", True),
    ("def numerical_gradient(f, x):\n    flat = x.reshape(-1)\n    return flat", True),
])
def test_any_shape_is_read_from_how_x_is_walked(code, expected):
    assert has_form("any_shape", _definition(code, "numerical_gradient")) is expected


def test_a_class_whose_methods_cannot_be_seen_is_taken_to_have_gradient():
    assert has_form("gradient_method", _definition("class TwoLayerNet(Base):\n    pass", "TwoLayerNet"))
    assert not has_form("gradient_method", _definition("class TwoLayerNet:\n    def loss(self, x, t):\n"
                                                       "        return 0", "TwoLayerNet"))
    assert has_form("any_shape", None)  # a name a book file binds by an import: not seen, not set aside


def test_the_layers_first_listings_are_read_as_such():
    """§5.6.2's 2-D Affine and §5.6.3's one-hot SoftmaxWithLoss, in a learner's words."""
    affine = ("class Affine:\n    def forward(self, x):\n        self.x = x\n        return x @ self.W + self.b\n"
              "    def backward(self, dout):\n        self.dW = self.x.T @ dout\n        return dout @ self.W.T")
    loss = ("class SoftmaxWithLoss:\n    def forward(self, x, t):\n        self.t, self.y = t, softmax(x)\n"
            "        return cross_entropy_error(self.y, t)\n    def backward(self, dout=1):\n"
            "        return (self.y - self.t) / len(self.t)")
    assert not has_form("tensor_input", _definition(affine, "Affine"))
    assert not has_form("label_targets", _definition(loss, "SoftmaxWithLoss"))
