"""Function cases: the plain functions of chapters 2–4 and the chapter 5 simple layers,
with the values they are checked against.

Book values are what the book's code or its notebooks print for the same inputs (each
case cites its section). An argument written "probe:NAME" is a function the implementation's
process provides (`impl.probe(NAME)`), since a function cannot cross to it.
"""

import numpy as np

from ..definitions import relu, sigmoid
from .base import FunctionCase

__all__ = [
    "ANY_SHAPE", "APPLE_GRAPH_CASES", "BOOK_VALUES", "BOOK_VALUE_CASES", "CROSS_ENTROPY_BATCH", "ELEMENTWISE",
    "ELEMENTWISE_CASES", "FUNCTION_CASES", "GATE_CASES", "GATE_INPUTS", "GRADIENT_DESCENT_BOOK_PATH",
    "KEEPS_INPUT_CASES", "NUMERICAL_GRADIENT_RESTORES_X", "NUMERICAL_GRADIENT_SHAPE_CASES",
    "PREDICT_RANDOM_NETWORK", "RELU_GRAD_AT_ZERO", "SIGMOID_LARGE_INPUTS", "SOFTMAX_BATCH", "SOFTMAX_LARGE_INPUTS",
    "SOFTMAX_ROWS_FAR_APART", "STEP_FUNCTION_AT_ZERO", "STEP_FUNCTION_DTYPE", "TRUTH_TABLES",
]

# -- chapter 2: the gates' truth tables on GATE_INPUTS (book §2.3–2.5) ---------------------------
GATE_INPUTS = ((0, 0), (1, 0), (0, 1), (1, 1))
TRUTH_TABLES = {"AND": (0, 0, 0, 1), "NAND": (1, 1, 1, 0), "OR": (0, 1, 1, 1), "XOR": (0, 1, 1, 0)}
GATE_CASES = [FunctionCase(gate, "truth-table", "§2.3") for gate in TRUTH_TABLES]

# -- the book's printed values: (component, config) -> (arguments, value, rtol) ----------------------
# Arguments are what the book passes: arrays built with np.array (§3.5.1 calls softmax(np.array([...])); the
# book's own softmax of 2016–2020 reads x.ndim, so a Python list is not its contract).
_T = np.array([0, 0, 1, 0, 0, 0, 0, 0, 0, 0], dtype=np.float64)
_Y1 = np.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0])
_Y2 = np.array([0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0])

BOOK_VALUES = {
    ("softmax", "book-vector"): ((np.array([0.3, 2.9, 4.0]),), [0.01821127, 0.24519181, 0.73659691], 1e-6),
    ("mean_squared_error", "book-correct"): ((_Y1, _T), 0.0975, 1e-9),
    ("mean_squared_error", "book-wrong"): ((_Y2, _T), 0.5975, 1e-9),
    ("cross_entropy_error", "book-correct"): ((_Y1, _T), 0.510825457099338, 1e-9),
    ("cross_entropy_error", "book-wrong"): ((_Y2, _T), 2.302584092994546, 1e-9),
    ("numerical_diff", "book-at-5"): (("probe:quadratic", 5.0), 0.1999999999990898, 1e-9),
    ("numerical_diff", "book-at-10"): (("probe:quadratic", 10.0), 0.2999999999986347, 1e-9),
    ("numerical_gradient", "book-3-4"): (("probe:sum_of_squares", np.array([3.0, 4.0])), [6.0, 8.0], 1e-6),
    ("numerical_gradient", "book-0-2"): (("probe:sum_of_squares", np.array([0.0, 2.0])), [0.0, 4.0], 1e-6),
    ("numerical_gradient", "book-3-0"): (("probe:sum_of_squares", np.array([3.0, 0.0])), [6.0, 0.0], 1e-6),
}
_BOOK_VALUE_SECTIONS = {"softmax": "§3.5.1", "mean_squared_error": "§4.2.1", "cross_entropy_error": "§4.2.2",
                        "numerical_diff": "§4.3.2", "numerical_gradient": "§4.4"}
BOOK_VALUE_CASES = [FunctionCase(name, config, _BOOK_VALUE_SECTIONS[name]) for name, config in BOOK_VALUES]


# -- activations and their derivatives against their closed forms, elementwise -------------------
ELEMENTWISE = {  # component: (closed form, book section)
    "sigmoid": (sigmoid, "§3.2.4"),
    "relu": (relu, "§3.2.7"),
    "identity_function": (lambda x: x, "§3.4.2"),
    "sigmoid_grad": (lambda x: sigmoid(x) * (1.0 - sigmoid(x)), "§5.5.2"),
    "step_function": (lambda x: (x > 0).astype(np.float64), "§3.2.3"),
    "relu_grad": (lambda x: (x > 0).astype(np.float64), "§5.5.1"),
}
ELEMENTWISE_CASES = [FunctionCase(name, "formula", section) for name, (_, section) in ELEMENTWISE.items()]

# -- one case each: edge cases, properties, chapter 4 and 5 ---------------------------------------
STEP_FUNCTION_DTYPE = FunctionCase("step_function", "dtype", "§3.2.3")
STEP_FUNCTION_AT_ZERO = FunctionCase("step_function", "at-zero", "§3.2.2")
RELU_GRAD_AT_ZERO = FunctionCase("relu_grad", "at-zero", "§5.5.1")
SIGMOID_LARGE_INPUTS = FunctionCase("sigmoid", "large-inputs", "§3.2.4")
SOFTMAX_BATCH = FunctionCase("softmax", "batch", "§3.5.2")
SOFTMAX_LARGE_INPUTS = FunctionCase("softmax", "large-inputs", "§3.5.2")
SOFTMAX_ROWS_FAR_APART = FunctionCase("softmax", "rows-far-apart", "§3.5.2")
KEEPS_INPUT_CASES = [FunctionCase("softmax", "keeps-input", "§3.5.2"), FunctionCase("sigmoid", "keeps-input", "§3.2.4")]
PREDICT_RANDOM_NETWORK = FunctionCase("predict", "random-network", "§3.6.2")
# §4.2.4 prints the batch version for one-hot targets first, then the one that also takes labels
# (an `Extension` of the component: checked on a definition that takes labels)
CROSS_ENTROPY_BATCH = [FunctionCase("cross_entropy_error", "batch-one-hot", "§4.2.4"),
                       FunctionCase("cross_entropy_error", "batch-labels", "§4.2.4")]
GRADIENT_DESCENT_BOOK_PATH = FunctionCase("gradient_descent", "book-path", "§4.4.1")
NUMERICAL_GRADIENT_RESTORES_X = FunctionCase("numerical_gradient", "restores-x", "§4.4")
APPLE_GRAPH_CASES = [FunctionCase("MulLayer", "apple", "§5.4.1"), FunctionCase("AddLayer", "apple-orange", "§5.4.2")]

# config: the shape of x. §4.4 prints numerical_gradient for 1-D arrays; 2-D and 4-D are what §4.4.2's
# common/gradient.py adds (an `Extension` of the component: checked on a definition that handles them)
ANY_SHAPE = {"1d": (5,), "2d": (3, 4), "4d": (2, 2, 2, 3)}
NUMERICAL_GRADIENT_SHAPE_CASES = [FunctionCase("numerical_gradient", config, "§4.4") for config in ANY_SHAPE]

FUNCTION_CASES = [
    *GATE_CASES, *BOOK_VALUE_CASES, *ELEMENTWISE_CASES,
    STEP_FUNCTION_DTYPE, STEP_FUNCTION_AT_ZERO, RELU_GRAD_AT_ZERO, SIGMOID_LARGE_INPUTS, SOFTMAX_BATCH,
    SOFTMAX_LARGE_INPUTS, SOFTMAX_ROWS_FAR_APART, *KEEPS_INPUT_CASES, PREDICT_RANDOM_NETWORK, *CROSS_ENTROPY_BATCH,
    GRADIENT_DESCENT_BOOK_PATH, NUMERICAL_GRADIENT_RESTORES_X, *APPLE_GRAPH_CASES, *NUMERICAL_GRADIENT_SHAPE_CASES,
]
