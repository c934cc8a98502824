"""dlfs reference implementation: every component of chapters 2–8 under the book's names.

`import reference` exposes each public name at package level, exactly as the book's
code names it, so a check can be pointed at this package, at `exercises`, or at a
learner's package with the same names. Where the book has two components of one name,
the earlier chapter's lives in its chapter's subpackage (`reference.ch04.TwoLayerNet`).
"""

import sys

from .ch04 import TwoLayerNet as _ch04_TwoLayerNet  # noqa: F401 - binds the subpackage: reference.ch04.TwoLayerNet
from .deep_convnet import DeepConvNet
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
from .half_precision import half_float_network
from .layer_naive import AddLayer, MulLayer
from .multi_layer_net import MultiLayerNet
from .multi_layer_net_extend import MultiLayerNetExtend
from .neuralnet import predict
from .optimizers import SGD, AdaGrad, Adam, Momentum, Nesterov, RMSprop
from .simple_convnet import SimpleConvNet
from .trainer import Trainer
from .two_layer_net import TwoLayerNet
from .util import col2im, conv_output_size, im2col, shuffle_dataset, smooth_curve
from .weight_init import weight_scale

from .layers import __all__ as _LAYERS

# Every layer, as reference/layers/__init__.py lists it: adding a layer edits that list only. (Relative
# imports of the `from .x import y` form only: a package imported under a dotted name, as a learner's
# folder named "my.work" may be, cannot `from . import x`.)
_layers = sys.modules[f"{__name__}.layers"]
globals().update({name: getattr(_layers, name) for name in _LAYERS})

__all__ = [
    # chapter 2
    "AND", "NAND", "OR", "XOR",
    # chapter 3
    "step_function", "sigmoid", "relu", "identity_function", "softmax", "predict",
    # chapter 4
    "mean_squared_error", "cross_entropy_error", "sigmoid_grad", "relu_grad",
    "numerical_diff", "numerical_gradient", "gradient_descent", "ch04", "TwoLayerNet",
    # chapter 5
    "MulLayer", "AddLayer",
    # chapter 6
    "SGD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam", "weight_scale",
    "MultiLayerNet", "MultiLayerNetExtend", "Trainer",
    "smooth_curve", "shuffle_dataset",
    # chapter 7
    "im2col", "col2im", "conv_output_size", "SimpleConvNet",
    # chapter 8
    "DeepConvNet", "half_float_network",
    # the layers of chapters 5-7 (reference/layers/)
    *_LAYERS,
]
