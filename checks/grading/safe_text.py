"""Text that is safe to put in a report: valid UTF-8 and bounded in bytes.

Messages come from submissions (an exception's text, a printed value, a folder's
name) and may hold anything: lone surrogates (from `chr(0xdcff)` or a file name that is
not UTF-8, decoded with surrogateescape), NUL bytes, or 80 MB of text. A report must
still be written and must stay small enough for Gradescope to show, so every string
that reaches a report passes through `safe_text`.
"""

import re

from ..i18n import translator

__all__ = ["MESSAGE_BYTES", "TEXT_BYTES", "safe_text", "sanitize", "display_name"]

MESSAGE_BYTES = 8 * 1024  # one check's message: a full diagnosis takes about 1.5 KB
TEXT_BYTES = 256 * 1024  # any other string (the summary, the output of a whole run)
_SURROGATE = re.compile("[\ud800-\udfff]")
_ = translator("grading")


def safe_text(text, limit=TEXT_BYTES):
    """`text` as a str that encodes to valid UTF-8 in at most `limit` bytes (plus a short note).

    Lone surrogates become U+FFFD; a longer text is cut at a character boundary and
    ends with "… (N more bytes)".
    """
    if not isinstance(text, str):
        try:
            text = str(text)
        except Exception as error:  # a str() that raises is itself worth reporting, not a crash
            text = f"<unprintable {type(text).__name__}: {type(error).__name__}>"
    text = _SURROGATE.sub("\ufffd", text)
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    kept = data[:limit].decode("utf-8", errors="ignore")  # drops a character cut in half
    return kept + "\n" + _("… ({count} more bytes not shown)", count=len(data) - len(kept.encode("utf-8")))


def sanitize(value, limit=TEXT_BYTES):
    """A copy of a JSON-like value (dicts, lists, strings, numbers) with every string made safe."""
    if isinstance(value, str):
        return safe_text(value, limit)
    if isinstance(value, dict):
        return {safe_text(key, 1024): sanitize(item, limit) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [sanitize(item, limit) for item in value]
    return value


def display_name(name):
    """A folder name as text: bytes that are not UTF-8 (surrogateescape) shown as \\xNN."""
    if isinstance(name, bytes):
        return name.decode("utf-8", errors="backslashreplace")
    if not _SURROGATE.search(name):
        return name
    try:
        return name.encode("utf-8", errors="surrogateescape").decode("utf-8", errors="backslashreplace")
    except UnicodeEncodeError:  # a surrogate that did not come from an undecodable byte
        return safe_text(name)
