"""Tuned kernels for the reference's conv nets: the book's numbers, faster (not an exercise).

``reference.layers`` holds the layers as the book builds them (§7.4.3 Convolution
and §7.4.4 Pooling with im2col), which is what ``exercises/`` asks a learner to
write. The speed work lives here instead, in the split of CS231n's ``layers.py`` /
``fast_layers.py``: learners never fill it in, and ``checks.tools.stubgen`` does not
mirror it into ``exercises/`` (the exercises are handed out without the answers).

- ``kernels``: the layers' arithmetic channels-last (one strided window copy per
  convolution, 2×2 pooling by strided views with the ReLU fused, gradients routed by one
  product);
- ``plan.Plan``: a network's layer list run on those kernels, fused where exact;
- ``accelerate(network, threads=N)``: the reference's own SimpleConvNet / DeepConvNet run
  every batch through plans, split over N threads (``parallel.DataParallel``);
  ``accelerate(network)`` alone swaps its Convolution / Pooling layers for the
  channels-first twins ``FastConvolution`` / ``FastPooling``;
- ``cast_network``: a network's parameters in float32;
- ``install_threaded_update(adam, threads)``: the reference's Adam with each large
  parameter's update shared among threads, bit-identical (``adam``).

checks/tests/reference/test_fast_kernels.py, test_fast_layers.py and test_fast_parallel.py
prove each against the book's layers, values and gradients, with the tolerances they state;
test_fast_adam.py the threaded update against the reference's Adam, bit for bit.
"""

from .accelerate import accelerate
from .adam import install_threaded_update
from .convolution import FastConvolution
from .parallel import DataParallel
from .plan import Plan
from .pooling import FastPooling
from .precision import cast_network

__all__ = ["accelerate", "cast_network", "DataParallel", "FastConvolution", "FastPooling", "Plan",
           "install_threaded_update"]
