"""Chapter 3: the activation functions drawn (§3.2.3–3.2.7).

Book scripts: ch03/step_function.py (Figure 3-6), ch03/sigmoid.py (Figure 3-7),
ch03/sig_step_compare.py (Figure 3-8) and ch03/relu.py (Figure 3-9), which plot the
functions over ``np.arange(-5.0, 5.0, 0.1)``.
"""

import numpy as np

from ._common import resolve_lib

__all__ = ["activation_functions"]


def activation_functions(lib=None, start=-5.0, stop=5.0, step=0.1):
    """Step, sigmoid and ReLU evaluated on the book's grid (book §3.2.3–3.2.7, Figures 3-6 to 3-9).

    The book shows the step function jumping from 0 to 1 at x = 0, the sigmoid as its
    smooth version (0.5 at x = 0, between 0 and 1 everywhere) and ReLU as max(0, x).
    Deterministic.

    Args:
        lib: implementation namespace (None: reference); uses ``lib.step_function``,
            ``lib.sigmoid`` and ``lib.relu``.
        start, stop, step: the grid, ``np.arange(start, stop, step)`` (the book: -5, 5, 0.1).

    Returns:
        dict with
            x: (n,) the grid.
            step, sigmoid, relu: (n,) float arrays, each function applied to the whole grid.
    """
    lib = resolve_lib(lib)
    x = np.arange(start, stop, step)
    return {
        "x": x,
        # Copies as float: a component may return ints (step) or a view of its input.
        "step": np.array(lib.step_function(x), dtype=float),
        "sigmoid": np.array(lib.sigmoid(x), dtype=float),
        "relu": np.array(lib.relu(x), dtype=float),
    }
