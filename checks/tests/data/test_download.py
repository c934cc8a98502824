"""Downloads through a real HTTP server on 127.0.0.1 with injected faults."""

from __future__ import annotations

import gzip
import os
import tracemalloc

import pytest

from data import DataError, DownloadError, OfflineError, load_book_params, load_mnist, sources
from data.cache import cache_path
from data.fetch import ensure
from data.manifest import BOOK_FILES, TEST_LABELS, TRAIN_LABELS

from checks.tests.fixtures.data import (
    IDX_SHA256,
    MIRROR,
    closed_port,
    copy_mirror,
    idx_bytes,
    mirror_bytes,
    sha256,
    temp_files,
)

LABELS = "/mnist/t10k-labels-idx1-ubyte.gz"
LABELS_SHA = IDX_SHA256["t10k-labels-idx1-ubyte.gz"]


def fetched(entry=TEST_LABELS) -> bytes:
    (content,) = ensure([entry])
    return content


def test_download_verifies_and_caches(http_mirror, data_env):
    assert sha256(fetched()) == LABELS_SHA
    assert sha256(cache_path(TEST_LABELS).read_bytes()) == LABELS_SHA
    assert http_mirror.counts[LABELS] == 1
    assert http_mirror.user_agents[0].startswith("dlfs/")
    # A second use (even in a "new process") reads the cache, not the network.
    from data import clear_memory_cache

    clear_memory_cache()
    assert sha256(fetched()) == LABELS_SHA
    assert http_mirror.counts[LABELS] == 1
    assert temp_files(data_env) == []


@pytest.mark.parametrize("status", [503, 500, 429])
def test_transient_status_is_retried(http_mirror, data_env, status):
    http_mirror.fail(LABELS, status)
    assert sha256(fetched()) == LABELS_SHA
    assert http_mirror.counts[LABELS] == 2


@pytest.mark.parametrize("status", [404, 403])
def test_missing_on_first_source_falls_back_at_once(http_mirror, monkeypatch, status):
    http_mirror.fail(LABELS, status)
    monkeypatch.setattr(sources, "UPSTREAM_MNIST", (http_mirror.url + "upstream/",))
    assert sha256(fetched()) == LABELS_SHA
    assert http_mirror.counts[LABELS] == 1  # not retried
    assert http_mirror.counts["/upstream/t10k-labels-idx1-ubyte.gz"] == 1


def test_all_sources_failing_are_each_listed(http_mirror, data_env, monkeypatch):
    upstream = http_mirror.url + "upstream/"
    monkeypatch.setattr(sources, "UPSTREAM_MNIST", (upstream,))
    http_mirror.fail(LABELS, 404)
    http_mirror.fail("/upstream/t10k-labels-idx1-ubyte.gz", 503, 503, 503)
    with pytest.raises(DownloadError) as info:
        fetched()
    message = str(info.value)
    assert not isinstance(info.value, OfflineError)
    assert f"{http_mirror.url}mnist/t10k-labels-idx1-ubyte.gz: HTTP 404" in message
    assert f"{upstream}t10k-labels-idx1-ubyte.gz: gave up after 3 attempts" in message
    assert "HTTP 503" in message and LABELS_SHA in message
    assert http_mirror.counts["/upstream/t10k-labels-idx1-ubyte.gz"] == 3
    assert temp_files(data_env) == [] and not cache_path(TEST_LABELS).exists()


def test_dropped_transfer_is_retried(http_mirror, data_env):
    http_mirror.fail(LABELS, "truncate")
    assert sha256(fetched()) == LABELS_SHA
    assert http_mirror.counts[LABELS] == 2


def test_always_dropped_transfer_fails_cleanly(http_mirror, data_env):
    http_mirror.fail(LABELS, "truncate", "truncate", "truncate")
    with pytest.raises(DownloadError, match="gave up after 3 attempts"):
        fetched()
    assert temp_files(data_env) == [] and not cache_path(TEST_LABELS).exists()


def test_truncated_archive_is_rejected(http_mirror, data_env):
    archive = mirror_bytes("mnist/t10k-labels-idx1-ubyte.gz")
    http_mirror.serve(LABELS, archive[: len(archive) // 2])
    with pytest.raises(DownloadError, match="truncated gzip archive"):
        fetched()
    assert http_mirror.counts[LABELS] == 1  # content errors are not retried
    assert temp_files(data_env) == [] and not cache_path(TEST_LABELS).exists()


def test_html_error_page_is_named(http_mirror, data_env):
    http_mirror.fail(LABELS, "html")
    with pytest.raises(DownloadError) as info:
        fetched()
    assert "not a gzip archive (looks like HTML: '<!DOCTYPE html>" in str(info.value)
    assert temp_files(data_env) == []


def test_tampered_content_names_expected_and_got(http_mirror, data_env):
    idx = bytearray(idx_bytes("t10k-labels-idx1-ubyte.gz"))
    idx[8] = (idx[8] + 1) % 10  # first test label changed: same size, same header
    http_mirror.serve(LABELS, gzip.compress(bytes(idx)))
    with pytest.raises(DownloadError) as info:
        fetched()
    message = str(info.value)
    assert (
        f"IntegrityError: t10k-labels-idx1-ubyte.gz from {http_mirror.url}mnist/t10k-labels-idx1-ubyte.gz: "
        f"decompressed SHA-256 expected {LABELS_SHA}, got {sha256(bytes(idx))}"
    ) in message
    assert temp_files(data_env) == [] and not cache_path(TEST_LABELS).exists()


def test_wrong_idx_header_is_named(http_mirror, data_env):
    idx = bytearray(idx_bytes("t10k-labels-idx1-ubyte.gz"))
    idx[3] = 3  # magic 2049 -> 2051
    http_mirror.serve(LABELS, gzip.compress(bytes(idx)))
    with pytest.raises(DownloadError, match="IDX magic number expected 2049, got 2051"):
        fetched()


def test_honest_recompression_is_accepted(http_mirror, data_env):
    idx = idx_bytes("t10k-labels-idx1-ubyte.gz")
    other = gzip.compress(idx, compresslevel=1, mtime=12345)
    assert other != mirror_bytes("mnist/t10k-labels-idx1-ubyte.gz")
    http_mirror.serve(LABELS, other)
    assert sha256(fetched()) == LABELS_SHA


def test_gzip_bomb_is_refused_without_inflating_it(http_mirror, data_env):
    # 48 MB of zeros packs into ~47 KB: under the download cap for this file,
    # so only the bounded decompression can stop it.
    bomb = gzip.compress(bytes(48 << 20), compresslevel=9)
    path = "/mnist/train-labels-idx1-ubyte.gz"
    assert len(bomb) < TRAIN_LABELS.download_cap
    http_mirror.serve(path, bomb)
    tracemalloc.start()
    try:
        with pytest.raises(DownloadError, match="decompresses to more than the expected 60,008 bytes"):
            fetched(TRAIN_LABELS)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 << 20, f"peak {peak:,} bytes: the bomb was inflated"
    assert temp_files(data_env) == []


def test_oversized_body_is_not_read(http_mirror, data_env):
    http_mirror.serve(LABELS, os.urandom(TEST_LABELS.download_cap + 100_000))
    with pytest.raises(DownloadError, match=f"more than the {TEST_LABELS.download_cap:,} expected"):
        fetched()


def test_http_mirror_is_network_so_offline_skips_it(http_mirror, data_env, monkeypatch):
    monkeypatch.setenv("DLFS_OFFLINE", "1")
    with pytest.raises(OfflineError):
        fetched()
    assert sum(http_mirror.counts.values()) == 0


def test_unreachable_network_gives_one_offline_error(data_env, monkeypatch):
    monkeypatch.setattr(sources, "UPSTREAM_MNIST", (f"http://127.0.0.1:{closed_port()}/mnist/",))
    with pytest.raises(OfflineError) as info:
        ensure([TEST_LABELS, TRAIN_LABELS])
    message = str(info.value)
    assert "cannot connect" in message and "unreachable after 3 attempts" in message
    assert "the network was unreachable for an earlier file" in message
    assert info.value.missing == ["mnist/t10k-labels-idx1-ubyte.gz", "mnist/train-labels-idx1-ubyte.gz"]


def test_offline_empty_cache_lists_every_missing_file(data_env, monkeypatch):
    monkeypatch.setenv("DLFS_OFFLINE", "1")
    with pytest.raises(OfflineError) as info:
        load_mnist()
    message = str(info.value)
    assert message.count("  - mnist/") == 4
    for archive, idx_sha in IDX_SHA256.items():
        assert f"mnist/{archive}" in message and idx_sha in message
    assert "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609" in message
    assert "DLFS_MIRROR" in message and "<base>/mnist/" in message and "<base>/book/" in message
    assert "DLFS_OFFLINE is set" in message
    with pytest.raises(OfflineError, match=BOOK_FILES["ch07/params.pkl"].sha256):
        load_book_params("ch07/params.pkl")
    assert not (data_env / "mnist").exists() or temp_files(data_env) == []


def test_folder_mirror_is_used_offline(data_env, monkeypatch):
    monkeypatch.setenv("DLFS_OFFLINE", "1")
    monkeypatch.setenv("DLFS_MIRROR", str(MIRROR))
    assert sha256(fetched()) == LABELS_SHA


def test_file_url_mirror_is_used_offline(data_env, monkeypatch):
    monkeypatch.setenv("DLFS_OFFLINE", "1")
    monkeypatch.setenv("DLFS_MIRROR", MIRROR.as_uri())
    assert sha256(fetched()) == LABELS_SHA


def test_folder_mirror_missing_a_file(data_env, monkeypatch, tmp_path):
    mirror = copy_mirror(tmp_path / "mirror")
    (mirror / "mnist" / "t10k-labels-idx1-ubyte.gz").unlink()
    monkeypatch.setenv("DLFS_OFFLINE", "1")
    monkeypatch.setenv("DLFS_MIRROR", str(mirror))
    with pytest.raises(OfflineError) as info:
        fetched()
    assert "no such file" in str(info.value) and str(mirror) in str(info.value)


def test_unsupported_mirror_scheme(data_env, monkeypatch):
    monkeypatch.setenv("DLFS_MIRROR", "ftp://example.invalid/mirror")
    with pytest.raises(DataError, match="unsupported scheme 'ftp'"):
        fetched()


def test_failed_write_leaves_no_temp_file(http_mirror, data_env, monkeypatch):
    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space left"):
        fetched()
    assert temp_files(data_env) == [] and not cache_path(TEST_LABELS).exists()
