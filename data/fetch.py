"""Get verified files into the cache: cache first, then each source in order.

All files a call needs are looked at together, so that a user without a
network gets one error listing every missing file rather than one per run.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from filelock import Timeout

from . import config
from .cache import LOCK_TIMEOUT, cache_path, file_lock, inspect, read_verified, write_atomic
from .errors import (
    DataError,
    DownloadError,
    IntegrityError,
    OfflineError,
    SourceFailed,
    SourceMissing,
    SourceUnreachable,
)
from .integrity import decode_download
from .manifest import ALL_FILES, Entry, MnistFile
from .sources import sources_for

__all__ = ["ensure", "ensure_path", "fetch_all", "cache_status"]

log = logging.getLogger("dlfs.data")


@dataclass
class _Failure:
    attempts: list[tuple[str, str]] = field(default_factory=list)
    # True when the network was not used (DLFS_OFFLINE) or never answered:
    # then the useful advice is "point DLFS_MIRROR at a local copy".
    offline: bool = False
    why: str = ""


def _fetch_locked(entry: Entry, network_ok: bool, why_not: str) -> bytes | _Failure:
    try:
        with file_lock(entry):
            # Another process may have fetched the file while we waited.
            data = read_verified(entry, remove_bad=True)
            if data is not None:
                return data
            return _fetch_from_sources(entry, network_ok, why_not)
    except Timeout:
        raise DataError(
            f"{entry.key}: waited {LOCK_TIMEOUT:.0f} s for another process fetching it into "
            f"{cache_path(entry)}; is one stuck?"
        ) from None


def _fetch_from_sources(entry: Entry, network_ok: bool, why_not: str) -> bytes | _Failure:
    failure = _Failure()
    skipped = unreachable = network_tried = 0
    for source in sources_for(entry):
        where = source.location(entry)
        if source.network and not network_ok:
            skipped += 1
            continue
        network_tried += source.network
        try:
            content = decode_download(entry, source.read(entry), where)
        except SourceUnreachable as exc:
            unreachable += 1
            failure.attempts.append((where, str(exc)))
        except (SourceMissing, SourceFailed) as exc:
            failure.attempts.append((where, str(exc)))
        except IntegrityError as exc:
            failure.attempts.append((where, f"IntegrityError: {exc}"))
        else:
            path = write_atomic(entry, content)
            log.info("fetched %s from %s into %s", entry.key, where, path)
            return content
    if skipped:
        failure.attempts.append(("network sources", f"not tried ({why_not})"))
    failure.offline = not network_ok or (network_tried > 0 and unreachable == network_tried)
    failure.why = why_not if not network_ok else "the network is unreachable"
    return failure


def ensure(entries: Sequence[Entry]) -> list[bytes]:
    """Verified content of every entry, in order, fetching whatever is missing.

    Raises OfflineError (network off or unreachable) or DownloadError, once,
    naming every file that could not be obtained.
    """
    found: dict[str, bytes] = {}
    for entry in entries:
        data = read_verified(entry)
        if data is not None:
            found[entry.key] = data
    network_ok = not config.offline()
    why_not = "DLFS_OFFLINE is set"
    failures: dict[str, _Failure] = {}
    for entry in entries:
        if entry.key in found:
            continue
        outcome = _fetch_locked(entry, network_ok, why_not)
        if isinstance(outcome, _Failure):
            failures[entry.key] = outcome
            if outcome.offline and network_ok:
                # Do not wait through every timeout again for the other files.
                network_ok, why_not = False, "the network was unreachable for an earlier file"
        else:
            found[entry.key] = outcome
    if failures:
        raise _error([e for e in entries if e.key in failures], failures)
    return [found[entry.key] for entry in entries]


def _expected(entry: Entry) -> str:
    if isinstance(entry, MnistFile):
        return (
            f"upstream archive SHA-256 {entry.archive_sha256} ({entry.archive_size:,} bytes); "
            f"any gzip archive is accepted whose decompressed IDX has SHA-256 {entry.idx_sha256} "
            f"({entry.idx_size:,} bytes)"
        )
    return f"SHA-256 {entry.sha256} ({entry.size:,} bytes)"


def _attempt_lines(failure: _Failure) -> list[str]:
    return [f"      - {reason}" if where in reason else f"      - {where}: {reason}" for where, reason in failure.attempts]


def _error(entries: list[Entry], failures: dict[str, _Failure]) -> DownloadError:
    plain = {key: f.attempts for key, f in failures.items()}
    lines = []
    for entry in entries:
        lines.append(f"  - {entry.key}")
        lines.append(f"      expected: {_expected(entry)}")
        lines.extend(_attempt_lines(failures[entry.key]))
    if all(f.offline for f in failures.values()):
        mirror = config.mirror_setting()
        whys = "; ".join(dict.fromkeys(f.why for f in failures.values()))
        head = (
            f"{len(entries)} data file(s) are not in the cache ({config.data_home()}) "
            f"and cannot be downloaded ({whys}; "
            f"DLFS_MIRROR is {'set to ' + repr(mirror) if mirror else 'not set'}):"
        )
        advice = (
            "To work offline, put these files in a folder laid out as <base>/mnist/<archive>.gz and "
            "<base>/book/<chNN>/<file>.pkl (the layout of shared/mirror) and set DLFS_MIRROR=<base> "
            "(a folder path or a file:// URL; it is read even when DLFS_OFFLINE=1). Or run "
            "`python -m data fetch` on a machine with internet access and copy its cache folder "
            "to DLFS_DATA_HOME."
        )
        return OfflineError("\n".join([head, *lines, advice]), plain, [e.key for e in entries])
    head = f"could not get a verified copy of {len(entries)} data file(s); every source failed:"
    return DownloadError("\n".join([head, *lines]), plain)


def ensure_path(entry: Entry) -> Path:
    """The cache path of ``entry``, fetched and verified first."""
    ensure([entry])
    return cache_path(entry)


def fetch_all(entries: Iterable[Entry] | None = None) -> list[Path]:
    """Fetch and verify every pinned file (or ``entries``); returns their cache paths."""
    chosen = list(ALL_FILES if entries is None else entries)
    ensure(chosen)
    return [cache_path(entry) for entry in chosen]


def cache_status(entries: Iterable[Entry] | None = None) -> list[tuple[str, str, str]]:
    """``(file, 'ok' | 'missing' | 'corrupt', detail)`` for each file; fetches nothing."""
    chosen = list(ALL_FILES if entries is None else entries)
    return [(entry.key, *inspect(entry)) for entry in chosen]
