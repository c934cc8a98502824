"""The data cache opens regular files only: a FIFO, a device or a link is never read.

A FIFO at a cache path used to make `load_mnist` block forever (open() waits for a
writer); a link to /dev/zero made it read from a device. Each case runs `load_mnist`
in a real child process against a real cache folder; the child must finish (the
timeout only keeps a regression from hanging the suite) with the right data, and the
special file must have been replaced by a verified copy.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from data import cache_status
from data.cache import cache_path
from data.manifest import TEST_LABELS

from checks.tests.fixtures.data import MIRROR, REPO, copy_mirror

LOAD = "from data import load_mnist; (_, _), (_, t) = load_mnist(normalize=False); print('first label', t[0])"


def _child(env_home, mirror, *, offline=True):
    env = {**os.environ, "DLFS_DATA_HOME": str(env_home), "DLFS_MIRROR": str(mirror),
           "DLFS_OFFLINE": "1" if offline else "0"}
    return subprocess.run([sys.executable, "-c", LOAD], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=300)


def _make(kind, path, outside):
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero-link":
        os.symlink("/dev/zero", path)
    elif kind == "link-out-of-the-cache":  # even to the right bytes: the cache holds files, not links
        target = outside / "labels.gz"
        target.write_bytes((MIRROR / "mnist" / "t10k-labels-idx1-ubyte.gz").read_bytes())
        os.symlink(target, path)
    elif kind == "folder":
        path.mkdir()


@pytest.mark.parametrize("kind", ["fifo", "dev-zero-link", "link-out-of-the-cache"])
def test_a_special_file_in_the_cache_is_replaced_not_read(data_env, tmp_path, kind):
    path = cache_path(TEST_LABELS)
    outside = tmp_path / "outside"
    outside.mkdir()
    _make(kind, path, outside)
    status = {key: (state, detail) for key, state, detail in cache_status()}
    state, detail = status[TEST_LABELS.key]
    assert state == "corrupt" and "expected a regular file" in detail, detail
    done = _child(data_env, MIRROR)
    assert done.returncode == 0, done.stderr
    assert "first label 7" in done.stdout
    assert path.is_file() and not path.is_symlink()
    assert "removed, fetching it again" in done.stderr and "regular file" in done.stderr


def test_a_cache_folder_linked_out_of_the_cache_is_refused_by_name(data_env, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    data_env.mkdir(parents=True, exist_ok=True)
    os.symlink(elsewhere, data_env / "mnist")
    done = _child(data_env, MIRROR)
    assert done.returncode != 0
    assert "leads out of the cache" in done.stderr and "mnist" in done.stderr, done.stderr
    assert list(elsewhere.iterdir()) == []  # nothing written outside the cache


def test_a_linked_cache_home_is_fine(tmp_path):
    real = tmp_path / "disk" / "cache"
    real.mkdir(parents=True)
    os.symlink(real, tmp_path / "home")
    done = _child(tmp_path / "home", MIRROR)
    assert done.returncode == 0 and "first label 7" in done.stdout, done.stderr


def test_a_fifo_in_a_folder_mirror_is_a_failed_source_not_a_hang(data_env, tmp_path):
    mirror = copy_mirror(tmp_path / "mirror")
    fifo = mirror / "mnist" / "t10k-labels-idx1-ubyte.gz"
    fifo.unlink()
    os.mkfifo(fifo)
    done = _child(data_env, mirror)
    assert done.returncode != 0
    assert "t10k-labels" in done.stderr and "is a FIFO, expected a regular file" in done.stderr, done.stderr
