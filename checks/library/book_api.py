"""The book's public API, and the parts of it no check exercises, each with the reason.

`public_api(folder)` lists every public function and method (names without a leading
underscore, dunders left out) defined at the top level of a folder laid out like the book's
repository. Every one of them is either exercised by some check (measured by running the
checks on the book's own code: checks/tests/library/test_book_api.py) or declared here as
not at stake, with its reason. A new check that reaches a declared item makes the
declaration stale, and the test says so.
"""

import ast
from pathlib import Path

__all__ = ["NOT_AT_STAKE", "public_api"]

_DEMO_COPY = "chapter 3's demo script's own copy of {name}; the graded {name} is common/functions.py's"
_PLOT = "draws a figure for the chapter's text (matplotlib); nothing to grade"
_EXAMPLE_FUNCTION = "the chapter's example function to differentiate or plot, not a component"
_MNIST = ("downloads and converts MNIST: the project's data/ package loads it (SHA-256 verified) for every check "
          "and experiment")

NOT_AT_STAKE = {
    "ch01/man.py:Man.hello": "chapter 1's Python tutorial class",
    "ch01/man.py:Man.goodbye": "chapter 1's Python tutorial class",
    "ch03/mnist_show.py:img_show": _PLOT,
    "ch03/neuralnet_mnist.py:get_data": "loads the MNIST test set for the chapter's inference run (§3.6.2); "
                                         "`make reproduce` measures that run, the checks grade predict",
    "ch03/neuralnet_mnist.py:init_network": "reads the book's sample_weight.pkl for the chapter's inference run "
                                             "(§3.6.2); `make reproduce` measures that run, the checks grade predict",
    "ch03/neuralnet_mnist_batch.py:get_data": "the batch version of ch03/neuralnet_mnist.py's get_data (same reason)",
    "ch03/neuralnet_mnist_batch.py:init_network": "the batch version of ch03/neuralnet_mnist.py's init_network "
                                                   "(same reason)",
    "ch03/neuralnet_mnist_batch.py:predict": "predict's second home, graded only when ch03/neuralnet_mnist.py "
                                             "(the first, graded) is absent",
    "ch03/relu.py:relu": _DEMO_COPY.format(name="relu"),
    "ch03/sig_step_compare.py:sigmoid": _DEMO_COPY.format(name="sigmoid"),
    "ch03/sig_step_compare.py:step_function": _DEMO_COPY.format(name="step_function"),
    "ch03/sigmoid.py:sigmoid": _DEMO_COPY.format(name="sigmoid"),
    "ch03/step_function.py:step_function": _DEMO_COPY.format(name="step_function"),
    "ch04/gradient_1d.py:function_1": _EXAMPLE_FUNCTION,
    "ch04/gradient_1d.py:tangent_line": _PLOT,
    "ch04/gradient_2d.py:function_2": _EXAMPLE_FUNCTION,
    "ch04/gradient_2d.py:tangent_line": _PLOT,
    "ch04/gradient_method.py:function_2": _EXAMPLE_FUNCTION,
    "ch04/gradient_simplenet.py:simpleNet.predict": "§4.4.2's one-layer example of a gradient with respect to "
                                                    "weights; ch04/two_layer_net.py's TwoLayerNet, graded, does the "
                                                    "same on two layers",
    "ch04/gradient_simplenet.py:simpleNet.loss": "§4.4.2's one-layer example (same reason)",
    "ch06/optimizer_compare_naive.py:f": _EXAMPLE_FUNCTION,
    "ch06/optimizer_compare_naive.py:df": _EXAMPLE_FUNCTION,
    "ch06/weight_init_activation_histogram.py:sigmoid": "the histogram script's own activation; `make reproduce` "
                                                        "runs that experiment",
    "ch06/weight_init_activation_histogram.py:ReLU": "the histogram script's own activation (same reason)",
    "ch06/weight_init_activation_histogram.py:tanh": "the histogram script's own activation (same reason)",
    "ch07/apply_filter.py:filter_show": _PLOT,
    "ch07/visualize_filter.py:filter_show": _PLOT,
    "common/functions.py:softmax_loss": "defined in common/functions.py but used by none of the book's text, "
                                        "scripts or networks (SoftmaxWithLoss is the graded form)",
    "common/gradient.py:numerical_gradient_2d": "an earlier, 2-D only numerical_gradient no script uses; the "
                                                "graded numerical_gradient (any shape) sits beside it",
    "dataset/mnist.py:download_mnist": _MNIST,
    "dataset/mnist.py:init_mnist": _MNIST,
    "dataset/mnist.py:load_mnist": _MNIST,
}


def public_api(folder):
    """["file:qualname"] of every public top-level function and method of the .py files under `folder`
    (notebooks/ and dot-folders left out), sorted."""
    folder = Path(folder)
    found = []
    for path in sorted(folder.rglob("*.py")):
        relative = path.relative_to(folder)
        if relative.parts[0] == "notebooks" or any(part.startswith(".") for part in relative.parts):
            continue
        tree = ast.parse(path.read_bytes(), filename=str(path))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                found.append(f"{relative.as_posix()}:{node.name}")
            elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                found += [f"{relative.as_posix()}:{node.name}.{method.name}" for method in node.body
                          if isinstance(method, ast.FunctionDef) and not method.name.startswith("_")]
    return sorted(found)
