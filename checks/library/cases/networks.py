"""Network cases: each network built small (or, where the book hard-codes the input
size, at 28×28 with a batch of 2), with the parameter shapes the book's layout gives and
its predict by the book's definition.
"""

import numpy as np

from .. import definitions
from .base import NetworkCase

__all__ = ["DEFAULTS_CASES", "INIT_CASES", "NETWORK_CASES", "OWN_NUMERICAL_GRADIENT_CASES",
           "SIMPLE_CONVNET_GRADIENT_CHECK", "deep_convnet_shapes"]


def _vectors(n, d, classes):
    def make(rng):
        return rng.normal(size=(n, d)), rng.integers(0, classes, n)
    return make


def _images(n, shape, classes):
    def make(rng):
        return rng.normal(size=(n,) + shape), rng.integers(0, classes, n)
    return make


def _dense_shapes(sizes, batchnorm=False):
    shapes = {}
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        shapes[f"W{i}"], shapes[f"b{i}"] = (n_in, n_out), (n_out,)
        if batchnorm and i < len(sizes) - 1:
            shapes[f"gamma{i}"], shapes[f"beta{i}"] = (n_out,), (n_out,)
    return shapes


def deep_convnet_shapes():
    """W1..W8 of the book's DeepConvNet on 28×28 input (§8.1.1)."""
    channels = [1, 16, 16, 32, 32, 64, 64]
    shapes = {}
    for i in range(6):
        shapes[f"W{i + 1}"], shapes[f"b{i + 1}"] = (channels[i + 1], channels[i], 3, 3), (channels[i + 1],)
    shapes["W7"], shapes["b7"] = (64 * 4 * 4, 50), (50,)
    shapes["W8"], shapes["b8"] = (50, 10), (10,)
    return shapes


# -- predict by the book's definition, from the network's own params ------------------------------
def _dense(activation, batchnorm=False):
    """Affine-activation (-BatchNorm in between, training mode) … Affine: MultiLayerNet(Extend), TwoLayerNet."""
    def predict(params, x):
        layers = sum(1 for key in params if key.startswith("W"))
        variants = []
        for eps in (definitions.BATCHNORM_EPSILONS if batchnorm else (None,)):
            h = x
            for i in range(1, layers):
                h = definitions.affine(h, params[f"W{i}"], params[f"b{i}"])
                if batchnorm:
                    h = definitions.batchnorm_train(h, params[f"gamma{i}"], params[f"beta{i}"], eps)
                h = activation(h)
            variants.append(definitions.affine(h, params[f"W{layers}"], params[f"b{layers}"]))
        return tuple(variants)
    return predict


def _two_layer_net_ch04(params, x):
    """§4.5.1: softmax(sigmoid(x·W1 + b1)·W2 + b2), probabilities."""
    hidden = definitions.sigmoid(definitions.affine(x, params["W1"], params["b1"]))
    return definitions.softmax(definitions.affine(hidden, params["W2"], params["b2"]))


def _simple_convnet(conv_param):
    """§7.5: Conv-ReLU-Pool(2×2, stride 2)-Affine-ReLU-Affine."""
    def predict(params, x):
        h = definitions.relu(definitions.conv2d(x, params["W1"], params["b1"], conv_param["stride"], conv_param["pad"]))
        h = definitions.relu(definitions.affine(definitions.max_pool(h, 2, 2, 2), params["W2"], params["b2"]))
        return definitions.affine(h, params["W3"], params["b3"])
    return predict


_DEEP_PADS = (1, 1, 1, 2, 1, 1)  # the book's conv_param_1 … conv_param_6 (§8.1.1): 3×3 filters, stride 1


def _deep_convnet(params, x):
    """§8.1.1, test mode: (Conv-ReLU-Conv-ReLU-Pool) ×3, Affine-ReLU-Dropout-Affine-Dropout. The book's
    Dropout scales by 1 − 0.5 at test time, an inverted one by 1: both are accepted."""
    h = x
    for i, pad in enumerate(_DEEP_PADS, start=1):
        h = definitions.relu(definitions.conv2d(h, params[f"W{i}"], params[f"b{i}"], 1, pad))
        if i % 2 == 0:
            h = definitions.max_pool(h, 2, 2, 2)
    hidden = definitions.relu(definitions.affine(h, params["W7"], params["b7"]))
    return tuple(scale * definitions.affine(scale * hidden, params["W8"], params["b8"]) for scale in (0.5, 1.0))


# The book's SimpleConvNet and DeepConvNet compute accuracy(x, t, batch_size=100) over
# int(len(x) / 100) whole batches (a final partial batch is not counted, yet the sum is
# divided by len(x)): their accuracy is checked with the book's batch_size on whole batches
# only, where that convention and the plain mean agree.
_BOOK_ACCURACY_BATCH = 2  # accuracy(x, t, batch_size=2) on 2 whole batches (a batch of 100 cost 2 s)
_BOOK_ACCURACY_IMAGES = 2 * _BOOK_ACCURACY_BATCH

_SMALL_CONV = {"filter_num": 2, "filter_size": 3, "pad": 0, "stride": 1}
# ch07/gradient_check.py's network: SimpleConvNet(input_dim=(1, 10, 10), conv_param={'filter_num': 10,
# 'filter_size': 3, 'pad': 0, 'stride': 1}, hidden_size=10, output_size=10), its own numerical_gradient
# compared with its gradient. Larger weights than the script's 0.01, so that no gradient is small
# enough for a zero to pass for it.
_BOOK_GRADIENT_CHECK_CONV = {"filter_num": 10, "filter_size": 3, "pad": 0, "stride": 1}

NETWORK_CASES = [
    NetworkCase("ch04.TwoLayerNet", "6-5-3", "§4.5.1",
                {"input_size": 6, "hidden_size": 5, "output_size": 3, "weight_init_std": 0.5},
                _vectors(4, 6, 3), _dense_shapes([6, 5, 3]), targets="one-hot", accuracy_targets=("one-hot",),
                predicts="probabilities", definition=_two_layer_net_ch04),
    NetworkCase("TwoLayerNet", "6-5-3", "§5.7.2",
                {"input_size": 6, "hidden_size": 5, "output_size": 3, "weight_init_std": 0.5},
                _vectors(4, 6, 3), _dense_shapes([6, 5, 3]), targets="one-hot",
                definition=_dense(definitions.relu)),
    NetworkCase("MultiLayerNet", "relu-he-decay", "§6.4.2",
                {"input_size": 6, "hidden_size_list": [5, 4], "output_size": 3, "activation": "relu",
                 "weight_init_std": "he", "weight_decay_lambda": 0.1},
                _vectors(4, 6, 3), _dense_shapes([6, 5, 4, 3]), definition=_dense(definitions.relu)),
    NetworkCase("MultiLayerNet", "sigmoid-xavier", "§6.2.2",
                {"input_size": 6, "hidden_size_list": [5, 4], "output_size": 3, "activation": "sigmoid",
                 "weight_init_std": "xavier"},
                _vectors(4, 6, 3), _dense_shapes([6, 5, 4, 3]), definition=_dense(definitions.sigmoid)),
    NetworkCase("MultiLayerNetExtend", "batchnorm-dropout-decay", "§6.3.2",
                {"input_size": 6, "hidden_size_list": [5, 4], "output_size": 3, "weight_init_std": "he",
                 "weight_decay_lambda": 0.05, "use_dropout": True, "dropout_ration": 0.3,
                 "use_batchnorm": True},
                _vectors(6, 6, 3), _dense_shapes([6, 5, 4, 3], batchnorm=True),
                loss_kwargs={"train_flg": True}, stochastic=True),
    # without dropout, so that predict in training mode (batch statistics) has one value to check
    NetworkCase("MultiLayerNetExtend", "batchnorm", "§6.3.2",
                {"input_size": 6, "hidden_size_list": [5, 4], "output_size": 3, "weight_init_std": "he",
                 "use_batchnorm": True},
                _vectors(6, 6, 3), _dense_shapes([6, 5, 4, 3], batchnorm=True), loss_kwargs={"train_flg": True},
                definition=_dense(definitions.relu, batchnorm=True), predict_kwargs={"train_flg": True}),
    NetworkCase("SimpleConvNet", "1x8x8", "§7.5",
                {"input_dim": (1, 8, 8), "conv_param": _SMALL_CONV, "hidden_size": 4, "output_size": 3,
                 "weight_init_std": 0.3},
                _images(3, (1, 8, 8), 3),
                {"W1": (2, 1, 3, 3), "b1": (2,), "W2": (18, 4), "b2": (4,), "W3": (4, 3), "b3": (3,)},
                has_numerical_gradient=False, accuracy_inputs=_images(_BOOK_ACCURACY_IMAGES, (1, 8, 8), 3),
                accuracy_kwargs={"batch_size": _BOOK_ACCURACY_BATCH}, definition=_simple_convnet(_SMALL_CONV),
                saves=True),
    NetworkCase("DeepConvNet", "28x28", "§8.1.1", {}, _images(2, (1, 28, 28), 10), deep_convnet_shapes(),
                stochastic=True, has_numerical_gradient=False,
                accuracy_inputs=_images(_BOOK_ACCURACY_IMAGES, (1, 28, 28), 10),
                accuracy_kwargs={"batch_size": _BOOK_ACCURACY_BATCH}, definition=_deep_convnet, saves=True),
]

# The conv net's own numerical_gradient, as ch07/gradient_check.py calls it (its only check: the
# whole sweep costs a second).
SIMPLE_CONVNET_GRADIENT_CHECK = NetworkCase(
    "SimpleConvNet", "book-gradient-check", "§7.5",
    {"input_dim": (1, 10, 10), "conv_param": _BOOK_GRADIENT_CHECK_CONV, "hidden_size": 10, "output_size": 10,
     "weight_init_std": 0.1},
    _images(1, (1, 10, 10), 10),
    {"W1": (10, 1, 3, 3), "b1": (10,), "W2": (160, 10), "b2": (10,), "W3": (10, 10), "b3": (10,)})
OWN_NUMERICAL_GRADIENT_CASES = [case for case in NETWORK_CASES if case.has_numerical_gradient and not case.stochastic] \
    + [SIMPLE_CONVNET_GRADIENT_CHECK]

# (component, config, section, kwargs, {param: expected std}) for initial-weight statistics.
_INIT = [
    ("ch04.TwoLayerNet", "std-0.01", "§4.5.1", {"input_size": 784, "hidden_size": 100, "output_size": 10},
     {"W1": 0.01, "W2": 0.01}),
    ("TwoLayerNet", "std-0.01", "§5.7.2", {"input_size": 784, "hidden_size": 100, "output_size": 10},
     {"W1": 0.01, "W2": 0.01}),
    ("MultiLayerNet", "he", "§6.2.3", {"input_size": 784, "hidden_size_list": [100, 100], "output_size": 10,
                                       "weight_init_std": "he"},
     {"W1": np.sqrt(2 / 784), "W2": np.sqrt(2 / 100), "W3": np.sqrt(2 / 100)}),
    ("MultiLayerNet", "xavier", "§6.2.2", {"input_size": 784, "hidden_size_list": [100, 100], "output_size": 10,
                                           "activation": "sigmoid", "weight_init_std": "xavier"},
     {"W1": np.sqrt(1 / 784), "W2": np.sqrt(1 / 100), "W3": np.sqrt(1 / 100)}),
    ("MultiLayerNet", "std-0.05", "§6.2.1", {"input_size": 784, "hidden_size_list": [100], "output_size": 10,
                                             "weight_init_std": 0.05},
     {"W1": 0.05, "W2": 0.05}),
    ("DeepConvNet", "he", "§8.1.1", {},
     {"W1": np.sqrt(2 / 9), "W2": np.sqrt(2 / 144), "W3": np.sqrt(2 / 144), "W4": np.sqrt(2 / 288),
      "W5": np.sqrt(2 / 288), "W6": np.sqrt(2 / 576), "W7": np.sqrt(2 / 1024), "W8": np.sqrt(2 / 50)}),
]

# param_shapes holds each weight's expected standard deviation here
INIT_CASES = [NetworkCase(component, f"init-{config}", section, kwargs, None, stds)
              for component, config, section, kwargs, stds in _INIT]

DEFAULTS_CASES = [NetworkCase("SimpleConvNet", "defaults-28x28", "§7.5", {}, None, {}),
                  NetworkCase("DeepConvNet", "defaults-28x28", "§8.1.1", {}, None, {})]
