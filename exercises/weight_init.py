# Generated from reference/weight_init.py by `make exercises`. Your exercise: replace each
# `raise NotImplementedError(...)` below with your own code; `make exercises` never overwrites your edits.
"""Scale of the initial weights: a fixed standard deviation, He or Xavier (chapter 6).

``weight_scale`` turns the networks' ``weight_init_std`` argument into the standard
deviation of the Gaussian the weights are drawn from (book §6.2.2, §6.2.3).
"""

import math
import numbers
from ._messages import not_implemented

__all__ = ["weight_scale"]

_HE_NAMES = ("relu", "he")
_XAVIER_NAMES = ("sigmoid", "xavier")


def weight_scale(weight_init_std, n_in):
    """Standard deviation of a layer's initial weights (book §6.2).

    A number is used as the standard deviation itself. The names follow the book's
    networks, compared case-insensitively: ``'relu'`` / ``'he'`` give He's √(2/n_in),
    suited to ReLU (§6.2.3); ``'sigmoid'`` / ``'xavier'`` give Xavier's √(1/n_in),
    suited to sigmoid and tanh (§6.2.2).

    Args:
        weight_init_std: a real number, or one of 'relu', 'he', 'sigmoid', 'xavier'.
        n_in: number of inputs of the layer (the previous layer's size; C·FH·FW for
            a convolution), a positive integer.

    Returns:
        scale: float, the standard deviation.

    Raises:
        ValueError: weight_init_std is neither a number nor one of the names
            (e.g. a misspelt name), or n_in is not positive for a named scale.
    """
    raise NotImplementedError(not_implemented("weight_scale", "§6.2", "exercises/weight_init.py"))
