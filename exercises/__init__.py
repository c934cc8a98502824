# Generated from reference/__init__.py by `make exercises` (python -m checks.stubgen).
# Do not edit it in the dlfs repository: change reference/ and regenerate with `make exercises`.
"""dlfs reference implementation: every component of chapters 2–8 under the book's names.

`import reference` exposes each public name at package level, exactly as the book's
code names it, so a check can be pointed at this package, at `exercises`, or at a
learner's package with the same names.
"""

from .functions import (
    cross_entropy_error,
    identity_function,
    mean_squared_error,
    relu,
    relu_grad,
    sigmoid,
    sigmoid_grad,
    softmax,
    step_function,
)
from .gates import AND, NAND, OR, XOR
from .gradient import gradient_descent, numerical_diff, numerical_gradient
from .layer_naive import AddLayer, MulLayer
from .layers import Affine, Relu, Sigmoid, SoftmaxWithLoss
from .neuralnet import predict
from .two_layer_net import TwoLayerNet

__all__ = [
    "AND", "NAND", "OR", "XOR",
    "step_function", "sigmoid", "relu", "identity_function", "softmax",
    "sigmoid_grad", "relu_grad", "mean_squared_error", "cross_entropy_error",
    "predict",
    "numerical_diff", "numerical_gradient", "gradient_descent",
    "MulLayer", "AddLayer", "Relu", "Sigmoid", "Affine", "SoftmaxWithLoss",
    "TwoLayerNet",
]
