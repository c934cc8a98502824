"""Test functions that checks hand to the implementation (f for numerical_gradient …).

They live beside the implementation because functions cannot be copied across a
process boundary; checks refer to them by name (`Implementation.probe`).
"""

import itertools
import os
import tempfile

import numpy as np

__all__ = ["PROBES"]


def quadratic(x):
    """The book's f(x) = 0.01x² + 0.1x (§4.3.2)."""
    return 0.01 * x ** 2 + 0.1 * x


def sum_of_squares(x):
    """The book's f(x0, x1) = x0² + x1² (§4.4)."""
    return np.sum(x ** 2)


def mixing(x):
    """Non-separable: each element's derivative depends on the others."""
    return float(np.sum(x ** 2) * np.sum(np.sin(x)) + np.prod(np.cos(x).ravel()[:4]))


def update_watching_arrays(optimizer, params, grads):
    """optimizer.update(params, grads), then (the arrays params held before the call, params).

    The first item shows whether the update reached the arrays a network's layers hold.
    """
    originals = dict(params)
    optimizer.update(params, grads)
    return originals, params


class RecordingNetwork:
    """A network for Trainer's checks: params W1 (3, 4) and b1 (4,), a gradient that depends on the
    params alone (so any mini-batch gives the same step), and a record of every call.

    `history` holds, for each gradient(x, t) call, the params it saw and the grads it returned
    (copies); `batches` the (x, t) of each call; `evaluations` how many times accuracy was asked.
    """

    def __init__(self, seed=0):
        rng = np.random.default_rng(seed)
        self.params = {"W1": rng.normal(size=(3, 4)), "b1": rng.normal(size=4)}
        self._targets = {key: rng.normal(size=value.shape) for key, value in self.params.items()}
        self.history, self.batches, self.evaluations = [], [], 0

    def gradient(self, x, t):
        grads = {key: 2.0 * (value - self._targets[key]) + 0.3 * np.sin(3.0 * value)
                 for key, value in self.params.items()}
        self.history.append({"params": {k: np.array(v) for k, v in self.params.items()},
                             "grads": {k: np.array(v) for k, v in grads.items()}})
        self.batches.append((np.array(x), np.array(t)))
        return grads

    def loss(self, x, t):
        return float(sum(np.sum((value - self._targets[key]) ** 2) for key, value in self.params.items()))

    def accuracy(self, x, t, *args, **kwargs):
        self.evaluations += 1
        return 0.5


_SCRATCH = []  # the process's scratch folder, removed with it (TemporaryDirectory cleans up at exit)
_NUMBERS = itertools.count(1)


def scratch_file(name):
    """A fresh path for a file named `name`, in a temporary folder of the process running the
    implementation (its work folder in a child), for checks that write files (save_params)."""
    if not _SCRATCH:
        _SCRATCH.append(tempfile.TemporaryDirectory(prefix="dlfs-scratch-"))
    return os.path.join(_SCRATCH[0].name, f"{next(_NUMBERS)}-{name}")


PROBES = {"quadratic": quadratic, "sum_of_squares": sum_of_squares, "mixing": mixing,
          "update_watching_arrays": update_watching_arrays, "RecordingNetwork": RecordingNetwork,
          "scratch_file": scratch_file}
