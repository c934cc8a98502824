"""Which language learner-facing texts are rendered in (`language`, `set_language`)."""

import os

__all__ = ["LANGUAGES", "VARIABLE", "canonical", "choose", "from_locale", "language", "option", "set_language"]

# BCP 47 tags; zh is Simplified Chinese (the mainland edition), zh-Hant Traditional (the Taiwan edition)
LANGUAGES = ("en", "ja", "zh", "zh-Hant", "ko")
VARIABLE = "DLFS_LANG"
_NAMES = "en English, ja 日本語, zh 简体中文, zh-Hant 繁體中文, ko 한국어"


def choose(environ, known):
    """The language `environ` asks for among `known` (a subset of LANGUAGES holding "en").

    DLFS_LANG first (any case, `-` or `_`: zh-Hant, zh_TW, zh-Hans…), else the first locale variable
    set (LC_ALL, LC_MESSAGES, LANG: `zh_TW.UTF-8`, `zh_HK`, `zh_Hant_TW` → zh-Hant; `zh_CN`,
    `zh_SG`, `zh` → zh), else "en". Returns (language, None), or (None, the DLFS_LANG value)
    when DLFS_LANG names no known language. Self-contained (only str methods): `make exercises`
    copies this function's source into exercises/_messages.py, which imports nothing from checks.
    """
    def parse(value):
        # "zh_TW.UTF-8@x" → ["zh", "tw"]; "zh-Hant-TW" → ["zh", "hant", "tw"]
        return value.split(".")[0].split("@")[0].strip().replace("-", "_").lower().split("_")

    def resolve(parts):
        if parts[0] != "zh":
            return parts[0] if len(parts) == 1 or parts[0] in ("en", "ja", "ko") else None
        rest = parts[1:]
        if "hant" in rest or any(part in ("tw", "hk", "mo") for part in rest):
            return "zh-Hant"
        return "zh" if not rest or "hans" in rest or any(part in ("cn", "sg", "my") for part in rest) else None

    def known_as(code):
        return code if code in known else None

    chosen = environ.get("DLFS_LANG", "").strip()
    if chosen:
        found = known_as(resolve(parse(chosen)) or "")
        return (found, None) if found else (None, chosen)
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            return (known_as(resolve(parse(value)) or "") or "en", None)
    return ("en", None)


def canonical(value, source=VARIABLE):
    """`value` as one of LANGUAGES ("zh-hant", "zh_TW" → "zh-Hant"); ValueError naming `source` otherwise."""
    found, _unknown = choose({VARIABLE: value}, LANGUAGES)
    if found is None:
        raise ValueError(f"{source} is {value!r}: expected one of {', '.join(LANGUAGES)} ({_NAMES})")
    return found


def option(value):
    """argparse `type=` for --lang: "zh_TW", "zh-hant" → "zh-Hant"; an unknown value comes back as it is,
    for argparse's `choices=LANGUAGES` to reject with the list of choices."""
    found, _unknown = choose({VARIABLE: value}, LANGUAGES)
    return found or value


def from_locale(environ=None):
    """The language of the locale variables (LC_ALL, LC_MESSAGES, LANG, first set wins), else "en"."""
    environ = os.environ if environ is None else environ
    return choose({name: environ.get(name, "") for name in ("LC_ALL", "LC_MESSAGES", "LANG")}, LANGUAGES)[0]


def language(environ=None):
    """One of LANGUAGES: DLFS_LANG (set by --lang), else the locale, else English."""
    environ = os.environ if environ is None else environ
    found, unknown = choose(environ, LANGUAGES)
    if found is None:
        canonical(unknown)  # raises, naming DLFS_LANG
    return found


def set_language(lang):
    """Render in `lang` from now on, here and in every process started afterwards (exports DLFS_LANG).

    None leaves the choice as it is (DLFS_LANG or the locale).
    """
    if lang is None:
        return language()
    lang = canonical(lang, "--lang")
    os.environ[VARIABLE] = lang
    return lang
