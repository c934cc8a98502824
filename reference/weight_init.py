"""Scale of the initial weights: a fixed standard deviation, He or Xavier (chapter 6).

``weight_scale`` turns the networks' ``weight_init_std`` argument into the standard
deviation of the Gaussian the weights are drawn from (book §6.2.2, §6.2.3).
"""

import math
import numbers

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
    # BEGIN SOLUTION
    if isinstance(weight_init_std, str):
        name = weight_init_std.lower()
        if name in _HE_NAMES + _XAVIER_NAMES and n_in <= 0:
            raise ValueError(f"n_in must be positive for weight_init_std={weight_init_std!r}, got {n_in}")
        if name in _HE_NAMES:
            return math.sqrt(2.0 / n_in)
        if name in _XAVIER_NAMES:
            return math.sqrt(1.0 / n_in)
    # bool is a numbers.Real too, but True as a standard deviation is a mistake.
    elif isinstance(weight_init_std, numbers.Real) and not isinstance(weight_init_std, bool):
        return float(weight_init_std)
    choices = ", ".join(repr(name) for name in _HE_NAMES + _XAVIER_NAMES)
    raise ValueError(f"weight_init_std must be a number or one of {choices}; got {weight_init_std!r}")
    # END SOLUTION
