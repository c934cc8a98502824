"""Inference on every core: a test set's batches shared among threads (not in the book).

NumPy releases the GIL inside matrix products, copies and element-wise loops, so
Python threads each running a network on their own batches keep several cores
busy. That beats one thread with multi-threaded BLAS whenever much of the time goes
to NumPy work BLAS does not parallelize (im2col copies, ReLU, pooling: about half of
DeepConvNet's inference, see ``make bench``), provided BLAS itself runs one thread
per call (``OPENBLAS_NUM_THREADS=1``), or the threads fight over the BLAS pool.
"""

import copy
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from ._common import accelerate
from ._common import predicted_classes

__all__ = ["predicted_classes_in_threads"]


def _private_copy(network):
    """A copy of `network` whose layers are its own, sharing the parameter arrays.

    Layers keep what forward saw (x, col, mask, arg_max) for backward, so threads
    running one set of layers would overwrite each other's state mid-forward.
    """
    clone = copy.copy(network)
    layers = network.layers
    if isinstance(layers, dict):
        clone.layers = type(layers)((name, copy.copy(layer)) for name, layer in layers.items())
    else:
        clone.layers = [copy.copy(layer) for layer in layers]
    return clone


def predicted_classes_in_threads(network, x, batch_size=100, workers=2, **predict_kwargs):
    """argmax of ``network.predict`` over `x`, batch by batch, on `workers` threads.

    Same batches, hence the same results, as predicting them one after another
    (each batch's arithmetic does not depend on which thread runs it).

    Args:
        network: a conv net of the book (``layers`` a list or dict, ``predict(x, ...)``).
        x: (N, C, H, W) images.
        batch_size: images per ``predict`` call.
        workers: threads, each with its own copy of the layers.
        **predict_kwargs: passed to ``predict`` (e.g. ``train_flg=False``).

    Returns:
        classes: (N,) int64 predicted classes.
    """
    # Each thread takes a run of whole batches, so the batches are those of one pass.
    batches = -(-x.shape[0] // batch_size)
    bounds = [min(x.shape[0], batch_size * (batches * share // workers)) for share in range(workers + 1)]
    classes = np.empty(x.shape[0], dtype=np.int64)

    def run(share):
        # Reference layers run as the tuned kernels (same numbers); a learner's run as written.
        clone = accelerate(_private_copy(network))
        start, stop = bounds[share], bounds[share + 1]
        if start == stop:  # fewer batches than threads
            return
        classes[start:stop] = predicted_classes(lambda batch: clone.predict(batch, **predict_kwargs),
                                                x[start:stop], batch_size)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        for finished in [pool.submit(run, share) for share in range(workers)]:
            finished.result()
    return classes
