"""The report's texts in the learner's language: the "reproduce" catalog domain (issue #15).

``_(msgid, **placeholders)`` is ``checks.i18n.translator("reproduce")`` that also
translates placeholders which are themselves texts marked with ``N_`` (a claim's
tolerance embeds the sentence naming its thresholds' source). ``N_`` marks the texts
defined at import time (the claims' titles, the book's claims, methods, tolerances,
figure captions): they stay English msgids and are translated where they are rendered.

The verdict words PASS, FAIL, SKIPPED and NOT RUN are not translated: they are the
tokens results.json, the exit status and CI logs use, the same in every language.
"""

from ..i18n import N_, language, translator
from ..i18n.catalogs import Lazy

__all__ = ["N_", "_", "language"]

_translate = translator("reproduce")


def _(msgid, **placeholders):
    """``msgid`` (a literal or an ``N_`` text) in the current language, placeholders filled in by name."""
    if isinstance(msgid, Lazy):
        placeholders = {**msgid.params, **placeholders}
        msgid = msgid.msgid
    placeholders = {key: _(value) if isinstance(value, Lazy) else value for key, value in placeholders.items()}
    return _translate(msgid, **placeholders)
