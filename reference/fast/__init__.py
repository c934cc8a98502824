"""Tuned kernels for the reference's conv nets: same numbers as the book's layers, faster (not an exercise).

``reference.layers`` holds the layers as the book builds them (§7.4.3 Convolution
and §7.4.4 Pooling with im2col), which is what ``exercises/`` asks a learner to
write. The speed work lives here instead, in the split of CS231n's ``layers.py`` /
``fast_layers.py``: learners never fill it in, and ``checks.tools.stubgen`` does not
mirror it into ``exercises/`` (the exercises are handed out without the answers).

``accelerate(network)`` swaps the reference's own Convolution and Pooling layers of
a network for these, on the same parameter arrays; the experiments, the threaded
inference and the bench call it. checks/tests/reference/test_fast_layers.py proves
the two agree, values and gradients, on every layer shape of the book's networks.
"""

from .accelerate import accelerate
from .convolution import FastConvolution
from .parallel import DataParallel
from .pooling import FastPooling
from .precision import cast_network

__all__ = ["accelerate", "cast_network", "DataParallel", "FastConvolution", "FastPooling"]
