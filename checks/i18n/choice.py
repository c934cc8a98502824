"""Which language learner-facing texts are rendered in (`language`, `set_language`)."""

import os

__all__ = ["LANGUAGES", "VARIABLE", "language", "set_language", "from_locale"]

LANGUAGES = ("en", "ja", "zh", "ko")
VARIABLE = "DLFS_LANG"


def _checked(value, source):
    lang = value.strip().lower()
    if lang not in LANGUAGES:
        raise ValueError(f"{source} is {value!r}: expected one of {', '.join(LANGUAGES)} "
                         "(en English, ja 日本語, zh 中文, ko 한국어)")
    return lang


def from_locale(environ=None):
    """The language of the locale variables (LC_ALL, LC_MESSAGES, LANG, first set wins), else "en"."""
    environ = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            code = value.split(".")[0].split("@")[0].split("_")[0].lower()
            return code if code in LANGUAGES else "en"
    return "en"


def language(environ=None):
    """"en", "ja", "zh" or "ko": DLFS_LANG (set by --lang), else the locale, else English."""
    environ = os.environ if environ is None else environ
    value = environ.get(VARIABLE, "")
    if value.strip():
        return _checked(value, VARIABLE)
    return from_locale(environ)


def set_language(lang):
    """Render in `lang` from now on, here and in every process started afterwards (exports DLFS_LANG).

    None leaves the choice as it is (DLFS_LANG or the locale).
    """
    if lang is None:
        return language()
    lang = _checked(lang, "--lang")
    os.environ[VARIABLE] = lang
    return lang
