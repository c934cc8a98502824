"""Adam's update split over threads: the reference's arithmetic, bit for bit (book §6.1.6; not an exercise).

``reference.optimizers.Adam`` (what a learner writes) updates each parameter with three
whole-array expressions, each leaving temporaries the size of the parameter. Beside a
data-parallel training step (``parallel.DataParallel``) that update runs on the calling
thread while the other cores wait: for SimpleConvNet, whose 4320×100 Affine holds 99.6% of
its 434,000 parameters, it took 2.0-3.7 ms of a 13-17 ms float32 step (2026-12-07). Here each large
parameter is cut into contiguous parts, one per thread, and each part runs the same three
expressions, element by element the same operations on the same dtypes, into buffers of
the dtypes the expressions would have produced: 0.92-1.25 ms on two threads (least of 300
updates, float32, against 2.0-3.7 ms for the reference's in the same runs). Element-wise arithmetic does not depend on how an array is
cut, so the parameters come out bit-identical (checks/tests/reference/test_fast_adam.py).

Learners never write this file and it is not mirrored into ``exercises/``.
"""

import functools

import numpy as np

from ..optimizers import _EPSILON, Adam, _zeros_like_each
from .parallel import even_cuts, run_in_threads

__all__ = ["install_threaded_update"]

# Below this many elements a parameter is updated whole on the calling thread: a bias (or
# SimpleConvNet's 750 first-layer weights) costs less than waking a thread for it.
_MIN_SPLIT = 1 << 14


def install_threaded_update(optimizer, threads):
    """Route ``optimizer.update`` through ``threads`` threads, if it is exactly the reference's Adam.

    Anything else (another optimizer, a learner's Adam, a bug-corpus subclass) is
    returned untouched, as is any optimizer when threads < 2. The method is set on the
    instance; its state (m, v, iter) stays the optimizer's own, so the instance remains an
    Adam in every other respect.

    Returns:
        optimizer: the same object.
    """
    if type(optimizer) is Adam and threads >= 2:
        optimizer.update = functools.partial(_threaded_update, optimizer, threads)
    return optimizer


def _threaded_update(adam, threads, params, grads):
    """``Adam.update(params, grads)`` with each large parameter's elements shared among threads (book §6.1.6)."""
    # The state's set-up and lr_t are those of reference.optimizers.Adam.update, written out here
    # because that body is the exercise's solution; test_fast_adam.py holds the two bit for bit.
    if adam.m is None:
        adam.m = _zeros_like_each(params)
        adam.v = _zeros_like_each(params)
    adam.iter += 1
    lr_t = adam.lr * np.sqrt(1.0 - adam.beta2 ** adam.iter) / (1.0 - adam.beta1 ** adam.iter)
    parts = [[] for _ in range(threads)]
    for key in params:
        arrays = (params[key], grads[key], adam.m[key], adam.v[key])
        size = arrays[0].size
        # A 1-D view needs C-contiguous arrays of one shape (reshape of anything else copies,
        # and the update would be lost); such a parameter is updated whole.
        if size < _MIN_SPLIT or any(not a.flags.c_contiguous or a.shape != arrays[0].shape for a in arrays):
            parts[0].append(arrays)
            continue
        flat = [a.reshape(-1) for a in arrays]
        cuts = even_cuts(size, threads)
        for k in range(threads):
            parts[k].append(tuple(a[cuts[k]:cuts[k + 1]] for a in flat))
    step = functools.partial(_update_part, lr_t=lr_t, beta1=adam.beta1, beta2=adam.beta2)
    run_in_threads([lambda part=part: [step(*arrays) for arrays in part] for part in parts if part])


def _update_part(param, grad, m, v, *, lr_t, beta1, beta2):
    """The reference's three lines on (a part of) one parameter, temporaries in their own dtypes:

    m += (1 - beta1)·(grad - m); v += (1 - beta2)·(grad² - v); param -= lr_t·m / (√v + 1e-7).
    """
    scratch = np.subtract(grad, m)
    m += _reusing(np.multiply, 1 - beta1, scratch, buffer=scratch)
    squared = _reusing(np.square, grad, buffer=scratch)
    squared = _reusing(np.subtract, squared, v, buffer=squared)
    v += _reusing(np.multiply, 1 - beta2, squared, buffer=squared)
    step = np.multiply(lr_t, m)
    root = np.sqrt(v)
    root = _reusing(np.add, root, _EPSILON, buffer=root)
    param -= _reusing(np.divide, step, root, buffer=step)


def _reusing(ufunc, *operands, buffer):
    """``ufunc(*operands)``, written into `buffer` when it has the dtype the call would give (the same bits).

    A 0-d parameter's temporaries are NumPy scalars, which take no output: computed anew.
    """
    if isinstance(buffer, np.ndarray) and buffer.dtype == np.result_type(*operands):
        return ufunc(*operands, out=buffer)
    return ufunc(*operands)
