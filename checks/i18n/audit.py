"""`python -m checks.i18n.audit [--locale-dir DIR]`: what is wrong with the catalogs (the tests run it).

For every domain and language: a msgid the code uses but the catalog misses (or leaves
untranslated or fuzzy), a stale msgid the code no longer uses, a translation whose
placeholders differ from its msgid's (names, format specs), a section number (§5.6.2)
that is not carried over unchanged, and a glossary term (`glossary.tsv`) in the msgid
whose translation does not use that language's term.
"""

import argparse
import re
import string
import sys
from collections import Counter
from pathlib import Path

from .catalogs import DOMAINS, LOCALE_DIR, catalog_path, load_catalog
from .choice import LANGUAGES
from .extract import extract

__all__ = ["COLUMNS", "GLOSSARY", "glossary", "placeholders", "problems", "sections", "term_pattern"]

GLOSSARY = Path(__file__).resolve().parent / "glossary.tsv"
_SECTION = re.compile(r"§\s?\d+(?:\.\d+)*")


COLUMNS = ("en", *LANGUAGES[1:], "section")


def glossary(path=GLOSSARY):
    """[{"en": …, "ja": …, "zh": …, "zh-Hant": …, "ko": …, "section": …}] from the glossary file."""
    rows = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != len(COLUMNS):
            raise ValueError(f"{path}:{number}: expected {len(COLUMNS)} tab-separated cells ({', '.join(COLUMNS)}), "
                             f"got {len(cells)}: {line!r}")
        rows.append(dict(zip(COLUMNS, cells)))
    return rows


def placeholders(text):
    """Counter of the `{name:spec!conversion}` fields in `text` (ValueError for broken braces)."""
    return Counter((name, spec, conversion) for _literal, name, spec, conversion in string.Formatter().parse(text)
                   if name is not None)


def sections(text):
    return Counter(match.replace(" ", "") for match in _SECTION.findall(text))


def term_pattern(term):
    # a whole word, not code: `loss(x, t)`, `self.loss` and `train_loss` name code, not the term
    return re.compile(r"(?<![\w.-])" + re.escape(term) + r"s?(?![\w(-])", re.IGNORECASE)


def _entry_problems(msgid, translated, lang, terms):
    found = []
    try:
        expected = placeholders(msgid)
    except ValueError as error:
        return [f"msgid {msgid!r} has broken placeholders ({error})"]
    try:
        got = placeholders(translated)
    except ValueError as error:
        return [f"{msgid!r}: the translation {translated!r} has broken placeholders ({error})"]
    if got != expected:
        missing = sorted("{" + name + (":" + spec if spec else "") + "}" for name, spec, _c in expected - got)
        extra = sorted("{" + name + (":" + spec if spec else "") + "}" for name, spec, _c in got - expected)
        found.append(f"{msgid!r}: the translation {translated!r} breaks the placeholders "
                     f"(missing {missing or 'none'}, unexpected {extra or 'none'})")
    if sections(translated) != sections(msgid):
        found.append(f"{msgid!r}: the translation {translated!r} changes the section numbers "
                     f"({sorted(sections(msgid))} expected)")
    # longest terms first, each match used up: "numerical gradient" asks for 数値微分, not also 勾配
    rest = msgid
    for row in sorted(terms, key=lambda row: -len(row["en"])):
        pattern = term_pattern(row["en"])
        if pattern.search(rest):
            rest = pattern.sub(" ", rest)
            if row[lang] not in translated:
                found.append(f"{msgid!r}: the translation {translated!r} does not use the glossary's "
                             f"{row['en']!r} = {row[lang]!r}")
    return found


def problems(domain, lang, locale_dir=LOCALE_DIR, used=None, terms=None):
    """Every problem of `domain`'s catalog in `lang`, as sentences (empty when the catalog is right)."""
    used = extract(domain) if used is None else used
    terms = glossary() if terms is None else terms
    path = catalog_path(domain, lang, locale_dir)
    if not used and not path.is_file():
        return []
    try:
        catalog = load_catalog(domain, lang, locale_dir)
    except Exception as error:  # babel's parse errors: a damaged file is one problem, said plainly
        return [f"{path}: cannot be read as a .po file ({type(error).__name__}: {error})"]
    if catalog is None:
        return [f"{path}: missing ({len(used)} msgid(s) to translate; python -m checks.i18n.extract --update)"]
    entries = {message.id: message for message in catalog if message.id}
    found = []
    for msgid in used:
        message = entries.get(msgid)
        if message is None:
            found.append(f"missing msgid {msgid!r} (used in {used[msgid][0][0]}:{used[msgid][0][1]})")
        elif not message.string:
            found.append(f"untranslated msgid {msgid!r}")
        elif message.fuzzy:
            found.append(f"fuzzy (unreviewed) translation of {msgid!r}")
        else:
            found += _entry_problems(msgid, message.string, lang, terms)
    found += [f"stale msgid {msgid!r} (no code uses it)" for msgid in entries if msgid not in used]
    return [f"{domain}/{lang}: {text}" for text in found]


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m checks.i18n.audit", description=__doc__.splitlines()[0])
    parser.add_argument("--locale-dir", type=Path, default=LOCALE_DIR)
    args = parser.parse_args(argv)
    found = [problem for domain in DOMAINS for lang in LANGUAGES[1:]
             for problem in problems(domain, lang, args.locale_dir)]
    print("\n".join(found) if found else "catalogs complete")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
