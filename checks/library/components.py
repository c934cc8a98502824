"""Every graded component, declared once, in book order: the component table.

One row per component: its id in the checks, the name the book's code gives it, its chapter
and section, where the book's repository keeps it (`homes`, tried in order, and the
`spellings` learners use for it), the components it is built on, how the book calls it
(`calls`: the book's signatures, for the positional fallback of `checks/library/calls.py`)
and the hints its gradient checks may give. Its cases are the rows of the case tables
naming it (`Component.cases`). Everything else that needs these facts reads them here: the
book-layout loader in the child process (through the spec it is handed), the notebook
intake, the in-kernel `check()`, the notes about a book-layout folder, the deviations of
book-layout folders, the grader's prerequisites and the stubs' exports.

Prerequisites let the grader say "blocked: prerequisite X" instead of a pile of
tracebacks when a network fails inside a layer the learner has not written.

Ids. A component's id is its book name, except where the book has two components of one
name: `ch04.TwoLayerNet` (§4.5, sigmoid, numerical and hand-written gradients) and
`TwoLayerNet` (§5.7, layers and backprop). A package exports a component under its id, a
dotted id being a path (`reference.ch04.TwoLayerNet`); a book-layout folder and a notebook
define it under its book name, in its chapter's file or notebook.

Adding a component: its row here, its cases in `checks/library/cases/`, its reference code
and its export (docs/contributing-checks.md); checks/tests/library/test_registry.py keeps
the table and the cases in step.
"""

import ast
import copy
import functools
from dataclasses import dataclass, field

from checks.i18n import N_

from .hints import sigmoid_derivative_hint, tanh_hint

__all__ = ["COMPONENTS", "Component", "Extension", "Signature", "TABLE", "all_prerequisites", "book_homes", "component",
           "named", "spellings"]


@dataclass(frozen=True)
class Signature:
    """A parameter list as the book writes it: names in order, and the defaults of the trailing ones."""

    names: tuple
    defaults: dict

    @classmethod
    @functools.lru_cache(maxsize=None)  # a check calls the book's methods thousands of times: parse each text once
    def parse(cls, text):
        """`Signature.parse("W, b, stride=1, pad=0")` (Python's own syntax; defaults are literals).

        The same text gives the same Signature object: its `defaults` are not to be changed.
        """
        arguments = ast.parse(f"def f({text}): pass").body[0].args
        names = tuple(a.arg for a in arguments.args)
        defaults = {a.arg: ast.literal_eval(d) for a, d in zip(arguments.args[len(names) - len(arguments.defaults):],
                                                                arguments.defaults)}
        return cls(names, defaults)

    def positional(self, args, kwargs):
        """`args` then `kwargs` as one positional tuple in the book's order, skipped parameters at
        their book default; None when that is impossible (an unknown keyword, a gap without a default)."""
        if set(kwargs) - set(self.names[len(args):]):
            return None
        last = max((self.names.index(name) for name in kwargs), default=len(args) - 1)
        values = list(args)
        for name in self.names[len(args):last + 1]:
            if name in kwargs:
                values.append(kwargs[name])
            elif name in self.defaults:  # a copy: the parsed Signature is shared (a dict default, conv_param)
                values.append(copy.deepcopy(self.defaults[name]))
            else:
                return None
        return tuple(values)


@dataclass(frozen=True)
class Extension:
    """What the book asks of a component beyond the listing it prints first for it.

    §4.2.2 prints cross_entropy_error for one sample, §4.2.4 for a mini-batch of one-hot targets
    before the version that also takes labels; §4.4 prints numerical_gradient for 1-D arrays, and §4.4.2 uses common/gradient.py's
    for arrays of any shape; §4.5.1 prints the chapter-4 TwoLayerNet without `gradient`, which
    the book's ch04/two_layer_net.py adds (chapter 5's backpropagation). A definition written as
    the first listing is correct where it is written: the extension is checked on a definition
    that has it (`form`, recognised by its code in the child process:
    checks/isolation/child/sandboxed/listings.py), and is not attempted when none has it.

    `configs`: the component's cases that check the extension; `method`: or the method a
    check needs it for. `what` and `listing` are shown to the learner (translated).
    """

    form: str
    section: str
    what: str
    listing: str
    configs: tuple = ()
    method: str = ""


@dataclass(frozen=True)
class Component:
    """A graded component of the book.

    `name` is its id in the checks (a case's `component`); `book_name` the name the book's
    code gives it (the same, unless the book has two components of one name).
    `homes`: files of the book's repository holding it, the first existing one wins; ()
    when it lives only inside a chapter script the grader cannot import as a module.
    `spellings`: names it is found under besides `book_name` (`ReLU` for `Relu`).
    `calls`: {"__init__" or "__call__" or a method name: its parameters as the book writes them}.
    `hints`: extra hint rules for its gradient checks (see `hints.py`).
    `extensions`: what later sections ask beyond its first listing (`Extension`).
    """

    name: str
    chapter: int
    section: str
    homes: tuple = ()
    spellings: tuple = ()
    prerequisites: tuple = ()
    book_name: str = ""
    calls: dict = field(default_factory=dict)
    hints: tuple = ()
    extensions: tuple = ()

    def __post_init__(self):
        if not self.book_name:
            object.__setattr__(self, "book_name", self.name.rsplit(".", 1)[-1])

    @property
    def names(self):
        """Every name it is found under, the book's first."""
        return (self.book_name, *(s for s in self.spellings if s != self.book_name))

    def signature(self, method="__init__"):
        """The book's `Signature` of `method` ("__init__", "__call__", "forward", …), or None."""
        text = self.calls.get(method)
        return None if text is None else Signature.parse(text)

    def extension(self, config=None, method=None):
        """The `Extension` a check of case `config` (or calling `method`) needs, or None."""
        return next((e for e in self.extensions if config in e.configs or (method and method == e.method)), None)

    @property
    def cases(self):
        """Its cases, in the order of the case tables (`checks/library/cases/`)."""
        from .cases import ALL_CASES

        return [case for case in ALL_CASES if case.component == self.name]


# The book's signatures (common/*.py, chNN/*.py), for the calls that pass keywords.
_LAYER = {"forward": "x", "backward": "dout"}
_LOSS = {"forward": "x, t", "backward": "dout=1"}
_TRAIN_FLG = {"forward": "x, train_flg=True", "backward": "dout"}
_NET = {"predict": "x", "loss": "x, t", "accuracy": "x, t", "numerical_gradient": "x, t", "gradient": "x, t"}
_CONV_NET = {**_NET, "accuracy": "x, t, batch_size=100", "save_params": "file_name='params.pkl'",
             "load_params": "file_name='params.pkl'"}
_OPTIMIZER = {"update": "params, grads"}
_X = {"__call__": "x"}
_LAYERS = ("Affine", "Relu", "SoftmaxWithLoss")
_FUNCTIONS = ("common/functions.py",)
_LAYER_FILE = ("common/layers.py",)
_OPTIMIZERS = ("common/optimizer.py",)
_UTIL = ("common/util.py",)
_GATE = {"__call__": "x1, x2"}

TABLE = (
    # chapter 2
    Component("AND", 2, "§2.3.3", ("ch02/and_gate.py",), calls=_GATE),
    Component("NAND", 2, "§2.3.3", ("ch02/nand_gate.py",), calls=_GATE),
    Component("OR", 2, "§2.3.3", ("ch02/or_gate.py",), calls=_GATE),
    Component("XOR", 2, "§2.5.2", ("ch02/xor_gate.py",), prerequisites=("AND", "NAND", "OR"), calls=_GATE),
    # chapter 3
    Component("step_function", 3, "§3.2.2", _FUNCTIONS, calls=_X),
    Component("sigmoid", 3, "§3.2.4", _FUNCTIONS, calls=_X),
    Component("relu", 3, "§3.2.7", _FUNCTIONS, calls=_X),
    Component("identity_function", 3, "§3.4.3", _FUNCTIONS, calls=_X),
    Component("softmax", 3, "§3.5.1", _FUNCTIONS, calls=_X),
    Component("predict", 3, "§3.6.2", ("ch03/neuralnet_mnist.py", "ch03/neuralnet_mnist_batch.py"),
              prerequisites=("sigmoid", "softmax"), calls={"__call__": "network, x"}),
    # chapter 4
    Component("mean_squared_error", 4, "§4.2.1", _FUNCTIONS, spellings=("sum_squared_error",),
              calls={"__call__": "y, t"}),
    Component("cross_entropy_error", 4, "§4.2.2", _FUNCTIONS, calls={"__call__": "y, t"},
              extensions=(Extension("batch_mean", "§4.2.4", N_("a mini-batch, averaged over its rows"),
                                    N_("§4.2.2's listing for one sample"), configs=("batch-one-hot",)),
                          Extension("label_targets", "§4.2.4", N_("targets given as labels"),
                                    N_("§4.2.4's first listing (one-hot targets)"), configs=("batch-labels",)))),
    Component("numerical_diff", 4, "§4.3.1", ("ch04/gradient_1d.py",), calls={"__call__": "f, x"}),
    Component("numerical_gradient", 4, "§4.4", ("common/gradient.py",), calls={"__call__": "f, x"},
              extensions=(Extension("any_shape", "§4.4.2", N_("arrays of any shape, as common/gradient.py"),
                                    N_("§4.4's listing for 1-D arrays"), configs=("2d", "4d")),)),
    Component("gradient_descent", 4, "§4.4.1", ("ch04/gradient_method.py",), prerequisites=("numerical_gradient",),
              calls={"__call__": "f, init_x, lr=0.01, step_num=100"}),
    Component("ch04.TwoLayerNet", 4, "§4.5.1", ("ch04/two_layer_net.py",),
              prerequisites=("sigmoid", "softmax", "cross_entropy_error", "numerical_gradient", "sigmoid_grad"),
              calls={"__init__": "input_size, hidden_size, output_size, weight_init_std=0.01", **_NET},
              extensions=(Extension("gradient_method", "§4.5.2", N_("the fast gradient(x, t) of ch04/two_layer_net.py"),
                                    N_("§4.5.1's listing, which leaves gradient to chapter 5"), method="gradient"),)),
    # chapter 5
    Component("sigmoid_grad", 5, "§5.5.2", _FUNCTIONS, prerequisites=("sigmoid",), calls=_X),
    Component("relu_grad", 5, "§5.5.1", _FUNCTIONS, calls=_X),
    Component("MulLayer", 5, "§5.4.1", ("ch05/layer_naive.py",), calls={"forward": "x, y", "backward": "dout"}),
    # §5.4.2's graph (apples and oranges) is built with MulLayer as well
    Component("AddLayer", 5, "§5.4.2", ("ch05/layer_naive.py",), prerequisites=("MulLayer",),
              calls={"forward": "x, y", "backward": "dout"}),
    Component("Relu", 5, "§5.5.1", _LAYER_FILE, spellings=("ReLU", "ReLu"), calls=_LAYER),
    Component("Sigmoid", 5, "§5.5.2", _LAYER_FILE, prerequisites=("sigmoid",), calls=_LAYER,
              hints=(sigmoid_derivative_hint, tanh_hint)),
    Component("Affine", 5, "§5.6.2", _LAYER_FILE, calls={"__init__": "W, b", **_LAYER},
              extensions=(Extension("tensor_input", "§7.5", N_("the conv nets' (N, C, H, W) input, as common/layers.py"),
                                    N_("§5.6.2's listing for 2-D input"), configs=("4d-input",)),)),
    Component("SoftmaxWithLoss", 5, "§5.6.3", _LAYER_FILE, spellings=("SoftmaxWithLossLayer",),
              prerequisites=("softmax", "cross_entropy_error"), calls=_LOSS,
              extensions=(Extension("label_targets", "§6.1.8", N_("targets given as labels"),
                                    N_("§5.6.3's listing for one-hot targets"), configs=("labels",)),)),
    Component("TwoLayerNet", 5, "§5.7.2", ("ch05/two_layer_net.py",), prerequisites=_LAYERS + ("numerical_gradient",),
              calls={"__init__": "input_size, hidden_size, output_size, weight_init_std=0.01", **_NET}),
    # chapter 6
    Component("SGD", 6, "§6.1.2", _OPTIMIZERS, calls={"__init__": "lr=0.01", **_OPTIMIZER}),
    Component("Momentum", 6, "§6.1.4", _OPTIMIZERS, calls={"__init__": "lr=0.01, momentum=0.9", **_OPTIMIZER}),
    Component("Nesterov", 6, "§6.1.4", _OPTIMIZERS, calls={"__init__": "lr=0.01, momentum=0.9", **_OPTIMIZER}),
    Component("AdaGrad", 6, "§6.1.5", _OPTIMIZERS, spellings=("Adagrad",), calls={"__init__": "lr=0.01", **_OPTIMIZER}),
    Component("RMSprop", 6, "§6.1.5", _OPTIMIZERS, spellings=("RMSProp",),
              calls={"__init__": "lr=0.01, decay_rate=0.99", **_OPTIMIZER}),
    Component("Adam", 6, "§6.1.6", _OPTIMIZERS, calls={"__init__": "lr=0.001, beta1=0.9, beta2=0.999", **_OPTIMIZER}),
    Component("Dropout", 6, "§6.4.3", _LAYER_FILE, calls={"__init__": "dropout_ratio=0.5", **_TRAIN_FLG}),
    Component("BatchNormalization", 6, "§6.3.2", _LAYER_FILE, spellings=("BatchNorm",),
              calls={"__init__": "gamma, beta, momentum=0.9, running_mean=None, running_var=None", **_TRAIN_FLG}),
    Component("shuffle_dataset", 6, "§6.5.3", _UTIL, calls={"__call__": "x, t"}),
    Component("smooth_curve", 6, "§6.1.8", _UTIL, calls=_X),
    Component("MultiLayerNet", 6, "§6.2.4", ("common/multi_layer_net.py",),
              prerequisites=_LAYERS + ("Sigmoid", "numerical_gradient"),
              calls={"__init__": "input_size, hidden_size_list, output_size, activation='relu', weight_init_std='relu', "
                                 "weight_decay_lambda=0", **_NET}),
    Component("MultiLayerNetExtend", 6, "§6.3.2", ("common/multi_layer_net_extend.py",),
              prerequisites=_LAYERS + ("Sigmoid", "Dropout", "BatchNormalization", "numerical_gradient"),
              calls={"__init__": "input_size, hidden_size_list, output_size, activation='relu', weight_init_std='relu', "
                                 "weight_decay_lambda=0, use_dropout=False, dropout_ration=0.5, use_batchnorm=False",
                     **_NET, "predict": "x, train_flg=False", "loss": "x, t, train_flg=False"}),
    Component("Trainer", 6, "§6.4.3", ("common/trainer.py",),
              prerequisites=("SGD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam"),
              calls={"__init__": "network, x_train, t_train, x_test, t_test, epochs=20, mini_batch_size=100, "
                                 "optimizer='SGD', optimizer_param={'lr': 0.01}, evaluate_sample_num_per_epoch=None, "
                                 "verbose=True", "train": "", "train_step": ""}),
    # chapter 7
    Component("conv_output_size", 7, "§7.2.4", _UTIL, calls={"__call__": "input_size, filter_size, stride=1, pad=0"}),
    Component("im2col", 7, "§7.4.3", _UTIL, prerequisites=("conv_output_size",),
              calls={"__call__": "input_data, filter_h, filter_w, stride=1, pad=0"}),
    Component("col2im", 7, "§7.4.3", _UTIL, prerequisites=("conv_output_size",),
              calls={"__call__": "col, input_shape, filter_h, filter_w, stride=1, pad=0"}),
    Component("Convolution", 7, "§7.4.3", _LAYER_FILE, spellings=("Conv",), prerequisites=("im2col", "col2im"),
              calls={"__init__": "W, b, stride=1, pad=0", **_LAYER},
              extensions=(Extension("backward_method", "§7.4.3", N_("backward, as common/layers.py"),
                                    N_("§7.4.3's listing of forward alone"), method="backward"),)),
    Component("Pooling", 7, "§7.4.4", _LAYER_FILE, spellings=("MaxPooling",), prerequisites=("im2col", "col2im"),
              calls={"__init__": "pool_h, pool_w, stride=1, pad=0", **_LAYER},
              extensions=(Extension("backward_method", "§7.4.4", N_("backward, as common/layers.py"),
                                    N_("§7.4.4's listing of forward alone"), method="backward"),)),
    Component("SimpleConvNet", 7, "§7.5", ("ch07/simple_convnet.py",),
              prerequisites=_LAYERS + ("Convolution", "Pooling", "numerical_gradient"),
              calls={"__init__": "input_dim=(1, 28, 28), conv_param={'filter_num': 30, 'filter_size': 5, 'pad': 0, "
                                 "'stride': 1}, hidden_size=100, output_size=10, weight_init_std=0.01", **_CONV_NET}),
    # chapter 8
    Component("DeepConvNet", 8, "§8.1.1", ("ch08/deep_convnet.py",),
              prerequisites=_LAYERS + ("Convolution", "Pooling", "Dropout"),
              calls={"__init__": "input_dim=(1, 28, 28), conv_param_1=None, conv_param_2=None, conv_param_3=None, "
                                 "conv_param_4=None, conv_param_5=None, conv_param_6=None, hidden_size=50, "
                                 "output_size=10", **_CONV_NET, "predict": "x, train_flg=False"}),
)

_BY_NAME = {row.name: row for row in TABLE}
if len(_BY_NAME) != len(TABLE):
    raise ValueError("a component is declared twice in checks/library/components.py")

# component: its direct prerequisites (the form the scorer and the plugin walk)
COMPONENTS = {row.name: row.prerequisites for row in TABLE}


def component(name):
    """The `Component` row named `name` (KeyError naming it otherwise)."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"no component named {name!r} in checks/library/components.py") from None


def named(book_name):
    """Every row the book's code calls `book_name` (or a learner's spelling of it), in chapter order:
    two for `TwoLayerNet` (chapters 4 and 5), one for most names, none for a name the book lacks."""
    return [row for row in TABLE if book_name in row.names or book_name == row.name]


def book_homes():
    """{component: [(home file, [names])]} for the components the book keeps in importable files.

    The plain-data form handed to the child process, whose book-layout loader imports
    nothing of the checks.
    """
    return {row.name: [(home, list(row.names)) for home in row.homes] for row in TABLE if row.homes}


def spellings():
    """{any name a component is found under: the component}.

    A name two components share (`TwoLayerNet`, chapters 4 and 5) maps to the one whose id it
    is; `named` lists both, for a resolver that knows the chapter.
    """
    found = {row.name: row.name for row in TABLE}
    for row in TABLE:
        for spelling in row.names:
            found.setdefault(spelling, row.name)
    return found


def all_prerequisites(component, direct=None):
    """Every component `component` is built on, nearest first (transitive)."""
    direct = COMPONENTS if direct is None else direct
    seen, order, queue = set(), [], list(direct.get(component, ()))
    while queue:
        name = queue.pop(0)
        if name in seen or name == component:
            continue
        seen.add(name)
        order.append(name)
        queue.extend(direct.get(name, ()))
    return order
