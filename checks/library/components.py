"""Every graded component and the components it is built on, in book order.

Prerequisites let the grader say "blocked: prerequisite X" instead of a pile of
tracebacks when a network fails inside a layer the learner has not written. A
failure is attributed to a prerequisite only when that prerequisite fails its *own*
checks in the same run. Adding a component: add it here and give it cases in
`checks/library/cases/` (checks/tests/library/test_registry.py keeps the two in step).
"""

__all__ = ["COMPONENTS", "all_prerequisites", "prerequisites_of"]

_LAYERS = ("Affine", "Relu", "SoftmaxWithLoss")

COMPONENTS = {  # component: its direct prerequisites
    # chapter 2
    "AND": (), "NAND": (), "OR": (), "XOR": ("AND", "NAND", "OR"),
    # chapter 3
    "step_function": (), "sigmoid": (), "relu": (), "identity_function": (), "softmax": (),
    "predict": ("sigmoid", "softmax"),
    # chapter 4
    "mean_squared_error": (), "cross_entropy_error": (), "numerical_diff": (), "numerical_gradient": (),
    "gradient_descent": ("numerical_gradient",),
    # chapter 5
    "sigmoid_grad": ("sigmoid",), "relu_grad": (), "MulLayer": (), "AddLayer": (), "Relu": (),
    "Sigmoid": ("sigmoid",), "Affine": (), "SoftmaxWithLoss": ("softmax", "cross_entropy_error"),
    "TwoLayerNet": _LAYERS + ("numerical_gradient",),
    # chapter 6
    "SGD": (), "Momentum": (), "Nesterov": (), "AdaGrad": (), "RMSprop": (), "Adam": (),
    "Dropout": (), "BatchNormalization": (), "shuffle_dataset": (), "smooth_curve": (),
    "MultiLayerNet": _LAYERS + ("Sigmoid", "numerical_gradient"),
    "MultiLayerNetExtend": _LAYERS + ("Sigmoid", "Dropout", "BatchNormalization", "numerical_gradient"),
    # chapter 7
    "conv_output_size": (), "im2col": ("conv_output_size",), "col2im": ("conv_output_size",),
    "Convolution": ("im2col", "col2im"), "Pooling": ("im2col", "col2im"),
    "SimpleConvNet": _LAYERS + ("Convolution", "Pooling"),
    # chapter 8
    "DeepConvNet": _LAYERS + ("Convolution", "Pooling", "Dropout"),
}


def prerequisites_of(case):
    """Direct prerequisites of a case's component."""
    return COMPONENTS.get(case.component, ())


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
