"""Tables the code can print, kept current in `docs/` (`make docs`, `python -m checks.tools.docs`).

A generated table sits in a Markdown file between two marker lines,

    <!-- BEGIN GENERATED: points -->
    ...
    <!-- END GENERATED: points -->

and `python -m checks.tools.docs` rewrites what lies between them from the code.
`--check` only compares, and exits 1 naming every stale table
(`checks/tests/tools/test_docs.py` asserts the same, so a change to the points
that forgets the docs fails the suite).

Tables that need a measurement (the bench) sit between `<!-- BEGIN MEASURED: NAME -->`
markers and are written by their own command (`make bench BENCH_ARGS=--write-docs`),
all from one run; the test checks their shape — one row per figure the code measures
now — since their numbers belong to the machine and the moment.
"""

import argparse
import re
import sys
from pathlib import Path

from ..locations import NoCheckout, require_checkout

__all__ = ["GENERATED", "MEASURED", "MEASURED_TEXT", "measured_rows", "render", "replace_measured", "stale_measured",
           "stale_tables", "write_tables"]

REPO_ROOT = Path(__file__).resolve().parents[2]
DOCS = REPO_ROOT / "docs"


def _points(kind):
    def render():
        from ..grading.table import render_markdown

        return render_markdown(kind)
    return render


def _corpus(which):
    def render():
        from .corpus import manifest

        return {"table": manifest.render_table, "book-history": manifest.render_book_history,
                "bugs": manifest.render_bugs}[which]()
    return render


def _bands():
    from ..reproduce.bands import render_markdown

    return render_markdown()


# name -> (file under docs/, renderer returning the Markdown between the markers)
GENERATED = {
    "bands": ("reproduce.md", _bands),
    "points": ("grading.md", _points("package")),
    "points-book": ("grading.md", _points("book")),
    "corpus": ("corpus.md", _corpus("table")),
    "corpus-book-history": ("corpus.md", _corpus("book-history")),
    "corpus-bugs": ("corpus.md", _corpus("bugs")),
}


def _bench_rows():
    from .bench.figures import Options, figures_for

    return [figure.name for figure in figures_for(Options())]


# name -> (file under docs/, the first column the measured table must have, row by row)
MEASURED = {"bench": ("performance.md", _bench_rows)}
# Measured text outside docs/, written by the same run but with no rows to check:
# name -> file under the repository (the README's speed lines: the bench's comparison with the book).
MEASURED_TEXT = {"speed": "README.md", "corpus-figures": "docs/corpus.md", "seeds-run": "docs/reproduce.md"}


def _measured_pattern(name):
    return re.compile(rf"(<!-- BEGIN MEASURED: {re.escape(name)} -->\n)(.*?)(<!-- END MEASURED: {re.escape(name)} -->)",
                      re.DOTALL)


def replace_measured(name, body, docs=None):
    """Write `body` (one run's output) between the markers of the measured table (or text) `name`."""
    if name in MEASURED_TEXT:
        file = MEASURED_TEXT[name]
        path = (REPO_ROOT if docs is None else docs) / file
    else:
        file, _ = MEASURED[name]
        path = (DOCS if docs is None else docs) / file
    text = path.read_text(encoding="utf-8")
    pattern = _measured_pattern(name)
    if not pattern.search(text):
        raise ValueError(f"{path.name} has no markers for the measured table '{name}'")
    path.write_text(pattern.sub(lambda m: m.group(1) + body + m.group(3), text, count=1), encoding="utf-8")


def measured_rows(name, docs=None):
    """The first column of the first pipe table between the markers of `name` (header excluded)."""
    file, _ = MEASURED[name]
    text = ((DOCS if docs is None else docs) / file).read_text(encoding="utf-8")
    match = _measured_pattern(name).search(text)
    if not match:
        raise ValueError(f"docs/{file} has no markers for the measured table '{name}'")
    rows, in_table = [], False
    for line in match.group(2).splitlines():
        if line.startswith("|"):
            in_table = True
            rows.append(line.strip("|").split("|")[0].strip())
        elif in_table:
            break
    return rows[2:]  # header and alignment rows


def _same_shape(rows, figures):
    # A figure's label may be worked out while it is measured ("GEMM float64 2048×…"), but a
    # layer's is its name: one row per figure, and every layer figure's row by name.
    return len(rows) == len(figures) and all(name in rows for name in figures if "×" in name)


def stale_measured(docs=None):
    """Names of the measured tables whose rows are not the figures the code measures now."""
    return [name for name, (_, expected) in MEASURED.items() if not _same_shape(measured_rows(name, docs), expected())]


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
        for name in stale_measured():
            print(f"docs/{MEASURED[name][0]}: the measured table '{name}' has other rows than the code measures; "
                  "rerun it (make bench BENCH_ARGS=--write-docs)")
        return 1 if stale or stale_measured() else 0
    try:
        require_checkout("make docs")
    except NoCheckout as error:
        print(error, file=sys.stderr)
        return 2
    changed = write_tables()
    print("\n".join(f"rewrote {path.relative_to(REPO_ROOT)}" for path in changed) or "docs/ is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
