"""Learner-facing text in the learner's language: English, Japanese, Chinese, Korean (issues #15, #24).

The API (everything else in this package is machinery):

- `LANGUAGES` — ("en", "ja", "zh", "zh-Hant", "ko"): zh is Simplified, zh-Hant Traditional (Taiwan).
- `language()` — the language texts are rendered in, decided on every call: `DLFS_LANG`
  (which `set_language`, i.e. `--lang`, sets), else the locale (`LC_ALL`, `LC_MESSAGES`,
  `LANG`: `ja_JP.UTF-8` → ja, `zh_CN`/`zh_SG`/`zh` → zh, `zh_TW`/`zh_HK` → zh-Hant, `ko_KR` → ko),
  else English. An unknown `DLFS_LANG` is a `ValueError` naming the variable, the value and
  the accepted ones.
- `set_language(lang)` — what `--lang` calls: checks `lang` and exports it as `DLFS_LANG`,
  so that every process started afterwards (pytest, the sandboxed children) renders in it.
- `translator(domain)` — `_ = translator("grading")`; `_(msgid, **placeholders)` returns
  the translation of `msgid` in `language()`, formatted with the NAMED placeholders:
  `_("{count} of {total} entries differ", count=3, total=12)`. The msgid is the English
  text (English needs no catalog). Domains: "grading" (diagnoses, hints, the score table,
  grading errors, the notebook checker, the stubs) and "reproduce" (the reproduction report).
- `N_(msgid)` — marks a text defined at import time (hint tables, outcome words) for the
  extractor and returns it unchanged; translate it where it is rendered: `_(TEXT, ...)`.
- `display_width(text)`, `ljust(text, width)`, `rjust(text, width)` — column widths in
  terminal cells (a CJK character takes two), for tables that stay aligned in every language.

Catalogs are gettext `.po` files, `locale/<lang>/LC_MESSAGES/<domain>.po` (zh-Hant in
`locale/zh_Hant/`), compiled when first used (no `.mo` in the repository). `python -m
checks.i18n.extract --update` adds new msgids to them and drops stale ones; `python -m
checks.i18n.draft` drafts the new zh-Hant ones from zh, fuzzy until reviewed (a maintainer's
tool: it needs OpenCC); `checks/tests/i18n/` fails when a catalog misses a msgid, keeps a
stale or fuzzy one, breaks a placeholder or a section number, or strays from the glossary
(`glossary.tsv`). This package imports nothing else from `checks`: the library
renders its diagnoses with it.
"""

from .catalogs import N_, translator
from .choice import LANGUAGES, language, set_language
from .width import display_width, ljust, rjust

__all__ = ["LANGUAGES", "N_", "display_width", "language", "ljust", "rjust", "set_language", "translator"]
