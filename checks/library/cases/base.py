"""The case types, one per component kind."""

from dataclasses import dataclass, field
from typing import Any, Callable

__all__ = ["FunctionCase", "LayerCase", "NetworkCase", "OptimizerCase"]


def _no_arguments(cls, arrays):
    return cls()


@dataclass(frozen=True)
class LayerCase:
    """A layer (`forward` / `backward`) in one configuration.

    `arrays(rng)` returns every float64 array the case needs: the input `x`, the
    constructor's arrays (`W`, `b`, `gamma`…) and, for losses, the target `t`.
    `construct(cls, arrays)` builds a fresh layer from them; `params` maps each
    constructor array to the attribute holding its gradient (`{"W": "dW"}`).
    """

    component: str
    config: str
    section: str
    arrays: Callable[[Any], dict]
    construct: Callable[[Any, dict], Any] = _no_arguments
    params: dict = field(default_factory=dict)
    forward_kwargs: dict = field(default_factory=dict)
    loss: bool = False  # forward(x, t) -> scalar; backward(dout=1)
    stochastic: bool = False  # forward draws from the implementation's RNG (dropout masks)
    batch_coupled: bool = False  # a sample's output depends on the rest of the batch
    out_shape: Callable[[dict], tuple] | None = None
    hints: tuple = ()
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
    """A whole network built small enough for a numerical gradient."""

    component: str
    config: str
    section: str
    kwargs: dict
    inputs: Callable[[Any], tuple]  # rng -> (x, t)
    param_shapes: dict
    loss_kwargs: dict = field(default_factory=dict)
    stochastic: bool = False
    has_numerical_gradient: bool = True
    # rng -> (x, t) for the accuracy check, when `inputs` will not do: the book's conv nets
    # count only whole batches of accuracy(x, t, batch_size=100) (§7.5, §8.1.1)
    accuracy_inputs: Callable[[Any], tuple] | None = None
    accuracy_kwargs: dict = field(default_factory=dict)  # e.g. the conv nets' batch_size
    kind: str = "network"

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
