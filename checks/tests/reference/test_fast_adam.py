"""reference.fast.install_threaded_update: the reference's Adam, its update shared among threads, bit for bit.

- Over several updates, in float32 and float64, on two and three threads: the parameters
  and both moments equal the one-thread reference's exactly (np.array_equal), including a
  parameter split at an odd size, one too small to split, one in Fortran order (not
  C-contiguous: updated whole, in place) and a 0-d one; also with gradients of the other
  dtype than the parameters, or NumPy float64 hyperparameters (the temporaries then take
  the dtype the reference's expressions give).
- The large parameters are really shared: each thread is handed a part of each.
- Only the reference's own Adam is touched: another optimizer, a subclass (a bug-corpus
  variant, a learner's), or one thread keeps the class's update.
- The experiments' Trainer gets it beside a data-parallel network, with the network's
  threads, and not beside a one-thread one.
"""

import types

import numpy as np
import pytest

from reference import SGD, Adam, SimpleConvNet
from reference.experiments import _common
from reference.experiments._common import _share_update_among_threads
from reference.fast import accelerate, adam, install_threaded_update
from reference.fast.adam import _MIN_SPLIT


def _parameters(dtype, seed):
    rng = np.random.default_rng(seed)
    shapes = {"W1": (30, 1, 5, 5), "b1": (30,), "W2": (433, 101), "b2": (101,), "W3": (_MIN_SPLIT + 7,)}
    params = {key: (rng.standard_normal(shape) * 0.01).astype(dtype) for key, shape in shapes.items()}
    params["W4"] = np.asfortranarray(rng.standard_normal((257, 129)).astype(dtype))
    params["scale"] = np.array(rng.standard_normal(), dtype=dtype)  # 0-d
    return params


@pytest.mark.parametrize("threads", [2, 3])
@pytest.mark.parametrize("dtype, grad_dtype, scalar", [
    (np.float32, np.float32, float), (np.float64, np.float64, float), (np.float32, np.float64, float),
    (np.float64, np.float32, float),
    # NumPy float64 hyperparameters: under NumPy 2 (NEP 50) they widen float32 temporaries.
    (np.float32, np.float32, np.float64)])
def test_threaded_updates_equal_the_references_bit_for_bit(dtype, grad_dtype, scalar, threads):
    start = _parameters(dtype, seed=1)
    steps = [_parameters(grad_dtype, seed=2 + k) for k in range(4)]  # gradients shaped like the parameters
    settings = {"lr": scalar(0.01), "beta1": scalar(0.9), "beta2": scalar(0.999)}
    serial, threaded = Adam(**settings), install_threaded_update(Adam(**settings), threads)
    serial_params = {key: value.copy(order="K") for key, value in start.items()}
    threaded_params = {key: value.copy(order="K") for key, value in start.items()}
    arrays = {key: value for key, value in threaded_params.items()}
    for grads in steps:
        serial.update(serial_params, grads)
        threaded.update(threaded_params, grads)
    assert threaded.iter == serial.iter == len(steps)
    for key in start:
        assert threaded_params[key] is arrays[key], f"{key} was rebound instead of updated in place"
        assert np.array_equal(threaded_params[key], serial_params[key]), key
        assert np.array_equal(threaded.m[key], serial.m[key]), key
        assert np.array_equal(threaded.v[key], serial.v[key]), key
        assert threaded_params[key].dtype == dtype


def _threads_of_an_update(monkeypatch, optimizer):
    """How many threads `optimizer.update` hands work to, on parameters with a large one."""
    handed = []

    def record(tasks):
        handed.append(len(tasks))
        return [task() for task in tasks]

    monkeypatch.setattr(adam, "run_in_threads", record)
    optimizer.update(_parameters(np.float32, seed=1), _parameters(np.float32, seed=2))
    return handed[0] if handed else 1


def test_each_thread_is_handed_a_part_of_each_large_parameter(monkeypatch):
    handed = []

    def record(tasks):
        handed.append(len(tasks))
        return [task() for task in tasks]

    monkeypatch.setattr(adam, "run_in_threads", record)
    params = _parameters(np.float32, seed=1)
    optimizer = install_threaded_update(Adam(), 3)
    sizes = []
    monkeypatch.setattr(adam, "_update_part", lambda param, *rest, **options: sizes.append(param.size))
    optimizer.update(params, _parameters(np.float32, seed=2))
    assert handed == [3]
    large = params["W2"].size
    assert sizes.count(large // 3) + sizes.count(large // 3 + 1) == 3, sizes
    assert sum(sizes) == sum(value.size for value in params.values())


def test_only_the_references_own_adam_on_several_threads_is_changed():
    class LearnersAdam(Adam):
        pass

    for optimizer, threads in ((SGD(), 2), (LearnersAdam(), 2), (Adam(), 1)):
        assert "update" not in vars(install_threaded_update(optimizer, threads)), type(optimizer).__name__
    assert "update" in vars(install_threaded_update(Adam(), 2))


def test_the_experiments_trainer_updates_on_the_networks_threads(monkeypatch):
    np.random.seed(0)
    parallel = accelerate(SimpleConvNet(), threads=3)
    trainer = types.SimpleNamespace(optimizer=Adam())
    _share_update_among_threads(trainer, parallel)
    assert _threads_of_an_update(monkeypatch, trainer.optimizer) == 3
    one_thread = types.SimpleNamespace(optimizer=Adam())
    _share_update_among_threads(one_thread, accelerate(SimpleConvNet()))
    assert "update" not in vars(one_thread.optimizer)
    without = types.SimpleNamespace()  # a learner's Trainer without .optimizer: left as it is
    _share_update_among_threads(without, parallel)
    assert vars(without) == {}


def test_run_trainer_hands_the_trainer_its_networks_threads(monkeypatch):
    seen = {}

    class Trainer:  # the Trainer's interface as run_trainer uses it; trains nothing
        def __init__(self, network, *data, **options):
            self.optimizer = Adam()
            self.train_loss_list = self.train_acc_list = self.test_acc_list = []

        def train(self):
            seen["optimizer"] = self.optimizer

    np.random.seed(0)
    network = accelerate(SimpleConvNet(), threads=2)
    _common.run_trainer(types.SimpleNamespace(Trainer=Trainer), network, None, None, None, None)
    assert _threads_of_an_update(monkeypatch, seen["optimizer"]) == 2
