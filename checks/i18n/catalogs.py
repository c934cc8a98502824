"""gettext catalogs: `.po` sources compiled when first used, one translator per domain.

A translation is looked up by its msgid (the English text) and formatted with named
placeholders. A msgid the catalog lacks (or leaves empty) falls back to the English
text — the catalog tests make sure that never ships.
"""

import functools
import gettext
import io
from pathlib import Path

from .choice import language

__all__ = ["DOMAINS", "LOCALE_DIR", "Lazy", "N_", "catalog_path", "load_catalog", "locale_name", "translations",
           "translator"]

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAINS = ("grading", "reproduce")


class Lazy(str):
    """A text marked with `N_`: reads as its English text, translated when given to `_`."""

    __slots__ = ("msgid", "params")

    def __new__(cls, msgid, params):
        text = super().__new__(cls, msgid.format(**params) if params else msgid)
        text.msgid, text.params = msgid, params
        return text

    def __reduce__(self):
        return (Lazy, (self.msgid, self.params))


def N_(msgid, **placeholders):
    """Mark `msgid` for extraction; translate it later, where it is rendered, with `_(text)`.

    The result is a `str` (the English text, placeholders filled in) that remembers its
    msgid and placeholders, so `_` renders it in the language of that moment.
    """
    return Lazy(msgid, placeholders)


def locale_name(lang):
    """The gettext/Babel name of a language tag: "zh-Hant" → "zh_Hant" (its folder under locale/)."""
    return lang.replace("-", "_")


def catalog_path(domain, lang, locale_dir=LOCALE_DIR):
    return Path(locale_dir) / locale_name(lang) / "LC_MESSAGES" / f"{domain}.po"


def load_catalog(domain, lang, locale_dir=LOCALE_DIR):
    """The babel `Catalog` of `domain` in `lang`, read from its .po source (None if there is none)."""
    from babel.messages.pofile import read_po  # imported when a catalog is first needed: `import checks` stays light

    path = catalog_path(domain, lang, locale_dir)
    if not path.is_file():
        return None
    with path.open("rb") as source:
        return read_po(source, locale=locale_name(lang), domain=domain)


@functools.lru_cache(maxsize=None)
def translations(domain, lang):
    """gettext translations of `domain` in `lang`, compiled from the .po in memory."""
    catalog = load_catalog(domain, lang) if lang != "en" else None
    if catalog is None:
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo

    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def translator(domain):
    """`_(msgid, **placeholders)`: `msgid` in the current language, placeholders filled in by name."""
    if domain not in DOMAINS:
        raise ValueError(f"translation domain {domain!r} is unknown: expected one of {', '.join(DOMAINS)}")

    def _(msgid, **placeholders):
        if isinstance(msgid, Lazy):
            msgid, placeholders = msgid.msgid, {**msgid.params, **placeholders}
        if not msgid:  # gettext("") is the catalog's header
            return msgid
        text = translations(domain, language()).gettext(msgid)
        return text.format(**placeholders) if placeholders else text

    _.domain = domain
    return _
