"""Data-parallel conv nets: each batch split over threads inside predict, loss, gradient, accuracy (not in the book).

Each thread runs the network on its own slice of the batch through a ``Plan``
(``reference.fast.plan``: the layers channels-last, ReLU fused with pooling). NumPy
releases the GIL inside matrix products, copies and element-wise loops, so the threads
keep every core busy, also on the parts BLAS does not parallelize (window copies, ReLU,
pooling). BLAS itself must run one thread per call (``OPENBLAS_NUM_THREADS=1``, as
``make reproduce`` and the bench's child processes set it), or the threads fight over
its pool. With ``threads=1`` the plan runs on the calling thread.

Determinism. Every call builds one plan per slice (the plans read the parameter arrays,
they keep their own forward state), so nothing depends on which thread runs first:

- gradient: slice k backpropagates its mean loss with the weight n_k / N (the dout given
  to SoftmaxWithLoss's backward), so the batch's gradients are the sum of the slices',
  added in slice order after every thread has finished. They equal the one-thread
  gradients up to the rounding of the sums (checks/tests/reference/test_fast_parallel.py),
  and are identical from run to run.
- loss: Σ_k (n_k / N)·loss_k, likewise.
- Dropout (DeepConvNet): the masks are drawn on the calling thread, for the whole
  batch, layer after layer, from NumPy's global generator, exactly as the book's
  layers draw them (``np.random.rand(*x.shape) > ratio``); each slice then uses its
  rows. A seeded run therefore draws the same masks (and the same later mini-batches)
  with or without threads. The masks' shapes are learnt from the first call for each
  input shape, which runs on one thread with the book's own draws.
- accuracy and predict(train_flg=False) give every thread whole batches of the book's
  loop (accuracy) or a contiguous run of images (predict): no random draws.

A layer list the plan does not run (e.g. a SimpleConvNet built with a convolution stride
of 2) runs as private copies of the layers instead, with the exact rewrites the plan
also makes: a ReLU followed by max pooling runs as the pooling followed by the ReLU
(ReLU is monotone: the same values, the same routed gradient), and the first
convolution skips its dx.

Only the reference's own SimpleConvNet and DeepConvNet, built of the reference's own
layers (or their ``reference.fast`` twins), are parallelized: ``install`` leaves any
other network (a learner's, a bug-corpus subclass) as it is.
"""

import copy
import threading

import numpy as np

from ..deep_convnet import DeepConvNet
from ..layers import Affine, Convolution, Dropout, Pooling, Relu, SoftmaxWithLoss
from ..simple_convnet import SimpleConvNet
from .convolution import FastConvolution
from .plan import Plan, Unsupported
from .pooling import FastPooling

__all__ = ["DataParallel", "install_data_parallel", "run_in_threads", "even_cuts"]

_NETWORKS = (SimpleConvNet, DeepConvNet)
_LAYERS = (Convolution, FastConvolution, Pooling, FastPooling, Relu, Affine, Dropout)
_POOLINGS = (Pooling, FastPooling)
# Below this many images per thread, splitting costs more than it gains (thread start,
# per-call overheads of every layer); such calls run on the calling thread.
_MIN_SLICE = 8


def _layer_list(network):
    layers = network.layers
    return list(layers.values()) if isinstance(layers, dict) else list(layers)


def _parallelizable(network):
    """Whether `network` is exactly a reference conv net made of reference layers only."""
    if type(network) not in _NETWORKS or type(getattr(network, "last_layer", None)) is not SoftmaxWithLoss:
        return False
    layers = _layer_list(network)
    # One layer object in two places (a bug: its second use overwrites the first's
    # state) would be split into two private copies here and the bug hidden.
    if len({id(layer) for layer in layers}) != len(layers):
        return False
    return all(type(layer) in _LAYERS for layer in layers)


class _Slice:
    """One thread's private state for one call: a ``Plan`` of the layers, or private copies of them.

    The plan (channels-last kernels, ReLU and pooling fused) runs every layer list of the
    book's two networks; a list it does not know (e.g. a SimpleConvNet built with a
    convolution stride of 2) runs as copies of the layers, sharing the parameter arrays,
    with the exact rewrites of the module docstring.
    """

    def __init__(self, layers):
        self.last_layer = SoftmaxWithLoss()
        try:
            self.plan = Plan(layers)
            self.layers = None
            return
        except Unsupported:
            self.plan = None
        layers = [copy.copy(layer) for layer in layers]
        # ReLU then pooling -> pooling then ReLU (exact, see the module docstring).
        for i in range(len(layers) - 1):
            if type(layers[i]) is Relu and type(layers[i + 1]) in _POOLINGS:
                layers[i], layers[i + 1] = layers[i + 1], layers[i]
        # Nothing reads the first layer's dx: its backward skips it (dW, db unchanged).
        if type(layers[0]) is FastConvolution:
            layers[0].input_gradient = False
        self.layers = layers

    def forward(self, x, train_flg, masks, keep=False):
        """Scores of `x`. While training, the Dropout layers take `masks` (one per layer, in order),
        or with masks None draw their own, as the book's layer does; keep: for a backward next."""
        if self.plan is not None:
            return self.plan.forward(x, train_flg, masks, keep=keep)
        masks = None if masks is None else iter(masks)
        for layer in self.layers:
            if isinstance(layer, Dropout):
                if train_flg and masks is not None:
                    layer.mask = next(masks)
                    x = x * layer.mask
                else:
                    x = layer.forward(x, train_flg)
            else:
                x = layer.forward(x)
        return x

    def dropout_masks(self):
        """The masks the Dropout layers used in the last training-mode forward, in order."""
        if self.plan is not None:
            return self.plan.dropout_masks()
        return [layer.mask for layer in self.layers if isinstance(layer, Dropout)]

    def backward(self, share=1.0):
        """Backpropagate from the last loss; (W, b, dW, db) of each layer with parameters, in order.

        share: this slice's part of the batch (its images / the batch's): the slice's mean
        loss enters the batch's mean with that weight, so the gradients come out weighted.
        """
        dout = self.last_layer.backward(share)
        if self.plan is not None:
            return self.plan.backward(dout)
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        return [(layer.W, layer.b, layer.dW, layer.db) for layer in self.layers if hasattr(layer, "dW")]

    def gradients(self, x, t, masks, share=1.0):
        """(W, b, dW, db) of each layer with parameters for the slice, weighted by `share`, by backpropagation."""
        self.last_layer.forward(self.forward(x, True, masks, keep=True), t)
        return self.backward(share)


def even_cuts(n, parts):
    """The bounds cutting n items into `parts` contiguous runs of sizes differing by at most one, in order."""
    return [n * k // parts for k in range(parts + 1)]


def run_in_threads(tasks):
    """Run the callables, the first on this thread and the rest on new threads; return their results in order."""
    results = [None] * len(tasks)
    errors = []

    def run(i):
        try:
            results[i] = tasks[i]()
        except BaseException as error:  # re-raised on the calling thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(1, len(tasks))]
    for thread in threads:
        thread.start()
    run(0)
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


class DataParallel:
    """The batch-parallel predict / loss / gradient / accuracy of one reference conv net.

    Attributes:
        network: the SimpleConvNet or DeepConvNet computed for (its params and layers are read at every call).
        threads: number of slices a batch is split into (1: no threads, the rewrites only).
        last_masks: the Dropout masks of the last training-mode call, for the whole batch.
    """

    def __init__(self, network, threads):
        if threads < 1:
            raise ValueError(f"threads must be at least 1, got {threads}")
        self.network = network
        self.threads = threads
        self._mask_shapes = {}  # input shape per image -> per-image shapes of the Dropout inputs
        self.last_masks = []  # the dropout masks of the last training-mode call, whole batch

    # -- helpers -------------------------------------------------------------------------
    def _layers(self):
        return _layer_list(self.network)

    def _bounds(self, n):
        return even_cuts(n, self.threads if n >= self.threads * _MIN_SLICE else 1)

    def _draw_masks(self, x):
        """Dropout masks for the whole batch, drawn here in layer order, or None when their shapes are not known yet."""
        dropouts = [layer for layer in self._layers() if isinstance(layer, Dropout)]
        if not dropouts:
            return []
        shapes = self._mask_shapes.get(x.shape[1:])
        if shapes is None:
            return None
        self.last_masks = [np.random.rand(x.shape[0], *shape) > layer.dropout_ratio
                           for layer, shape in zip(dropouts, shapes)]
        return self.last_masks

    # -- the networks' API -----------------------------------------------------------------
    def _serial(self, x, train_flg, keep=False):
        """One slice for the whole batch, on this thread: the book's own dropout draws."""
        part = _Slice(self._layers())
        masks = self._draw_masks(x) if train_flg else None
        scores = part.forward(x, train_flg, masks, keep=keep)
        if train_flg and masks is None:
            self.last_masks = part.dropout_masks()
            self._mask_shapes[x.shape[1:]] = [mask.shape[1:] for mask in self.last_masks]
        return part, scores

    def _split(self, x, train_flg):
        """The slices of the batch and the whole batch's dropout masks, or None to run it on one thread."""
        bounds = self._bounds(x.shape[0])
        if len(bounds) == 2:
            return None
        masks = self._draw_masks(x) if train_flg else []
        if masks is None:
            return None
        return [slice(a, b) for a, b in zip(bounds, bounds[1:])], masks

    def predict(self, x, train_flg=False):
        """Class scores, (N, classes), as the network's predict (book §7.5, §8.1.1)."""
        split = self._split(x, train_flg)
        if split is None:
            return self._serial(x, train_flg)[1]
        slices, masks = split
        return np.concatenate(run_in_threads([
            lambda s=s: _Slice(self._layers()).forward(x[s], train_flg, [m[s] for m in masks])
            for s in slices]))

    def loss(self, x, t):
        """Mean cross-entropy loss of the batch, in training mode (book §7.5, §8.1.1)."""
        train_flg = isinstance(self.network, DeepConvNet)  # SimpleConvNet has no training mode
        t = np.asarray(t)
        split = self._split(x, train_flg)
        if split is None:
            part, scores = self._serial(x, train_flg)
            return part.last_layer.forward(scores, t)
        slices, masks = split

        def task(s):
            part = _Slice(self._layers())
            return part.last_layer.forward(part.forward(x[s], train_flg, [m[s] for m in masks]), t[s])

        losses = run_in_threads([lambda s=s: task(s) for s in slices])
        total = 0.0
        for s, loss in zip(slices, losses):
            total += (s.stop - s.start) / x.shape[0] * loss
        return total

    def gradient(self, x, t):
        """Gradients of the training-mode loss, a dict shaped like params (book §7.5, §8.1.1)."""
        t = np.asarray(t)
        split = self._split(x, True)
        if split is None:
            part, scores = self._serial(x, True, keep=True)
            part.last_layer.forward(scores, t)
            return self._named([part.backward()])
        slices, masks = split
        n = x.shape[0]
        results = run_in_threads([
            lambda s=s: _Slice(self._layers()).gradients(x[s], t[s], [m[s] for m in masks], (s.stop - s.start) / n)
            for s in slices])
        return self._named(results)

    def _named(self, per_slice):
        """{params key: Σ_k gradient of slice k}, summed in slice order (the layers' W, b found in params by identity).

        Each slice's gradients already carry its share of the batch (``_Slice.backward``).
        """
        key_of = {id(array): key for key, array in self.network.params.items()}
        grads = {}
        for k, per_layer in enumerate(per_slice):
            for W, b, dW, db in per_layer:
                for param, value in ((W, dW), (b, db)):
                    key = key_of[id(param)]
                    if k == 0:
                        grads[key] = value
                    elif k == 1:
                        grads[key] = grads[key] + value  # a new array: slice 0's may be a layer's own
                    else:
                        grads[key] += value
        return grads

    def accuracy(self, x, t, batch_size=100):
        """Fraction of correctly classified images, the book's batches shared among threads (book §7.5, §8.1.1)."""
        t = np.asarray(t)
        if t.ndim != 1:
            t = np.argmax(t, axis=1)
        n = x.shape[0]
        batches = -(-n // batch_size)
        parts = min(self.threads, batches)
        bounds = [min(n, batch_size * (batches * k // parts)) for k in range(parts + 1)]

        def count(start, stop):
            part = _Slice(self._layers())
            correct = 0
            for i in range(start, stop, batch_size):
                scores = part.forward(x[i:min(i + batch_size, stop)], False, None)
                correct += int(np.sum(np.argmax(scores, axis=1) == t[i:min(i + batch_size, stop)]))
            return correct

        counts = run_in_threads([lambda a=a, b=b: count(a, b) for a, b in zip(bounds, bounds[1:])])
        return sum(counts) / n


def install_data_parallel(network, threads):
    """Route ``network``'s predict, loss, gradient and accuracy through a DataParallel of `threads` threads.

    Only for the reference's own SimpleConvNet / DeepConvNet built of reference layers;
    any other network is returned untouched. The methods are set on the instance, so
    the class (and every other network) keeps the book's.

    Returns:
        network: the same object.
    """
    if not _parallelizable(network):
        return network
    executor = DataParallel(network, threads)
    network.data_parallel = executor
    network.predict = executor.predict
    network.loss = executor.loss
    network.gradient = executor.gradient
    network.accuracy = executor.accuracy
    return network
