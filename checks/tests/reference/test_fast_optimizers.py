"""FastAdam (reference/fast/optimizers.py) updates parameters bit for bit as the reference's Adam (book §6.1.6)."""

import copy

import numpy as np
import pytest

from reference import Adam, SimpleConvNet
from reference.fast import FastAdam, cast_network
from reference.fast import optimizers as fast_optimizers


def _gradients(params, rng, dtype):
    # Magnitudes from 1e-9 to 1e-1, some parameters with an all-zero gradient, and a
    # transposed (non-contiguous) array, as the fused plan hands its filter gradients.
    grads = {}
    for i, (key, value) in enumerate(params.items()):
        scale = 10.0 ** rng.integers(-9, 0)
        grad = (rng.standard_normal(value.shape[::-1]) * scale).astype(dtype).T
        grads[key] = np.zeros_like(value) if i == 3 else grad
    return grads


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
def test_fast_adam_updates_exactly_as_the_reference(dtype, monkeypatch):
    # A slice smaller than W2 (4320·100 numbers): the update runs slice by slice.
    monkeypatch.setattr(fast_optimizers, "_SLICE", 10_000)
    np.random.seed(0)
    book = cast_network(SimpleConvNet(), dtype)
    np.random.seed(0)
    fast = cast_network(SimpleConvNet(), dtype)
    rng = np.random.default_rng(0)
    reference, twin = Adam(lr=0.01, beta1=0.8), FastAdam(lr=0.01, beta1=0.8)
    for step in range(4):
        grads = _gradients(book.params, rng, dtype)
        reference.update(book.params, grads)
        twin.update(fast.params, grads)
        for key in book.params:
            assert fast.params[key].dtype == dtype
            assert np.array_equal(book.params[key], fast.params[key]), f"{key} after step {step + 1}"
            assert np.array_equal(reference.m[key], twin.m[key]) and np.array_equal(reference.v[key], twin.v[key])
    # Continuing a reference Adam's run (on a copy of its state here): the same next step.
    follower = FastAdam.like(copy.deepcopy(reference))
    grads = _gradients(book.params, rng, dtype)
    before = {key: value.copy() for key, value in book.params.items()}
    reference.update(book.params, grads)
    follower.update(before, grads)
    assert all(np.array_equal(before[key], book.params[key]) for key in before)


def test_fast_adam_refuses_a_parameter_it_cannot_update_in_place():
    params = {"W": np.ones((4, 3)).T}
    with pytest.raises(ValueError, match="'W' is not contiguous"):
        FastAdam().update(params, {"W": np.ones((3, 4))})
