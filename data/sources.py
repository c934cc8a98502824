"""Where files can come from, in the order they are tried.

DLFS_MIRROR (a folder, a file:// URL or an http(s):// base laid out as
``<base>/mnist/<file>`` and ``<base>/book/<path>``) comes first, then the
real upstream hosts. A folder mirror is not network, so it is used even when
DLFS_OFFLINE is set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse
from urllib.request import url2pathname

from . import config
from .cache import NotRegularFile, open_regular
from .download import http_get
from .errors import DataError, IntegrityError, SourceFailed, SourceMissing
from .manifest import Entry

__all__ = ["Source", "sources_for", "UPSTREAM_MNIST", "UPSTREAM_BOOK"]

# Looked up at call time, so tests can point these at a local server and be
# sure no real host is contacted.
UPSTREAM_MNIST: tuple[str, ...] = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
)
UPSTREAM_BOOK: tuple[str, ...] = (
    "https://raw.githubusercontent.com/oreilly-japan/deep-learning-from-scratch/master/",
)

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


@dataclass(frozen=True)
class Source:
    """A base location: an http(s) URL ending in '/' or a local folder."""

    base: str
    network: bool

    def location(self, entry: Entry) -> str:
        if self.network:
            return self.base + entry.remote_name
        return str(Path(self.base, *entry.remote_name.split("/")))

    def read(self, entry: Entry) -> bytes:
        """The raw bytes this source holds for ``entry`` (not yet verified)."""
        if self.network:
            return http_get(
                self.location(entry),
                cap=entry.download_cap,
                hint=entry.download_hint,
                label=entry.remote_name,
            )
        return _read_local(Path(self.base), Path(self.location(entry)), entry.download_cap)


def _read_local(root: Path, path: Path, cap: int) -> bytes:
    if not root.is_dir():
        raise SourceMissing(f"mirror folder {root} does not exist")
    try:
        # a link in a mirror is fine (mirrors are often assembled from links), a FIFO or a device is not
        with open_regular(path, follow_links=True) as handle:
            data = handle.read(cap + 1)
    except FileNotFoundError:
        raise SourceMissing("no such file") from None
    except NotRegularFile as exc:
        raise SourceFailed(str(exc)) from None
    except OSError as exc:
        raise SourceFailed(f"cannot read: {exc}") from None
    if len(data) > cap:
        raise IntegrityError(f"{path}: larger than the {cap:,} bytes expected")
    return data


def _mirror_source(value: str, kind: str) -> Source:
    if not _URL.match(value):
        return Source(str(Path(value).expanduser() / kind), network=False)
    parsed = urlparse(value)
    scheme = parsed.scheme.lower()
    if scheme in ("http", "https"):
        return Source(value.rstrip("/") + f"/{kind}/", network=True)
    if scheme == "file":
        # file:///srv/mirror and file://localhost/srv/mirror both name /srv/mirror.
        return Source(str(Path(url2pathname(unquote(parsed.path))) / kind), network=False)
    raise DataError(f"DLFS_MIRROR={value!r}: unsupported scheme {scheme!r} (use a folder, file://, http:// or https://)")


def sources_for(entry: Entry) -> list[Source]:
    """Every place to try for ``entry``, in order."""
    found: list[Source] = []
    mirror = config.mirror_setting()
    if mirror:
        found.append(_mirror_source(mirror, entry.kind))
    upstream = UPSTREAM_MNIST if entry.kind == "mnist" else UPSTREAM_BOOK
    found.extend(Source(base, network=True) for base in upstream)
    return found
