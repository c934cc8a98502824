"""The cache: damaged files are detected on use, removed and fetched again."""

from __future__ import annotations

import logging
import os

import pytest

import data
from data import OfflineError, cache_status, load_mnist
from data.__main__ import main
from data.cache import cache_path
from data.fetch import ensure
from data.manifest import BOOK_FILES, TEST_LABELS

from checks.tests.fixtures.data import BOOK_SHA256, IDX_SHA256, MIRROR, sha256, temp_files

SAMPLE = BOOK_FILES["ch03/sample_weight.pkl"]
EXPECTED = {TEST_LABELS: IDX_SHA256["t10k-labels-idx1-ubyte.gz"], SAMPLE: BOOK_SHA256["ch03/sample_weight.pkl"]}
URL_PATH = {TEST_LABELS: "/mnist/t10k-labels-idx1-ubyte.gz", SAMPLE: "/book/ch03/sample_weight.pkl"}


def damage(path, how: str) -> None:
    content = bytearray(path.read_bytes())
    if how == "garbage":
        content = bytearray(os.urandom(len(content)))
    elif how == "truncated":
        content = content[: len(content) // 3]
    elif how == "tampered":  # same size, one byte changed
        content[len(content) // 2] ^= 0x01
    elif how == "empty":
        content = bytearray()
    elif how == "longer":
        content += b"\0"
    path.write_bytes(bytes(content))


@pytest.mark.parametrize("how", ["garbage", "truncated", "tampered", "empty", "longer"])
@pytest.mark.parametrize("entry", [TEST_LABELS, SAMPLE], ids=["mnist", "book"])
def test_damaged_cache_file_is_refetched(http_mirror, data_env, caplog, entry, how):
    ensure([entry])
    path = cache_path(entry)
    damage(path, how)
    data.clear_memory_cache()  # as a new process would start
    with caplog.at_level(logging.WARNING, logger="dlfs.data"):
        (content,) = ensure([entry])
    assert sha256(content) == EXPECTED[entry]
    assert sha256(path.read_bytes()) == EXPECTED[entry]
    assert http_mirror.counts[URL_PATH[entry]] == 2
    assert "removed, fetching it again" in caplog.text and str(path) in caplog.text
    assert temp_files(data_env) == []


def test_replaced_file_is_noticed_within_a_process(http_mirror, data_env):
    ensure([TEST_LABELS])
    path = cache_path(TEST_LABELS)
    # Another writer puts a different file in place (new inode): the memory
    # copy no longer vouches for it, so it is verified, found bad, re-fetched.
    bad = path.with_name("bad")
    bad.write_bytes(b"\0" * TEST_LABELS.size)
    os.replace(bad, path)
    (content,) = ensure([TEST_LABELS])
    assert sha256(content) == EXPECTED[TEST_LABELS]
    assert http_mirror.counts[URL_PATH[TEST_LABELS]] == 2


def test_bad_cache_file_is_never_used_offline(data_env, monkeypatch):
    monkeypatch.setenv("DLFS_MIRROR", str(MIRROR))
    ensure([TEST_LABELS])
    path = cache_path(TEST_LABELS)
    damage(path, "tampered")
    data.clear_memory_cache()
    monkeypatch.setenv("DLFS_OFFLINE", "1")
    monkeypatch.delenv("DLFS_MIRROR")
    with pytest.raises(OfflineError, match="t10k-labels"):
        ensure([TEST_LABELS])
    assert not path.exists()


def test_load_mnist_refetches_only_the_damaged_file(http_mirror, data_env, monkeypatch):
    # Start from a full cache made from the folder mirror, then damage one file.
    monkeypatch.setenv("DLFS_MIRROR", str(MIRROR))
    load_mnist(normalize=False)
    monkeypatch.setenv("DLFS_MIRROR", http_mirror.url)
    damage(cache_path(TEST_LABELS), "tampered")
    data.clear_memory_cache()
    (_, _), (_, t_test) = load_mnist(normalize=False)
    assert t_test[0] == 7
    assert dict(http_mirror.counts) == {URL_PATH[TEST_LABELS]: 1}
    assert [state for _, state, _ in cache_status()[:4]] == ["ok"] * 4


def test_status_names_corrupt_and_missing_files(data_env, monkeypatch):
    monkeypatch.setenv("DLFS_MIRROR", str(MIRROR))
    ensure([TEST_LABELS])
    damage(cache_path(TEST_LABELS), "tampered")
    data.clear_memory_cache()
    status = {key: (state, detail) for key, state, detail in cache_status()}
    state, detail = status["mnist/t10k-labels-idx1-ubyte.gz"]
    assert state == "corrupt" and f"expected {EXPECTED[TEST_LABELS]}" in detail
    assert status["book/ch07/params.pkl"][0] == "missing"
    assert cache_path(TEST_LABELS).exists()  # status only looks


def test_cli_fetch_then_status(data_env, monkeypatch, capsys):
    monkeypatch.setenv("DLFS_MIRROR", MIRROR.as_uri())
    monkeypatch.setenv("DLFS_OFFLINE", "1")
    assert main(["status"]) == 1
    assert "missing" in capsys.readouterr().out
    assert main(["fetch"]) == 0
    out = capsys.readouterr().out
    assert str(data_env) in out and out.count("  ok  ") == 7
    assert main(["status"]) == 0
    assert temp_files(data_env) == []


def test_cli_fetch_offline_failure_exit_code(data_env, monkeypatch, capsys):
    monkeypatch.setenv("DLFS_OFFLINE", "1")
    assert main(["fetch", "--mnist-only"]) == 1
    assert "OfflineError" in capsys.readouterr().err
