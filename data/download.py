"""HTTP transfer: one requests session, bounded retries, size-capped streaming.

Only transient failures (no connection, timeouts, dropped transfers, 429 and
5xx) are retried; a 404 or 403 means this source does not have the file, so
the caller moves on to the next one at once.
"""

from __future__ import annotations

import http.client
import logging
import os
import re
import sys
import time
from typing import TYPE_CHECKING

from .config import user_agent
from .errors import IntegrityError, SourceFailed, SourceMissing, SourceUnreachable

# requests and tqdm are imported on the first download, not with the package:
# most runs find everything in the cache, and worker processes start faster.
if TYPE_CHECKING:
    import requests

__all__ = ["http_get"]

log = logging.getLogger("dlfs.data")

# Module constants rather than arguments so that tests can shorten the waits
# while still going through exactly the same code.
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 60.0
ATTEMPTS = 3
BACKOFF_SECONDS = 1.0
MAX_RETRY_AFTER = 30.0
CHUNK = 64 * 1024
PROGRESS_MIN_BYTES = 1 << 20

_session: requests.Session | None = None
_session_pid: int | None = None


def _get_session() -> requests.Session:
    import requests

    # A session's connection pool must not be shared across fork().
    global _session, _session_pid
    if _session is None or _session_pid != os.getpid():
        _session = requests.Session()
        _session.headers["User-Agent"] = user_agent()
        _session_pid = os.getpid()
    return _session


def _read_errors() -> tuple[type[BaseException], ...]:
    """Errors while reading a body that has started: the connection broke or stalled."""
    import requests
    import urllib3

    return (requests.RequestException, urllib3.exceptions.HTTPError, http.client.HTTPException, OSError)


def _reason(exc: BaseException) -> str:
    """The innermost readable cause of a requests/urllib3 error."""
    inner: BaseException = exc
    for _ in range(8):  # requests and urllib3 nest their errors a few levels deep
        nested = [a for a in getattr(inner, "args", ()) if isinstance(a, BaseException)]
        nxt = getattr(inner, "reason", None)
        nxt = nxt if isinstance(nxt, BaseException) else (nested[-1] if nested else None)
        if nxt is None or nxt is inner:
            break
        inner = nxt
    text = str(inner) or type(inner).__name__
    # urllib3 prefixes the connection object's repr, which says nothing useful.
    return re.sub(r"^<[^>]*>:\s*", "", text)


def _summary(problems: list[str]) -> str:
    """Problems joined, with repeats counted rather than printed three times."""
    parts: list[str] = []
    for text in dict.fromkeys(problems):
        count = problems.count(text)
        parts.append(text if count == 1 else f"{text} (x{count})")
    return "; ".join(parts)


def _retry_after(resp: requests.Response, default: float) -> float:
    value = resp.headers.get("Retry-After", "")
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    return default


def _read_body(resp: requests.Response, cap: int, hint: int, label: str) -> bytes:
    from tqdm import tqdm

    read_errors = _read_errors()
    announced = resp.headers.get("Content-Length", "")
    if announced.isdigit() and int(announced) > cap:
        raise IntegrityError(f"{label}: server announces {int(announced):,} bytes, more than the {cap:,} expected")
    total = int(announced) if announced.isdigit() else hint
    quiet = total < PROGRESS_MIN_BYTES or not sys.stderr.isatty()
    buf = bytearray()
    with tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024, desc=label, leave=False, disable=quiet) as bar:
        while True:
            try:
                # One byte past the cap at most: enough to know the body is too big.
                chunk = resp.raw.read(min(CHUNK, cap + 1 - len(buf)), decode_content=False)
            except read_errors as exc:
                raise SourceFailed(f"transfer broke after {len(buf):,} bytes ({_reason(exc)})") from None
            if not chunk:
                break
            buf += chunk
            if len(buf) > cap:
                raise IntegrityError(f"{label}: body is larger than the {cap:,} bytes expected (stopped reading)")
            bar.update(len(chunk))
    if announced.isdigit() and len(buf) != int(announced):
        raise SourceFailed(f"connection closed after {len(buf):,} of {int(announced):,} bytes")
    return bytes(buf)


def http_get(url: str, *, cap: int, hint: int, label: str) -> bytes:
    """Download ``url`` into memory, reading at most ``cap + 1`` bytes.

    Raises SourceMissing (4xx: try the next source), SourceUnreachable (never
    connected), SourceFailed (answered but could not deliver) or
    IntegrityError (body larger than ``cap``).
    """
    import requests

    session = _get_session()
    problems: list[str] = []
    answered = False
    for attempt in range(1, ATTEMPTS + 1):
        delay = BACKOFF_SECONDS * 2 ** (attempt - 1)
        try:
            resp = session.get(url, stream=True, timeout=(CONNECT_TIMEOUT, READ_TIMEOUT))
        except requests.ConnectionError as exc:  # includes ConnectTimeout
            problems.append(f"cannot connect ({_reason(exc)})")
        except requests.Timeout as exc:
            answered = True
            problems.append(f"timed out ({_reason(exc)})")
        except requests.RequestException as exc:
            raise SourceFailed(f"{type(exc).__name__}: {_reason(exc)}") from None
        else:
            answered = True
            with resp:
                status = resp.status_code
                if status == 200:
                    log.info("downloading %s", url)
                    try:
                        return _read_body(resp, cap, hint, label)
                    except SourceFailed as exc:
                        problems.append(str(exc))
                elif status == 429 or status >= 500:
                    problems.append(f"HTTP {status} {resp.reason}")
                    delay = _retry_after(resp, delay)
                else:
                    raise SourceMissing(f"HTTP {status} {resp.reason}")
        if attempt < ATTEMPTS:
            log.info("%s: %s; retrying in %.1f s", url, problems[-1], delay)
            time.sleep(delay)
    summary = _summary(problems)
    if not answered:
        raise SourceUnreachable(f"unreachable after {ATTEMPTS} attempts: {summary}")
    raise SourceFailed(f"gave up after {ATTEMPTS} attempts: {summary}")
