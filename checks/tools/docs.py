"""Tables the code can print, kept current in `docs/` (`make docs`, `python -m checks.tools.docs`).

A generated table sits in a Markdown file between two marker lines,

    <!-- BEGIN GENERATED: points -->
    ...
    <!-- END GENERATED: points -->

and `python -m checks.tools.docs` rewrites what lies between them from the code.
`--check` only compares, and exits 1 naming every stale table
(`checks/tests/tools/test_docs.py` asserts the same, so a change to the points
that forgets the docs fails the suite). Tables that need a measurement (the bench)
are written by their own command and only their shape is checked.
"""

import argparse
import re
import sys
from pathlib import Path

__all__ = ["GENERATED", "render", "stale_tables", "write_tables"]

REPO_ROOT = Path(__file__).resolve().parents[2]
DOCS = REPO_ROOT / "docs"


def _points(kind):
    def render():
        from ..grading.table import render_markdown

        return render_markdown(kind)
    return render


# name -> (file under docs/, renderer returning the Markdown between the markers)
GENERATED = {
    "points": ("grading.md", _points("package")),
    "points-book": ("grading.md", _points("book")),
}


def _pattern(name):
    return re.compile(rf"(<!-- BEGIN GENERATED: {re.escape(name)} -->\n)(.*?)(<!-- END GENERATED: {re.escape(name)} -->)",
                      re.DOTALL)


def render(name, text):
    """`text` with the table `name` regenerated; ValueError when its markers are missing."""
    file, renderer = GENERATED[name]
    pattern = _pattern(name)
    if not pattern.search(text):
        raise ValueError(f"docs/{file} has no markers for the generated table '{name}' "
                         f"(expected a line '<!-- BEGIN GENERATED: {name} -->' and its END line)")
    body = renderer()
    return pattern.sub(lambda match: match.group(1) + body + match.group(3), text, count=1)


def _updated(docs=DOCS):
    """{path: (old text, new text)} for every file holding generated tables."""
    files = {}
    for name, (file, _) in GENERATED.items():
        path = docs / file
        old, new = files.get(path, (None, None))
        if old is None:
            old = new = path.read_text(encoding="utf-8")
        files[path] = (old, render(name, new))
    return files


def stale_tables(docs=DOCS):
    """Names of the generated tables whose text in docs/ differs from what the code prints."""
    stale = []
    for name, (file, _) in GENERATED.items():
        text = (docs / file).read_text(encoding="utf-8")
        if render(name, text) != text:
            stale.append(name)
    return stale


def write_tables(docs=DOCS):
    """Rewrite every generated table; returns the files changed."""
    changed = []
    for path, (old, new) in _updated(docs).items():
        if new != old:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    return changed


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m checks.tools.docs", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale tables (exit 1 if any)")
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_tables()
        for name in stale:
            print(f"docs/{GENERATED[name][0]}: the table '{name}' is stale; run `make docs`")
        return 1 if stale else 0
    changed = write_tables()
    print("\n".join(f"rewrote {path.relative_to(REPO_ROOT)}" for path in changed) or "docs/ is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
