"""Swap a network's reference Convolution and Pooling layers for the tuned kernels (chapters 7–8)."""

from ..layers import Convolution, Pooling
from .convolution import FastConvolution
from .parallel import install_data_parallel
from .pooling import FastPooling

__all__ = ["accelerate"]

# Exact classes only: a subclass (a bug-corpus variant) or a learner's own layer is
# something under test, and must run as written.
_FAST_FOR = {Convolution: FastConvolution, Pooling: FastPooling}


def accelerate(network, threads=None):
    """Replace, in place, each reference Convolution / Pooling of ``network.layers`` by its fast twin.

    The fast layer holds the very W and b arrays of the layer it replaces, so
    ``network.params``, optimizers' in-place updates and ``load_params`` (which copies
    into those arrays and rebinds ``layer.W``/``layer.b``) keep working. Layers of any
    other class, including subclasses of the reference's, are left alone, so on a
    learner's network (or a network without ``layers``) this changes nothing.

    Args:
        network: a network of the book keeping its layers in ``network.layers``, a
            list (DeepConvNet) or a dict (SimpleConvNet's OrderedDict).
        threads: None (default) changes nothing else. A number routes the reference
            SimpleConvNet's / DeepConvNet's predict, loss, gradient and accuracy through
            ``parallel.DataParallel``: each batch split over that many threads (run BLAS
            with one thread then), each slice run by a ``plan.Plan`` (channels-last
            kernels, ReLU fused with pooling). The numbers are the book's layers' up to
            the rounding of the products' summation order (within 1e-10 relative in
            float64, checks/tests/reference/test_fast_parallel.py), identical from run
            to run.

    Returns:
        network: the same object, for chaining.
    """
    layers = getattr(network, "layers", None)
    if isinstance(layers, dict):
        keys = list(layers)
    elif isinstance(layers, list):
        keys = range(len(layers))
    else:
        return network
    for key in keys:
        fast = _FAST_FOR.get(type(layers[key]))
        if fast is not None:
            layers[key] = fast.like(layers[key])
    if threads is not None:
        install_data_parallel(network, threads)
    return network
