"""Body of each process of the data concurrency test.

A module of its own, importing neither pytest nor the fixtures, so that the
spawned interpreters start quickly.
"""

from __future__ import annotations

import hashlib
import os
import struct


def _digest(magic: int, dims: tuple[int, ...], array) -> str:
    # Rebuild the IDX file from the array, to compare with its pinned SHA-256.
    digest = hashlib.sha256(struct.pack(f">{len(dims) + 1}I", magic, *dims))
    digest.update(array)  # C-contiguous uint8: hashed in place, no copy
    return digest.hexdigest()


def load_in_child(env, barrier, results) -> None:
    # A forkserver child inherits the environment of the server process, which
    # may have been started earlier by another test: take the test's own.
    for name, value in env.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    from data import load_mnist, sources

    # Same code path, but the upstream hosts can never be reached from a test.
    sources.UPSTREAM_MNIST = ()
    sources.UPSTREAM_BOOK = ()
    barrier.wait(timeout=120)
    try:
        (x_train, t_train), (x_test, t_test) = load_mnist(normalize=False)
        digests = [
            _digest(2051, (60000, 28, 28), x_train),
            _digest(2049, (60000,), t_train),
            _digest(2051, (10000, 28, 28), x_test),
            _digest(2049, (10000,), t_test),
        ]
        results.put({"pid": os.getpid(), "digests": digests})
    except BaseException as exc:  # reported to the parent, which fails the test
        results.put({"pid": os.getpid(), "error": f"{type(exc).__name__}: {exc}"})
