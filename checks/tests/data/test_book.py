"""The book's weight files: pinned SHA-256 first, restricted unpickling second."""

from __future__ import annotations

import gzip
import pickle

import numpy as np
import pytest

import data
from data import (
    DataError,
    DownloadError,
    OfflineError,
    book_params_path,
    load_book_params,
    load_sample_weight,
    restricted_load,
)
from data.cache import cache_path
from data.manifest import BOOK_FILES

from checks.tests.fixtures.data import BOOK_SHA256, MIRROR, sha256, temp_files

# Keys, shapes and dtypes as described in shared/mirror/README.md.
EXPECTED = {
    "ch03/sample_weight.pkl": (
        np.float32,
        {"W1": (784, 50), "b1": (50,), "W2": (50, 100), "b2": (100,), "W3": (100, 10), "b3": (10,)},
    ),
    "ch07/params.pkl": (
        np.float64,
        {"W1": (30, 1, 5, 5), "b1": (30,), "W2": (4320, 100), "b2": (100,), "W3": (100, 10), "b3": (10,)},
    ),
    "ch08/deep_convnet_params.pkl": (
        np.float64,
        {
            "W1": (16, 1, 3, 3), "W2": (16, 16, 3, 3), "W3": (32, 16, 3, 3), "W4": (32, 32, 3, 3),
            "W5": (64, 32, 3, 3), "W6": (64, 64, 3, 3), "W7": (1024, 50), "W8": (50, 10),
            **{f"b{i}": (n,) for i, n in enumerate((16, 16, 32, 32, 64, 64, 50, 10), start=1)},
        },
    ),
}


class _Evil:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (__import__("os").system, (f"touch {self.marker}",))


@pytest.fixture
def offline_mirror(data_env, monkeypatch):
    monkeypatch.setenv("DLFS_MIRROR", str(MIRROR))
    monkeypatch.setenv("DLFS_OFFLINE", "1")
    return data_env


@pytest.mark.parametrize("relpath", sorted(EXPECTED))
def test_book_files_load_with_expected_keys_and_shapes(offline_mirror, relpath):
    dtype, shapes = EXPECTED[relpath]
    params = load_book_params(relpath)
    assert type(params) is dict
    assert {k: v.shape for k, v in params.items()} == shapes
    assert all(v.dtype == dtype for v in params.values())
    # A new dict of new arrays every call.
    params["W1"][...] = 0
    assert np.any(load_book_params(relpath)["W1"] != 0)


def test_book_params_path_is_verified_and_readable(offline_mirror):
    path = book_params_path("ch08/deep_convnet_params.pkl")
    assert path == cache_path(BOOK_FILES["ch08/deep_convnet_params.pkl"])
    assert sha256(path.read_bytes()) == BOOK_SHA256["ch08/deep_convnet_params.pkl"]
    assert restricted_load(path)["W8"].shape == (50, 10)
    assert book_params_path("ch07\\params.pkl").name == "params.pkl"  # Windows separators


def test_sample_weight_shortcut(offline_mirror):
    assert load_sample_weight()["W2"].shape == (50, 100)


def test_unknown_book_file(data_env):
    with pytest.raises(DataError, match="unknown book file 'ch09/x.pkl'.*ch07/params.pkl"):
        load_book_params("ch09/x.pkl")


def test_wrong_sha_pickle_is_never_unpickled(http_mirror, data_env, monkeypatch, tmp_path):
    marker = tmp_path / "pwned"
    evil = pickle.dumps({"W1": np.zeros(3), "b1": _Evil(marker)})
    http_mirror.serve("/book/ch07/params.pkl", evil)
    calls = []
    real = data.book.restricted_loads
    monkeypatch.setattr(data.book, "restricted_loads", lambda blob: calls.append(blob) or real(blob))
    with pytest.raises(DownloadError) as info:
        load_book_params("ch07/params.pkl")
    message = str(info.value)
    assert f"SHA-256 {BOOK_SHA256['ch07/params.pkl']}" in message and "size expected 3,471,484 bytes" in message
    assert calls == [] and not marker.exists()
    assert temp_files(data_env) == [] and not cache_path(BOOK_FILES["ch07/params.pkl"]).exists()


def test_same_size_forgery_is_rejected_by_hash(http_mirror, data_env, tmp_path):
    # Padded to the pinned size, so only the SHA-256 can tell.
    marker = tmp_path / "pwned"
    entry = BOOK_FILES["ch03/sample_weight.pkl"]
    evil = pickle.dumps(_Evil(marker))
    http_mirror.serve("/book/ch03/sample_weight.pkl", evil + b"\0" * (entry.size - len(evil)))
    with pytest.raises(DownloadError, match=f"SHA-256 expected {entry.sha256}, got "):
        load_sample_weight()
    assert not marker.exists()


def test_pickle_compressed_in_transit_is_accepted(http_mirror, data_env):
    raw = (MIRROR / "book" / "ch03" / "sample_weight.pkl").read_bytes()
    http_mirror.serve("/book/ch03/sample_weight.pkl", gzip.compress(raw))
    assert load_sample_weight()["W1"].shape == (784, 50)
    assert sha256(cache_path(BOOK_FILES["ch03/sample_weight.pkl"]).read_bytes()) == BOOK_SHA256["ch03/sample_weight.pkl"]


def test_malicious_file_in_cache_is_never_unpickled(data_env, monkeypatch, tmp_path):
    marker = tmp_path / "pwned"
    entry = BOOK_FILES["ch07/params.pkl"]
    path = cache_path(entry)
    path.parent.mkdir(parents=True)
    path.write_bytes(pickle.dumps(_Evil(marker)))
    monkeypatch.setenv("DLFS_OFFLINE", "1")
    with pytest.raises(OfflineError, match=entry.sha256):
        load_book_params("ch07/params.pkl")
    assert not marker.exists() and not path.exists()
