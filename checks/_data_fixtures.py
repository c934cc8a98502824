"""Shared pieces of the data tests: the offline mirror, a faulty HTTP mirror, an isolated cache.

Imported by the ``test_data_*`` modules (pytest finds fixtures imported into a
test module). Nothing here mocks the code under test: the server is a real
HTTP server on 127.0.0.1, the cache a real folder in tmp_path.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import socket
import threading
from collections import Counter, deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import pytest

import data
from data import download, sources

REPO = Path(__file__).resolve().parents[1]

# Pinned values copied from shared/mirror/README.md, independently of data.manifest,
# so a wrong pin in the package cannot make its own tests pass.
IDX_SHA256 = {
    "train-images-idx3-ubyte.gz": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte.gz": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte.gz": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte.gz": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}
UPSTREAM_TRAIN_IMAGES_ARCHIVE_SHA256 = "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"
MIRROR_TRAIN_IMAGES_ARCHIVE_SHA256 = "0b367032e93c5d0cea0925647cfdb18614af8ee15f83e6f2fc2ad904a6835971"
BOOK_SHA256 = {
    "ch03/sample_weight.pkl": "b7f55a27988ba34c3777b0f1bbd464817c8a4db855723e6ff26f703501917a13",
    "ch07/params.pkl": "a5da99cffddafcfe5e686e79dc0ec3a7cc993b58e64f483b50960511e5e85344",
    "ch08/deep_convnet_params.pkl": "4b7a27baee2037605afa94d3f514ca9fa9cc96623739328609765073cfd5f802",
}


def _find_mirror() -> Path:
    # CI sets DLFS_MIRROR to the shared mirror; otherwise it sits next to the repo.
    value = os.environ.get("DLFS_MIRROR", "").strip()
    if value.startswith("file://"):
        return Path(url2pathname(urlsplit(value).path))
    if value and "://" not in value:
        return Path(value).expanduser().resolve()
    return REPO.parent / "shared" / "mirror"


MIRROR = _find_mirror()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def mirror_bytes(relpath: str) -> bytes:
    return (MIRROR / relpath).read_bytes()


def idx_bytes(archive: str) -> bytes:
    return gzip.decompress(mirror_bytes(f"mnist/{archive}"))


def temp_files(home: Path) -> list[Path]:
    """Anything in the cache that is not a finished data file or a lock."""
    if not home.exists():
        return []
    return [
        p for p in home.rglob("*")
        if p.is_file() and ".locks" not in p.parts and (p.name.startswith(".") or p.suffix == ".part")
    ]


def closed_port() -> int:
    # Bound then closed at once: connecting to it is refused, so "the network
    # is unreachable" can be tested without touching any real host.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def data_env(monkeypatch, tmp_path):
    """An empty cache in tmp_path, no mirror, network allowed, upstream hosts disabled."""
    home = tmp_path / "cache"
    monkeypatch.setenv("DLFS_DATA_HOME", str(home))
    monkeypatch.delenv("DLFS_MIRROR", raising=False)
    monkeypatch.delenv("DLFS_OFFLINE", raising=False)
    # Any request to a real host would go to a refused local proxy instead.
    dead = f"http://127.0.0.1:{closed_port()}"
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.setenv(name, dead)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "127.0.0.1,localhost")
    monkeypatch.setattr(sources, "UPSTREAM_MNIST", ())
    monkeypatch.setattr(sources, "UPSTREAM_BOOK", ())
    monkeypatch.setattr(download, "BACKOFF_SECONDS", 0.01)
    data.clear_memory_cache()
    yield home
    data.clear_memory_cache()


class FaultyMirror:
    """A real HTTP server with the mirror's layout and injectable faults.

    ``fail(path, *actions)`` queues what the next requests for ``path`` get:
    an int status, "html" (an error page with status 200), "truncate" (the
    full Content-Length but half the body, then the connection closes), or
    "ok". ``serve(path, body)`` replaces a file's content. Paths under
    ``/upstream/`` are served from ``/mnist/``, to stand in for a second host.
    """

    HTML = b"<!DOCTYPE html>\n<html><head><title>Service Unavailable</title></head><body>Try later</body></html>\n"

    def __init__(self, root: Path):
        self.root = root
        self.counts: Counter[str] = Counter()
        self.user_agents: list[str] = []
        self.faults: dict[str, deque] = {}
        self.bodies: dict[str, bytes] = {}
        self._lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def fail(self, path: str, *actions) -> None:
        with self._lock:
            self.faults.setdefault(path, deque()).extend(actions)

    def serve(self, path: str, body: bytes) -> None:
        self.bodies[path] = body

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _take(self, path: str):
        with self._lock:
            self.counts[path] += 1
            queue = self.faults.get(path)
            action = queue.popleft() if queue else "ok"
        if path in self.bodies:
            return action, self.bodies[path]
        local = path.replace("/upstream/", "/mnist/", 1).lstrip("/")
        file = (self.root / local).resolve()
        if not file.is_relative_to(self.root.resolve()) or not file.is_file():
            return action, None
        return action, file.read_bytes()

    def _handler(self):
        mirror = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def _send(self, status: int, body: bytes, ctype: str = "application/octet-stream", length=None):
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body) if length is None else length))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                mirror.user_agents.append(self.headers.get("User-Agent", ""))
                action, body = mirror._take(urlsplit(self.path).path)
                if isinstance(action, int):
                    self._send(action, b"", "text/plain")
                elif action == "html":
                    self._send(200, mirror.HTML, "text/html")
                elif body is None:
                    self._send(404, b"not found\n", "text/plain")
                elif action == "truncate":
                    self._send(200, body[: len(body) // 2], length=len(body))
                    self.close_connection = True
                else:
                    self._send(200, body)

        return Handler


@pytest.fixture
def server():
    mirror = FaultyMirror(MIRROR)
    yield mirror
    mirror.close()


@pytest.fixture
def http_mirror(data_env, server, monkeypatch):
    """data_env with DLFS_MIRROR pointing at the faulty HTTP mirror."""
    monkeypatch.setenv("DLFS_MIRROR", server.url)
    return server


def copy_mirror(dest: Path) -> Path:
    """A writable copy of the shared mirror (never write into the real one)."""
    shutil.copytree(MIRROR, dest, ignore=shutil.ignore_patterns("README.md"))
    for path in dest.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    return dest
