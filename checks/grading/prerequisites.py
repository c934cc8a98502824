"""Which components a component is built on, to say "blocked: prerequisite X" instead
of a pile of tracebacks when a network fails inside a layer the learner has not written.

A case may carry its own `requires=(...)`; otherwise this table is used. Only the
components a check can see are listed (helpers such as `weight_scale` are not
graded on their own). A failure is attributed to a prerequisite only when that
prerequisite fails its *own* checks in the same run.
"""

__all__ = ["PREREQUISITES", "prerequisites_of", "all_prerequisites"]

_LAYERS = ("Affine", "Relu", "SoftmaxWithLoss")
_OPTIMIZERS = ("SGD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam")

PREREQUISITES = {
    "XOR": ("AND", "NAND", "OR"),
    "predict": ("sigmoid", "softmax"),
    "sigmoid_grad": ("sigmoid",),
    "gradient_descent": ("numerical_gradient",),
    "Sigmoid": ("sigmoid",),
    "SoftmaxWithLoss": ("softmax", "cross_entropy_error"),
    "TwoLayerNet": _LAYERS + ("numerical_gradient",),
    "MultiLayerNet": _LAYERS + ("Sigmoid", "numerical_gradient"),
    "MultiLayerNetExtend": _LAYERS + ("Sigmoid", "Dropout", "BatchNormalization", "numerical_gradient"),
    "im2col": ("conv_output_size",),
    "col2im": ("conv_output_size",),
    "Convolution": ("im2col", "col2im"),
    "Pooling": ("im2col", "col2im"),
    "SimpleConvNet": _LAYERS + ("Convolution", "Pooling"),
    "DeepConvNet": _LAYERS + ("Convolution", "Pooling", "Dropout"),
    "Trainer": _OPTIMIZERS,
}


def prerequisites_of(case):
    """Direct prerequisites of a case's component (the case's own `requires` first)."""
    requires = getattr(case, "requires", None)
    if requires:
        return tuple(requires)
    return PREREQUISITES.get(case.component, ())


def all_prerequisites(component, direct=None):
    """Every component `component` is built on, nearest first (transitive)."""
    direct = PREREQUISITES if direct is None else direct
    seen, order, queue = set(), [], list(direct.get(component, ()))
    while queue:
        name = queue.pop(0)
        if name in seen or name == component:
            continue
        seen.add(name)
        order.append(name)
        queue.extend(direct.get(name, ()))
    return order
