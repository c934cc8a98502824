"""save_params / load_params of the conv nets (book §7.5, §8.1.1): the book's pickle format,
read only through the values-only unpickler, written atomically."""

import os
import pickle

import numpy as np
import pytest

from data import UnsafePickleError
from reference import DeepConvNet, SimpleConvNet

NETWORKS = [SimpleConvNet, DeepConvNet]


def _randomized(network_class, seed):
    np.random.seed(seed)
    return network_class()


@pytest.mark.parametrize("network_class", NETWORKS, ids=lambda c: c.__name__)
def test_saved_params_load_into_the_layers(network_class, tmp_path):
    saved, loaded = _randomized(network_class, 1), _randomized(network_class, 2)
    path = tmp_path / "params.pkl"
    saved.save_params(path)
    loaded.load_params(path)
    x = np.random.default_rng(0).random((3, 1, 28, 28))
    for key, value in saved.params.items():
        assert np.array_equal(loaded.params[key], value), f"{network_class.__name__}: {key} differs after a round trip"
    # The layers compute with the loaded values, not the ones they were built with.
    assert np.array_equal(loaded.predict(x), saved.predict(x)), (
        f"{network_class.__name__}.load_params updated params but not the layers' W and b")


def test_missing_key_is_named(tmp_path):
    network = SimpleConvNet()
    params = dict(network.params)
    del params["W2"]
    path = tmp_path / "params.pkl"
    path.write_bytes(pickle.dumps(params))
    with pytest.raises(ValueError, match=r"no parameter 'W2'"):
        network.load_params(path)


def test_wrong_shape_is_named(tmp_path):
    network = SimpleConvNet()
    params = dict(network.params, b3=np.zeros(7))
    path = tmp_path / "params.pkl"
    path.write_bytes(pickle.dumps(params))
    with pytest.raises(ValueError, match=r"b3 has shape \(7,\), the network needs \(10,\)"):
        network.load_params(path)


def test_pickle_with_code_is_refused_and_never_runs(tmp_path):
    marker = tmp_path / "ran"

    class Exploit:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    path = tmp_path / "params.pkl"
    path.write_bytes(pickle.dumps({"W1": Exploit()}))
    with pytest.raises(UnsafePickleError):
        SimpleConvNet().load_params(path)
    assert not marker.exists(), "unpickling ran the file's code"


def test_failed_save_keeps_the_previous_file(tmp_path):
    path = tmp_path / "params.pkl"
    network = SimpleConvNet()
    network.save_params(path)
    before = path.read_bytes()
    network.params["W1"] = lambda: None  # cannot be pickled: the save fails midway
    with pytest.raises((pickle.PicklingError, AttributeError, TypeError)):
        network.save_params(path)
    assert path.read_bytes() == before, "a failed save_params damaged the previous file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["params.pkl"], "a failed save left a temporary file"
