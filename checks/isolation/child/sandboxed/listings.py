"""Which of the book's listings a learner's definition is, where the book prints a component twice.

The book prints some components first in a narrower form than the one its later code needs
(`Extension` in checks/library/components.py, which names each form below):

- `label_targets`: §4.2.4 prints cross_entropy_error for one-hot targets, then a version indexing
  `y` by label; common/functions.py turns one-hot targets into labels (`t.argmax(axis=1)`).
  §5.6.3 prints SoftmaxWithLoss for one-hot targets; common/layers.py's backward indexes by label.
- `tensor_input`: §5.6.2 prints Affine for 2-D input; common/layers.py's flattens the conv
  nets' (N, C, H, W) maps and restores dx's shape (chapter 7).
- `any_shape`: §4.4 prints numerical_gradient for 1-D arrays (`x[idx]` over `x.size`);
  common/gradient.py, which §4.4.2 uses for a weight matrix, walks any shape (`np.nditer`,
  `multi_index`). ch04/gradient_2d.py's row-by-row variant is neither: it is the gradient of
  each row's function, the contract of that script's plots.
- `gradient_method`: §4.5.1 prints the chapter-4 TwoLayerNet without `gradient`; the book's
  ch04/two_layer_net.py adds it.
- `backward_method`: §7.4.3 and §7.4.4 print Convolution's and Pooling's forward alone; the
  book's common/layers.py has their backward.

Each test reads the definition's code (its AST), never runs it, and says whether the
definition has the form (a definition written in the extension's own later chapter is
checked for it whatever it looks like: workspace.py); a definition it cannot see (a name bound by an import) is taken to
have it. The tests lean towards yes: an unusual way of writing the extension is then checked
rather than set aside.
"""

import ast

__all__ = ["FORMS", "has_form"]


def _parameters(node):
    arguments = getattr(node, "args", None)
    return [a.arg for a in arguments.args] if arguments is not None else []


def _words(node):
    """Every name and attribute the definition's code reads."""
    words = set()
    for child in ast.walk(node):
        if isinstance(child, ast.Name):
            words.add(child.id)
        elif isinstance(child, ast.Attribute):
            words.add(child.attr)
    return words


def _indexes_with(node, name):
    """True when `name` (or `self.name`) appears inside a subscript's index (`y[np.arange(n), t]`, `np.eye(k)[t]`,
    `dx[np.arange(n), self.t]`)."""
    for child in ast.walk(node):
        if isinstance(child, ast.Subscript):
            if any((isinstance(inner, ast.Name) and inner.id == name)
                   or (isinstance(inner, ast.Attribute) and inner.attr == name) for inner in ast.walk(child.slice)):
                return True
    return False


def _label_targets(node):
    """cross_entropy_error(y, t), or a loss layer keeping `self.t`, that reads labels."""
    if isinstance(node, ast.ClassDef):
        target = "t"
    else:
        parameters = _parameters(node)
        if len(parameters) < 2:
            return True
        target = parameters[1]
    return _indexes_with(node, target) or bool(_words(node) & {"argmax", "eye", "identity", "take_along_axis",
                                                                "choose", "put_along_axis"})


def _tensor_input(node):
    """An Affine layer that flattens an (N, C, H, W) input and gives dx back its shape."""
    return bool(_words(node) & {"reshape", "ravel", "flatten", "ndim", "original_x_shape", "x_shape"})


_ANY_SHAPE_WORDS = {"nditer", "ndindex", "ndenumerate", "multi_index", "flat", "ravel", "reshape", "flatten",
                    "unravel_index", "iterindex"}


def _any_shape(node):
    if _words(node) & _ANY_SHAPE_WORDS:
        return True
    # an index of several positions (`grad[i, j]` in a double loop): at least a matrix, written for it
    return any(isinstance(child, ast.Subscript) and isinstance(child.slice, ast.Tuple) for child in ast.walk(node))


def _method(name):
    def defines(node):
        if not isinstance(node, ast.ClassDef):
            return True
        if any(not (isinstance(base, ast.Name) and base.id == "object") for base in node.bases):
            return True  # inherited methods cannot be seen
        for statement in node.body:
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) and statement.name == name:
                return True
            if isinstance(statement, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name
                                                         for t in statement.targets):
                return True
        return False
    return defines


FORMS = {"label_targets": _label_targets, "any_shape": _any_shape, "gradient_method": _method("gradient"),
         "backward_method": _method("backward"), "tensor_input": _tensor_input}


def has_form(form, node):
    """Whether the definition `node` (an ast.FunctionDef/ClassDef, or None when unseen) has `form`."""
    if node is None:
        return True
    return FORMS[form](node)
