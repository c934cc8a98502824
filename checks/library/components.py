"""Every graded component, declared once, in book order.

One row per component: its book name, chapter and section, where the book's repository
keeps it (`homes`, tried in order, and the `spellings` learners use for it), and the
components it is built on. Everything else that needs these facts reads them here: the
book-layout loader in the child process (through the spec it is handed), the notebook
intake, the in-kernel `check()`, the notes about a book-layout folder, the deviations of
book-layout folders and the grader's prerequisites.

Prerequisites let the grader say "blocked: prerequisite X" instead of a pile of
tracebacks when a network fails inside a layer the learner has not written. Adding a
component: its row here and its cases in `checks/library/cases/`
(checks/tests/library/test_registry.py keeps the two in step).
"""

from dataclasses import dataclass

__all__ = ["COMPONENTS", "Component", "TABLE", "all_prerequisites", "book_homes", "component", "spellings"]


@dataclass(frozen=True)
class Component:
    """A graded component of the book.

    `name` is its id in the checks (a case's `component`); `book_name` the name the book's
    code gives it (the same, unless the book has two components of one name).
    `homes`: files of the book's repository holding it, the first existing one wins; ()
    when it lives only inside a chapter script the grader cannot import as a module.
    `spellings`: names it is found under besides `book_name` (`ReLU` for `Relu`).
    """

    name: str
    chapter: int
    section: str
    homes: tuple = ()
    spellings: tuple = ()
    prerequisites: tuple = ()
    book_name: str = ""

    def __post_init__(self):
        if not self.book_name:
            object.__setattr__(self, "book_name", self.name)

    @property
    def names(self):
        """Every name it is found under, the book's first."""
        return (self.book_name, *(s for s in self.spellings if s != self.book_name))


_LAYERS = ("Affine", "Relu", "SoftmaxWithLoss")
_FUNCTIONS = ("common/functions.py",)
_LAYER_FILE = ("common/layers.py",)
_OPTIMIZERS = ("common/optimizer.py",)
_UTIL = ("common/util.py",)

TABLE = (
    # chapter 2
    Component("AND", 2, "§2.3.3", ("ch02/and_gate.py",)),
    Component("NAND", 2, "§2.3.3", ("ch02/nand_gate.py",)),
    Component("OR", 2, "§2.3.3", ("ch02/or_gate.py",)),
    Component("XOR", 2, "§2.5.2", ("ch02/xor_gate.py",), prerequisites=("AND", "NAND", "OR")),
    # chapter 3
    Component("step_function", 3, "§3.2.2", _FUNCTIONS),
    Component("sigmoid", 3, "§3.2.4", _FUNCTIONS),
    Component("relu", 3, "§3.2.7", _FUNCTIONS),
    Component("identity_function", 3, "§3.4.3", _FUNCTIONS),
    Component("softmax", 3, "§3.5.1", _FUNCTIONS),
    Component("predict", 3, "§3.6.2", ("ch03/neuralnet_mnist.py", "ch03/neuralnet_mnist_batch.py"),
              prerequisites=("sigmoid", "softmax")),
    # chapter 4
    Component("mean_squared_error", 4, "§4.2.1", _FUNCTIONS, spellings=("sum_squared_error",)),
    Component("cross_entropy_error", 4, "§4.2.2", _FUNCTIONS),
    Component("numerical_diff", 4, "§4.3.1", ("ch04/gradient_1d.py",)),
    Component("numerical_gradient", 4, "§4.4", ("common/gradient.py",)),
    Component("gradient_descent", 4, "§4.4.1", ("ch04/gradient_method.py",), prerequisites=("numerical_gradient",)),
    # chapter 5
    Component("sigmoid_grad", 5, "§5.5.2", _FUNCTIONS, prerequisites=("sigmoid",)),
    Component("relu_grad", 5, "§5.5.1", _FUNCTIONS),
    Component("MulLayer", 5, "§5.4.1", ("ch05/layer_naive.py",)),
    Component("AddLayer", 5, "§5.4.2", ("ch05/layer_naive.py",)),
    Component("Relu", 5, "§5.5.1", _LAYER_FILE, spellings=("ReLU", "ReLu")),
    Component("Sigmoid", 5, "§5.5.2", _LAYER_FILE, prerequisites=("sigmoid",)),
    Component("Affine", 5, "§5.6.2", _LAYER_FILE),
    Component("SoftmaxWithLoss", 5, "§5.6.3", _LAYER_FILE, spellings=("SoftmaxWithLossLayer",),
              prerequisites=("softmax", "cross_entropy_error")),
    Component("TwoLayerNet", 5, "§5.7.2", ("ch05/two_layer_net.py", "ch04/two_layer_net.py"),
              prerequisites=_LAYERS + ("numerical_gradient",)),
    # chapter 6
    Component("SGD", 6, "§6.1.2", _OPTIMIZERS),
    Component("Momentum", 6, "§6.1.4", _OPTIMIZERS),
    Component("Nesterov", 6, "§6.1.4", _OPTIMIZERS),
    Component("AdaGrad", 6, "§6.1.5", _OPTIMIZERS, spellings=("Adagrad",)),
    Component("RMSprop", 6, "§6.1.5", _OPTIMIZERS, spellings=("RMSProp",)),
    Component("Adam", 6, "§6.1.6", _OPTIMIZERS),
    Component("Dropout", 6, "§6.4.3", _LAYER_FILE),
    Component("BatchNormalization", 6, "§6.3.2", _LAYER_FILE, spellings=("BatchNorm",)),
    Component("shuffle_dataset", 6, "§6.5.3", _UTIL),
    Component("smooth_curve", 6, "§6.1.8", _UTIL),
    Component("MultiLayerNet", 6, "§6.2.4", ("common/multi_layer_net.py",),
              prerequisites=_LAYERS + ("Sigmoid", "numerical_gradient")),
    Component("MultiLayerNetExtend", 6, "§6.3.2", ("common/multi_layer_net_extend.py",),
              prerequisites=_LAYERS + ("Sigmoid", "Dropout", "BatchNormalization", "numerical_gradient")),
    Component("Trainer", 6, "§6.4.3", ("common/trainer.py",)),
    # chapter 7
    Component("conv_output_size", 7, "§7.2.4", _UTIL),
    Component("im2col", 7, "§7.4.3", _UTIL, prerequisites=("conv_output_size",)),
    Component("col2im", 7, "§7.4.3", _UTIL, prerequisites=("conv_output_size",)),
    Component("Convolution", 7, "§7.4.3", _LAYER_FILE, spellings=("Conv",), prerequisites=("im2col", "col2im")),
    Component("Pooling", 7, "§7.4.4", _LAYER_FILE, spellings=("MaxPooling",), prerequisites=("im2col", "col2im")),
    Component("SimpleConvNet", 7, "§7.5", ("ch07/simple_convnet.py",),
              prerequisites=_LAYERS + ("Convolution", "Pooling")),
    # chapter 8
    Component("DeepConvNet", 8, "§8.1.1", ("ch08/deep_convnet.py",),
              prerequisites=_LAYERS + ("Convolution", "Pooling", "Dropout")),
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


def book_homes():
    """{component: [(home file, [names])]} for the components the book keeps in importable files.

    The plain-data form handed to the child process, whose book-layout loader imports
    nothing of the checks.
    """
    return {row.name: [(home, list(row.names)) for home in row.homes] for row in TABLE if row.homes}


def spellings():
    """{any name a component is found under: the component}."""
    found = {}
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
