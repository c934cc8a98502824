"""Text that is safe to put in a report: valid UTF-8, bounded in bytes, inert in every medium.

Messages come from submissions (an exception's text, a printed value, a folder's
name) and may hold anything: lone surrogates (from `chr(0xdcff)` or a file name that is
not UTF-8, decoded with surrogateescape), NUL bytes, escape sequences, or 80 MB of text.
A report must still be written and must stay small enough for Gradescope to show, so
every string that reaches a report passes through `safe_text`.

Each medium gets the text neutralized for it:

- any report (summary.txt, results.json, what is printed): `safe_text` shows control
  characters as `\\x1b`, `\\r`, `\\u202e` instead of passing them on, so a terminal that
  prints a name or a message is never retitled, cleared or made to overwrite a line
  (a carriage return followed by a fake "100.00"); line feeds and tabs stay;
- one line of a terminal (grade-all's progress): `terminal_line`, line feeds shown too;
- a spreadsheet cell (scores.csv, the Canvas import): `csv_cell` prefixes a `'` to a
  cell a spreadsheet would run as a formula;
- HTML (the class report): `html.escape` where the page is built.
"""

import re

from ..i18n import translator

__all__ = ["MESSAGE_BYTES", "TEXT_BYTES", "csv_cell", "display_name", "safe_text", "sanitize", "terminal_line"]

MESSAGE_BYTES = 8 * 1024  # one check's message: a full diagnosis takes about 1.5 KB
TEXT_BYTES = 256 * 1024  # any other string (the summary, the output of a whole run)
_SURROGATE = re.compile("[\ud800-\udfff]")
# what a terminal would act on rather than show: C0 controls but line feed and tab, DEL, C1
# controls (0x9b is a one-character CSI), and the marks that reorder or break lines as shown
# (a right-to-left override makes "exe.txt" of "txt.exe")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\r": "\\r", "\x1b": "\\x1b"}
# first characters a spreadsheet reads as the start of a formula (also their full-width
# forms, which a Japanese spreadsheet may take as the same), tab and line breaks
_FORMULA_START = tuple("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")
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
    text = _visible(text.replace("\r\n", "\n"))
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    kept = data[:limit].decode("utf-8", errors="ignore")  # drops a character cut in half
    return kept + "\n" + _("… ({count} more bytes not shown)", count=len(data) - len(kept.encode("utf-8")))


def _escape(match):
    character = match.group()
    if character in _NAMED:
        return _NAMED[character]
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _visible(text):
    """`text` with every control character shown as an escape (`\\x1b`), never passed on."""
    return _CONTROL.sub(_escape, text)


def terminal_line(text, limit=MESSAGE_BYTES):
    """`text` as one line for a terminal: `safe_text`, with line feeds and tabs shown as `\\n`, `\\t`."""
    return safe_text(text, limit).replace("\n", "\\n").replace("\t", "\\t")


def csv_cell(value):
    """A scores.csv cell: a str a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR or LF
    first) gets a leading `'`, so it is shown as text; other values are returned unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


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
