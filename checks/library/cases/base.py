"""The case types, one per component kind."""

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

__all__ = ["FunctionCase", "LayerCase", "NetworkCase", "OptimizerCase", "TrainerCase"]


def _no_arguments(arrays):
    return (), {}


@dataclass(frozen=True)
class LayerCase:
    """A layer (`forward` / `backward`) in one configuration.

    `arrays(rng)` returns every float64 array the case needs: the input `x`, the
    constructor's arrays (`W`, `b`, `gamma`…) and, for losses, the target `t`.
    `init(arrays)` gives the constructor's `(args, kwargs)`, as the book passes them;
    `params` maps each constructor array to the attribute holding its gradient (`{"W": "dW"}`).
    `definition(arrays)` is what forward must return by the book's definition
    (`checks/library/definitions.py`): one value, or a tuple of accepted variants, the
    book's first; None where a check of its own judges the forward values (dropout masks).
    `tolerance` is (atol, rtol) for that comparison.
    """

    component: str
    config: str
    section: str
    arrays: Callable[[Any], dict]
    init: Callable[[dict], tuple] = _no_arguments
    params: dict = field(default_factory=dict)
    forward_kwargs: dict = field(default_factory=dict)
    loss: bool = False  # forward(x, t) -> scalar; backward(dout=1)
    stochastic: bool = False  # forward draws from the implementation's RNG (dropout masks)
    batch_coupled: bool = False  # a sample's output depends on the rest of the batch
    out_shape: Callable[[dict], tuple] | None = None
    definition: Callable[[dict], Any] | None = None
    tolerance: tuple = (1e-12, 1e-9)
    kind: str = "layer"

    @property
    def id(self):
        return f"{self.component}({self.config})"


@dataclass(frozen=True)
class FunctionCase:
    """A plain function checked against exact or closed-form values."""

    component: str
    config: str
    section: str
    kind: str = "function"

    @property
    def id(self):
        return f"{self.component}({self.config})"


@dataclass(frozen=True)
class NetworkCase:
    """A whole network built small enough for a numerical gradient.

    `inputs(rng)` gives (x, integer labels); `targets` is the form the book's code of the
    case's chapter feeds its loss and gradient ("one-hot" for the TwoLayerNets of chapters 4
    and 5, whose scripts load MNIST with one_hot_label=True; "labels" from chapter 6 on), and
    `accuracy_targets` the forms its accuracy must take. `predicts` says what predict returns:
    "scores" (chapter 5 on) or "probabilities" (the ch04 TwoLayerNet ends in softmax).
    `definition(params, x)` is predict's value by the book's definition, given the network's
    own params (`checks/library/definitions.py`): one array or a tuple of accepted variants,
    the book's first; `predict_kwargs` the mode it is called in. `saves`: the network has the
    book's save_params/load_params (the conv nets).
    """

    component: str
    config: str
    section: str
    kwargs: dict
    inputs: Callable[[Any], tuple]  # rng -> (x, labels)
    param_shapes: dict
    loss_kwargs: dict = field(default_factory=dict)
    stochastic: bool = False
    has_numerical_gradient: bool = True
    # rng -> (x, t) for the accuracy check, when `inputs` will not do: the book's conv nets
    # count only whole batches of accuracy(x, t, batch_size=100) (§7.5, §8.1.1)
    accuracy_inputs: Callable[[Any], tuple] | None = None
    accuracy_kwargs: dict = field(default_factory=dict)  # e.g. the conv nets' batch_size
    targets: str = "labels"
    accuracy_targets: tuple = ("labels", "one-hot")
    predicts: str = "scores"
    definition: Callable[[dict, Any], Any] | None = None
    predict_kwargs: dict = field(default_factory=dict)
    saves: bool = False
    kind: str = "network"

    @property
    def classes(self):
        """The number of classes (the output size; 10, MNIST's, by default)."""
        return self.kwargs.get("output_size", 10)

    def target(self, labels, form=None):
        """`labels` in `form` (default: the case's `targets`)."""
        form = form or self.targets
        return np.eye(self.classes)[labels] if form == "one-hot" else labels

    @property
    def id(self):
        return f"{self.component}({self.config})"


@dataclass(frozen=True)
class OptimizerCase:
    """An optimizer with its hyperparameters (its closed-form rule is in the checks)."""

    component: str
    config: str
    section: str
    kwargs: dict
    kind: str = "optimizer"

    @property
    def id(self):
        return f"{self.component}({self.config})"


@dataclass(frozen=True)
class TrainerCase:
    """Trainer (§6.4.3) with one of the optimizer names the book's Trainer lists, and that optimizer's
    hyperparameters (custom ones, so that a Trainer dropping optimizer_param cannot pass)."""

    component: str
    config: str
    section: str
    optimizer: str  # the optimizer component Trainer must use for the name `config`
    optimizer_param: dict
    kind: str = "trainer"

    @property
    def id(self):
        return f"{self.component}({self.config})"
