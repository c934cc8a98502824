"""Checks that turn untrusted bytes into verified content, or raise IntegrityError.

Used both for fresh downloads and for cache files on first use, so a file is
trusted only because its bytes match the pinned table, never because of where
it was found.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import logging
import struct
import zlib

from .errors import IntegrityError
from .manifest import BookFile, Entry, MnistFile

__all__ = ["sha256_hex", "describe_bytes", "gunzip_bounded", "verify_content", "decode_download"]

log = logging.getLogger("dlfs.data")

_GZIP_MAGIC = b"\x1f\x8b"


def sha256_hex(data: bytes | bytearray | memoryview) -> str:
    return hashlib.sha256(data).hexdigest()


def describe_bytes(data: bytes) -> str:
    """A short, printable description of unexpected content for error messages."""
    head = bytes(data[:512])
    lowered = head.lstrip().lower()
    if lowered.startswith((b"<!doctype", b"<html", b"<?xml", b"<head", b"<body")) or b"<html" in lowered:
        text = head.lstrip()[:60].decode("utf-8", "replace")
        return f"looks like HTML: {text!r}…"
    if not data:
        return "empty"
    return f"starts with {head[:24]!r}"


def gunzip_bounded(data: bytes, limit: int, what: str) -> bytes:
    """Decompress a gzip archive, refusing to produce more than ``limit`` bytes.

    Reads at most ``limit + 1`` bytes out of the stream: one byte past the limit
    is enough to know the archive is wrong, and a gzip bomb never gets the
    chance to fill memory. Reading past the end of the member also makes gzip
    check the CRC-32 and length trailer.
    """
    if bytes(data[:2]) != _GZIP_MAGIC:
        raise IntegrityError(f"{what}: not a gzip archive ({describe_bytes(data)})")
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data), mode="rb") as archive:
            out = archive.read(limit + 1)
    except EOFError:
        raise IntegrityError(
            f"{what}: truncated gzip archive ({len(data):,} bytes end before the "
            "end-of-stream marker; an interrupted download?)"
        ) from None
    except (gzip.BadGzipFile, zlib.error, OSError) as exc:
        raise IntegrityError(f"{what}: corrupt gzip archive ({exc})") from None
    if len(out) > limit:
        raise IntegrityError(
            f"{what}: decompresses to more than the expected {limit:,} bytes "
            "(refused before inflating the rest: a gzip bomb or the wrong file)"
        )
    return out


def _verify_idx(entry: MnistFile, idx: bytes, what: str) -> None:
    header = entry.header_size
    if len(idx) >= header:
        fields = struct.unpack(f">{len(entry.dims) + 1}I", idx[:header])
        magic, dims = fields[0], tuple(fields[1:])
        if magic != entry.magic:
            raise IntegrityError(
                f"{what}: IDX magic number expected {entry.magic}, got {magic} ({describe_bytes(idx)})"
            )
        if dims != entry.dims:
            raise IntegrityError(f"{what}: IDX dimensions expected {entry.dims}, got {dims}")
    if len(idx) != entry.idx_size:
        raise IntegrityError(
            f"{what}: decompressed size expected {entry.idx_size:,} bytes, got {len(idx):,}"
        )
    got = sha256_hex(idx)
    if got != entry.idx_sha256:
        raise IntegrityError(f"{what}: decompressed SHA-256 expected {entry.idx_sha256}, got {got}")


def _verify_book(entry: BookFile, data: bytes, what: str) -> None:
    if len(data) != entry.size:
        hint = "" if data[:1] == b"\x80" else f" ({describe_bytes(data)})"
        raise IntegrityError(f"{what}: size expected {entry.size:,} bytes, got {len(data):,}{hint}")
    got = sha256_hex(data)
    if got != entry.sha256:
        raise IntegrityError(f"{what}: SHA-256 expected {entry.sha256}, got {got}")


def verify_content(entry: Entry, data: bytes, origin: str) -> None:
    """Check bytes in their stored form (IDX for MNIST, the pickle for book files)."""
    what = f"{entry.cache_relpath.rsplit('/', 1)[-1]} from {origin}"
    if isinstance(entry, MnistFile):
        _verify_idx(entry, data, what)
    else:
        _verify_book(entry, data, what)


def decode_download(entry: Entry, raw: bytes, origin: str) -> bytes:
    """Turn downloaded bytes into verified stored content (gunzip MNIST archives)."""
    if isinstance(entry, BookFile):
        what = f"{entry.relpath} from {origin}"
        if bytes(raw[:2]) == _GZIP_MAGIC:
            # A pickle never starts with the gzip magic: a server or proxy
            # compressed it in transit. Undo that, bounded like any archive.
            raw = gunzip_bounded(raw, entry.size, what)
        _verify_book(entry, raw, what)
        return bytes(raw)
    what = f"{entry.archive} from {origin}"
    idx = gunzip_bounded(raw, entry.idx_size, what)
    _verify_idx(entry, idx, what)
    if sha256_hex(raw) != entry.archive_sha256:
        # Not an error: the content is pinned, the gzip framing is not.
        log.info("%s: archive differs from upstream's (re-compressed); its content matches", what)
    return idx
