"""Eight processes load MNIST at once into one empty cache: one download per file."""

from __future__ import annotations

import multiprocessing
import os
import queue

from checks.tests.fixtures.data import IDX_SHA256, temp_files
from checks.tests.fixtures.data_worker import load_in_child

WORKERS = 8


def test_eight_processes_share_one_download(http_mirror, data_env):
    # forkserver: each child is forked from a fresh single-threaded server
    # process (nothing inherited from pytest or the HTTP server's threads),
    # which imports the package once instead of eight times as spawn would.
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["checks.tests.fixtures.data_worker", "data"])
    barrier = ctx.Barrier(WORKERS)
    results = ctx.Queue()
    env = {
        name: os.environ.get(name)
        for name in ("DLFS_DATA_HOME", "DLFS_MIRROR", "DLFS_OFFLINE", "HTTP_PROXY", "HTTPS_PROXY",
                     "http_proxy", "https_proxy", "NO_PROXY", "no_proxy")
    }
    procs = [ctx.Process(target=load_in_child, args=(env, barrier, results)) for _ in range(WORKERS)]
    for proc in procs:
        proc.start()
    try:
        outcomes = [results.get(timeout=180) for _ in range(WORKERS)]
    except queue.Empty:
        outcomes = []
    for proc in procs:
        proc.join(timeout=60)
        if proc.is_alive():
            proc.kill()
    assert len(outcomes) == WORKERS, f"only {len(outcomes)} of {WORKERS} processes reported"
    errors = [o["error"] for o in outcomes if "error" in o]
    assert errors == []
    assert len({o["pid"] for o in outcomes}) == WORKERS
    expected = list(IDX_SHA256.values())  # train images, train labels, test images, test labels
    for outcome in outcomes:
        assert outcome["digests"] == expected
    assert dict(http_mirror.counts) == {f"/mnist/{name}": 1 for name in IDX_SHA256}
    assert temp_files(data_env) == []
    assert all(proc.exitcode == 0 for proc in procs)
