"""load_mnist: the book's shapes, dtypes and values, from the offline mirror."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

import data
from data import load_mnist

from checks.tests.fixtures.data import (
    IDX_SHA256,
    MIRROR,
    MIRROR_TRAIN_IMAGES_ARCHIVE_SHA256,
    REPO,
    UPSTREAM_TRAIN_IMAGES_ARCHIVE_SHA256,
    mirror_bytes,
    sha256,
    temp_files,
)


@pytest.fixture(scope="module")
def mnist_home(tmp_path_factory):
    """One cache filled once from the folder mirror, offline, for the whole module."""
    home = tmp_path_factory.mktemp("mnist") / "cache"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DLFS_DATA_HOME", str(home))
        mp.setenv("DLFS_MIRROR", str(MIRROR))
        mp.setenv("DLFS_OFFLINE", "1")
        data.clear_memory_cache()
        load_mnist(normalize=False)
        yield home
    data.clear_memory_cache()


@pytest.mark.parametrize("one_hot_label", [False, True])
@pytest.mark.parametrize("flatten", [True, False])
@pytest.mark.parametrize("normalize", [True, False])
def test_shapes_dtypes_ranges(mnist_home, normalize, flatten, one_hot_label):
    (x_train, t_train), (x_test, t_test) = load_mnist(
        normalize=normalize, flatten=flatten, one_hot_label=one_hot_label
    )
    for x, t, n in ((x_train, t_train, 60000), (x_test, t_test, 10000)):
        assert x.shape == ((n, 784) if flatten else (n, 1, 28, 28))
        if normalize:
            assert x.dtype == np.float32
            assert x.min() == 0.0 and x.max() == 1.0
        else:
            assert x.dtype == np.uint8
            assert x.min() == 0 and x.max() == 255
        if one_hot_label:
            # float64 like the book's _change_one_hot_label (np.zeros).
            assert t.shape == (n, 10) and t.dtype == np.float64
            assert set(np.unique(t)) == {0.0, 1.0}
            np.testing.assert_array_equal(t.sum(axis=1), np.ones(n))
        else:
            assert t.shape == (n,) and t.dtype == np.uint8
            assert t.min() == 0 and t.max() == 9


def test_book_facts(mnist_home):
    (x_train, t_train), (x_test, t_test) = load_mnist()
    assert t_train[0] == 5
    assert x_train[0].shape == (784,)
    assert t_test[0] == 7


def test_values_match_the_idx_files(mnist_home):
    (x_train, t_train), (x_test, t_test) = load_mnist(normalize=False)
    raw = (mnist_home / "mnist" / "t10k-images-idx3-ubyte").read_bytes()
    np.testing.assert_array_equal(x_test, np.frombuffer(raw, np.uint8, offset=16).reshape(10000, 784))
    # Normalization is the book's float32 division, bit for bit.
    (xn, _), _ = load_mnist(normalize=True)
    expected = x_train.astype(np.float32)
    expected /= 255.0
    assert np.array_equal(xn, expected)
    one_hot = load_mnist(one_hot_label=True)[0][1]
    np.testing.assert_array_equal(one_hot.argmax(axis=1), t_train)


def test_each_call_returns_fresh_writable_arrays(mnist_home):
    (x1, t1), (x1t, t1t) = load_mnist(normalize=False)
    for arr in (x1, t1, x1t, t1t):
        assert arr.flags.writeable and arr.flags.owndata
        arr[...] = 0
    (x2, t2), _ = load_mnist(normalize=False)
    assert t2[0] == 5 and x2.max() == 255


def test_recompressed_archive_is_accepted(mnist_home):
    # The shared mirror re-compressed train-images: another archive, the same IDX.
    archive = mirror_bytes("mnist/train-images-idx3-ubyte.gz")
    assert sha256(archive) == MIRROR_TRAIN_IMAGES_ARCHIVE_SHA256 != UPSTREAM_TRAIN_IMAGES_ARCHIVE_SHA256
    cached = (mnist_home / "mnist" / "train-images-idx3-ubyte").read_bytes()
    assert sha256(cached) == IDX_SHA256["train-images-idx3-ubyte.gz"]
    assert temp_files(mnist_home) == []


def test_status_cli_reports_ok(mnist_home):
    # A real `python -m data status` in a child process, reading the filled cache.
    proc = subprocess.run(
        [sys.executable, "-m", "data", "status", "--mnist-only"],
        cwd=REPO, capture_output=True, text=True, timeout=120,
        env={**os.environ, "DLFS_DATA_HOME": str(mnist_home)},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count(" ok ") == 4
    assert str(mnist_home) in proc.stdout
