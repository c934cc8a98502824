"""`python -m checks.i18n.extract [--update]`: the msgids the code uses, per domain; refresh the catalogs.

The extractor (babel's Python extractor) reads every `_("…")` and `N_("…")` call in a
domain's source files; a msgid must be a literal (never an f-string: the placeholders
are named and passed to `_`). `--update` merges what it found into every language's
`.po` — new msgids arrive with an empty translation (the tests fail until it is
filled in), stale ones are dropped — then prints what is left to translate.
"""

import argparse
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_python
from babel.messages.pofile import write_po

from .catalogs import DOMAINS, LOCALE_DIR, catalog_path, load_catalog
from .choice import LANGUAGES

__all__ = ["SOURCES", "KEYWORDS", "extract", "template", "update"]

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "N_": None}
# which files each domain's msgids come from (folders are searched for *.py)
SOURCES = {
    "grading": ["checks/library", "checks/grading", "checks/isolation", "checks/cli.py", "checks/tools/stubgen.py"],
    "reproduce": ["checks/reproduce"],
}


def _files(domain, root=ROOT):
    for entry in SOURCES[domain]:
        path = root / entry
        yield from (sorted(path.rglob("*.py")) if path.is_dir() else [path])


def extract(domain, root=ROOT):
    """{msgid: [(file relative to root, line)]} of every `_`/`N_` call in `domain`'s sources."""
    found = {}
    for path in _files(domain, root):
        with path.open("rb") as source:
            for line, _function, messages, _comments in extract_python(source, KEYWORDS, [], {}):
                msgid = messages[0] if isinstance(messages, tuple) else messages
                if msgid:
                    found.setdefault(msgid, []).append((path.relative_to(root).as_posix(), line))
    return found


def template(domain, root=ROOT):
    """A babel Catalog holding every msgid of `domain` (the .pot), in order of first appearance."""
    catalog = Catalog(domain=domain, project="dlfs", charset="utf-8")
    for msgid, locations in extract(domain, root).items():
        catalog.add(msgid, locations=locations, flags=("python-brace-format",) if "{" in msgid else ())
    return catalog


def update(domain, lang, locale_dir=LOCALE_DIR, pot=None):
    """Merge `domain`'s msgids into its `lang` catalog (created when missing); returns the untranslated msgids."""
    pot = template(domain) if pot is None else pot
    catalog = load_catalog(domain, lang, locale_dir) or Catalog(locale=lang, domain=domain, project="dlfs")
    # the header's date stays the catalog's own: a refresh that changes no msgid changes no byte
    pot.creation_date = catalog.creation_date
    catalog.update(pot, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    path = catalog_path(domain, lang, locale_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        # sorted, without source locations: moving code between files changes nothing here, so
        # branches that each add msgids merge without conflicts
        write_po(out, catalog, width=0, include_previous=False, sort_output=True, no_location=True)
    return [message.id for message in catalog if message.id and not message.string]


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m checks.i18n.extract", description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="merge the msgids into every language's .po")
    parser.add_argument("--domain", choices=DOMAINS, action="append", help="only this domain (repeatable)")
    args = parser.parse_args(argv)
    for domain in args.domain or DOMAINS:
        if not args.update:
            for msgid in extract(domain):
                print(f"{domain}: {msgid!r}")
            continue
        pot = template(domain)
        for lang in LANGUAGES[1:]:
            missing = update(domain, lang, pot=pot)
            print(f"{domain}/{lang}: {len(missing)} msgid(s) to translate")
    return 0


if __name__ == "__main__":
    sys.exit(main())
