"""The labelled corpus: `manifest.json`, what each entry is and what the grader should say of it.

An entry is a public repository pinned at a commit: a learner's (`source: learner`),
a published version of the book's own code before one of its bug fixes
(`book-history`), or the book's code today (`book-current`). It says where the
learner's work is (`grade`: the folder a learner would submit for vol. 1; `paths`),
and, component by component, where each definition is (file, notebook cell, line)
and its label with the label's evidence:

- `correct` — passes the reference checks of the book's contract for its chapter when
  run on its own against the reference implementation of everything else, and reads
  right;
- `bug` — one line saying what is wrong (`bug`), with the failing behaviour and the
  line in `evidence`;
- `book-copy` — a copy of a correct version of the book's published code (a copy of a
  version with a known bug is labelled `bug`, with `book_copy: true`);
- `not-present` — named like the component but not an attempt at it (a stub, another
  chapter's helper): nothing is expected of the grader;
- `tolerated` — correct with a deviation the grader tolerates and reports (the old
  Nesterov order, a NumPy alias removed in 1.24).

A `book-history` entry lists only its bugs; `others: correct` says every other
component found in the tree is the book's correct code. Only labels, paths, hashes
and evidence text are committed — never the learners' or the book's code.
"""

import json
import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["KINDS", "LABELS", "LANGUAGES", "MANIFEST", "ManifestError", "SOURCES", "Expectation", "expectations",
           "load", "render_book_history", "render_bugs", "render_table", "validate"]

MANIFEST = Path(__file__).with_name("manifest.json")
LABELS = ("correct", "bug", "book-copy", "not-present", "tolerated")
KINDS = ("notebooks", "book-layout", "mix")
SOURCES = ("learner", "book-history", "book-current")
LANGUAGES = ("ja", "zh", "ko", "en")
_ENTRY_FIELDS = {"id", "source", "repository", "url", "commit", "date", "language", "kind", "grade", "paths",
                 "components"}
_OPTIONAL_ENTRY_FIELDS = {"first_date", "notes", "others", "fixed_by", "fix_date"}
_COMPONENT_FIELDS = {"component", "where", "label", "evidence"}
_OPTIONAL_COMPONENT_FIELDS = {"line", "bug", "book_copy", "book_version", "chapter"}


class ManifestError(ValueError):
    """manifest.json does not say what it must."""


def load(path=MANIFEST):
    """The manifest's entries, validated."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ManifestError(f"{path}: cannot be read as JSON ({error})") from None
    validate(data)
    return data["entries"]


def validate(data):
    """Raise ManifestError naming the first entry or field that is not as documented above."""
    from ...library.catalog import all_checks

    components = {case.component for _, case in all_checks()} | {"Trainer"}
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise ManifestError("manifest.json: expected an object with a list 'entries'")
    seen = set()
    for entry in data["entries"]:
        name = entry.get("id", "?")
        missing = _ENTRY_FIELDS - set(entry)
        unknown = set(entry) - _ENTRY_FIELDS - _OPTIONAL_ENTRY_FIELDS
        if missing or unknown:
            raise ManifestError(f"entry {name}: missing {sorted(missing)}, unknown {sorted(unknown)}")
        if name in seen:
            raise ManifestError(f"entry {name}: the id is used twice")
        seen.add(name)
        if not re.fullmatch(r"[0-9a-f]{40}", entry["commit"]):
            raise ManifestError(f"entry {name}: commit must be 40 hex digits, got {entry['commit']!r}")
        for field, allowed in (("source", SOURCES), ("kind", KINDS), ("language", LANGUAGES)):
            if entry[field] not in allowed:
                raise ManifestError(f"entry {name}: {field} {entry[field]!r} is not one of {', '.join(allowed)}")
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", entry["date"]):
            raise ManifestError(f"entry {name}: date must be YYYY-MM-DD, got {entry['date']!r}")
        if entry["url"] != f"https://github.com/{entry['repository']}":
            raise ManifestError(f"entry {name}: url must be https://github.com/{entry['repository']}")
        if entry.get("others", "correct") != "correct":
            raise ManifestError(f"entry {name}: others can only be 'correct'")
        for item in entry["components"]:
            missing = _COMPONENT_FIELDS - set(item)
            unknown = set(item) - _COMPONENT_FIELDS - _OPTIONAL_COMPONENT_FIELDS
            if missing or unknown:
                raise ManifestError(f"entry {name}, {item.get('component', '?')}: missing {sorted(missing)}, "
                                    f"unknown {sorted(unknown)}")
            if item["component"] not in components:
                raise ManifestError(f"entry {name}: no graded component named {item['component']!r}")
            if item["label"] not in LABELS:
                raise ManifestError(f"entry {name}, {item['component']}: label {item['label']!r} is not one of "
                                    f"{', '.join(LABELS)}")
            if item["label"] == "bug" and not item.get("bug"):
                raise ManifestError(f"entry {name}, {item['component']}: a bug needs its one-line description")
            if not item["evidence"].strip():
                raise ManifestError(f"entry {name}, {item['component']}: a label needs its evidence")


@dataclass(frozen=True)
class Expectation:
    """What the grader should say of one component of one entry."""

    component: str
    expected: str  # "bug" (caught: wrong or error) or "correct" (all its points)
    items: tuple  # the manifest's items for it (empty for a book-history entry's others)
    description: str


def expectations(entry, found_components=()):
    """[Expectation] for an entry: one per labelled component (not-present ones left out), plus, for an entry whose
    `others` is correct, one per other component found in its tree (`found_components`)."""
    by_component = {}
    for item in entry["components"]:
        by_component.setdefault(item["component"], []).append(item)
    result = []
    for component, items in sorted(by_component.items()):
        labels = {item["label"] for item in items}
        if "bug" in labels:
            bugs = [item for item in items if item["label"] == "bug"]
            result.append(Expectation(component, "bug", tuple(items), "; ".join(item["bug"] for item in bugs)))
        elif labels & {"correct", "book-copy", "tolerated"}:
            result.append(Expectation(component, "correct", tuple(items), ", ".join(sorted(labels))))
    if entry.get("others") == "correct":
        for component in sorted(set(found_components) - set(by_component)):
            result.append(Expectation(component, "correct", (), "the book's code"))
    return result


def _counts(entry):
    labels = [item["label"] for item in entry["components"]]
    parts = [f"{labels.count(label)} {label}" for label in LABELS if labels.count(label)]
    if entry.get("others") == "correct":
        parts.append("others correct")
    return ", ".join(parts)


def _year(entry):
    first = entry.get("first_date", entry["date"])[:4]
    last = entry["date"][:4]
    return first if first == last else f"{first}–{last}"


def render_table(entries=None):
    """The Markdown table of docs/corpus.md (between its generated markers)."""
    entries = load() if entries is None else entries
    lines = ["| # | repository | commit | source | language | year | kind | graded folder | components |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for number, entry in enumerate(entries, start=1):
        lines.append(f"| {number} | [{entry['repository']}]({entry['url']}) | `{entry['commit'][:12]}` | "
                     f"{entry['source']} | {entry['language']} | {_year(entry)} | {entry['kind']} | "
                     f"`{entry['grade']}` | {_counts(entry)} |")
    totals = {}
    for entry in entries:
        for item in entry["components"]:
            totals[item["label"]] = totals.get(item["label"], 0) + 1
    summary = ", ".join(f"{totals[label]} {label}" for label in LABELS if label in totals)
    kinds = ", ".join(f"{sum(e['kind'] == k and e['source'] == 'learner' for e in entries)} {k}" for k in KINDS)
    languages = ", ".join(f"{sum(e['language'] == lang and e['source'] == 'learner' for e in entries)} {lang}"
                          for lang in LANGUAGES)
    learners = sum(e["source"] == "learner" for e in entries)
    years = {}
    for entry in entries:
        if entry["source"] == "learner":
            year = entry.get("first_date", entry["date"])[:4]
            years[year] = years.get(year, 0) + 1
    by_year = ", ".join(f"{count} from {year}" for year, count in sorted(years.items()))
    lines.append("")
    lines.append(f"{len(entries)} entries: {learners} learners' repositories ({kinds}; {languages}; first commit: "
                 f"{by_year}) and {len(entries) - learners} versions of the book's code. Labelled components: "
                 f"{summary}.")
    return "\n".join(lines) + "\n"


def render_book_history(entries=None):
    """The Markdown table of the book's bug fixes (docs/corpus.md): each fix, the version before it, what was wrong."""
    entries = load() if entries is None else entries
    lines = ["| fixed by | on | published version graded | component | what the version before the fix does |",
             "| --- | --- | --- | --- | --- |"]
    for entry in entries:
        if entry["source"] != "book-history":
            continue
        if not entry.get("fixed_by"):
            lines.append(f"| – | – | `{entry['commit'][:7]}` ({entry['date']}) | – | {entry.get('notes', '')} |")
            continue
        fixed = [item for item in entry["components"] if entry["fixed_by"][:7] in item["evidence"]]
        for item in fixed or entry["components"][:1]:
            what = item.get("bug") or item["evidence"].split("; read: ")[-1].removeprefix("read: ")
            lines.append(f"| `{entry['fixed_by'][:7]}` | {entry.get('fix_date', '')} | `{entry['commit'][:7]}` "
                         f"({entry['date']}) | {item['component']} ({item['label']}) | {what} |")
    return "\n".join(lines) + "\n"


def render_bugs(entries=None, examples=3):
    """The Markdown table of confirmed bugs by component (docs/corpus.md), with a few of their one-line descriptions."""
    entries = load() if entries is None else entries
    found = {}
    for entry in entries:
        for item in entry["components"]:
            if item["label"] != "bug":
                continue
            row = found.setdefault(item["component"], {"learners": 0, "copies": 0, "book": 0, "seen": []})
            if entry["source"] != "learner":
                row["book"] += 1
                continue
            row["copies" if item.get("book_copy") else "learners"] += 1
            if not item.get("book_copy") and item["bug"] not in row["seen"]:
                row["seen"].append(item["bug"])
    lines = ["| component | learners' own bugs | in copies of old book code | in the book's versions | some of the "
             "learners' bugs |", "| --- | --- | --- | --- | --- |"]
    for component, row in sorted(found.items(), key=lambda kv: (-kv[1]["learners"], kv[0])):
        shown = "; ".join(row["seen"][:examples]).replace("|", "/")
        lines.append(f"| {component} | {row['learners']} | {row['copies']} | {row['book']} | {shown} |")
    return "\n".join(lines) + "\n"
