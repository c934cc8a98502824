"""Where each graded component came from, and what could not be read: the notes a learner reads.

The child process reading a learner's folder (checks/isolation/child/sandboxed/workspace.py)
answers with plain records: for each component and chapter checked, the file and cell
graded, the other definitions found and why they were not graded; and notes on what it
could not read (a notebook, a cell, an import). The checks' pytest processes leave them
in the private grading folder (`sources-<pid>.json`, conftest.py); `merge_sources` reads
them back, and `source_notes` says them in the learner's language. The records come
from the learner's side of the boundary: every field is checked for its type and every
text is capped before use.
"""

import json

from ..i18n import translator
from ..library.components import TABLE

__all__ = ["MAX_RECORDS", "merge_sources", "source_notes"]

_ = translator("grading")

MAX_RECORDS = 2000  # notes or resolutions kept from one run (a folder of 200 notebooks has a few hundred)
MAX_FAILED_STATEMENTS = 12  # statements that failed, named one by one; the rest are counted
_ORDER = {row.name: index for index, row in enumerate(TABLE)}
_TEXT = 300


def _clean(value, depth=0):
    """`value` if it is plain data of the expected shapes (texts capped), else None."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        return value[:_TEXT]
    if isinstance(value, list) and depth < 3:
        return [_clean(item, depth + 1) for item in value[:50]]
    if isinstance(value, dict) and depth < 3:
        return {str(key)[:40]: _clean(item, depth + 1) for key, item in list(value.items())[:40]}
    return None


def merge_sources(run_dir):
    """{"notes", "resolved", "defined"} from every `sources-*.json` in `run_dir`, each record once."""
    notes, resolved, seen, defined = [], {}, set(), set()
    for path in sorted(run_dir.glob("sources-*.json")):
        try:
            report = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(report, dict):
            continue
        for note in report.get("notes") or []:
            note = _clean(note)
            if not isinstance(note, dict) or not isinstance(note.get("kind"), str):
                continue
            key = json.dumps(note, sort_keys=True)
            if key not in seen and len(notes) < MAX_RECORDS:
                seen.add(key)
                notes.append(note)
        defined.update(name for name in report.get("defined") or [] if isinstance(name, str) and name in _ORDER)
        for record in report.get("resolved") or []:
            record = _clean(record)
            if not isinstance(record, dict) or not isinstance(record.get("component"), str):
                continue
            key = (record["component"], record.get("chapter"), record.get("extension"))
            if (key not in resolved or record.get("status") == "found") and len(resolved) < MAX_RECORDS:
                resolved[key] = record
    ordered = sorted(resolved.values(), key=lambda r: (_ORDER.get(r["component"], len(_ORDER)),
                                                        r.get("chapter") if isinstance(r.get("chapter"), int) else 0))
    return {"notes": notes, "resolved": ordered, "defined": sorted(defined, key=_ORDER.get)}


def _where(file, cell):
    return file if cell is None else f"{file}, cell {cell}"


def _reason(note):
    reason = note.get("reason")
    detail = note.get("detail") or ""
    texts = {
        "too_large": _("too large: {detail}", detail=detail),
        "empty": _("an empty file"),
        "encoding": _("not UTF-8 text"),
        "not_json": _("neither a notebook nor a Python script: {detail}", detail=detail),
        "not_notebook": _("not a Jupyter notebook: {detail}", detail=detail),
        "too_deep": _("nested too deeply to read"),
        "budget": _("over the total size the grader reads"),
    }
    return texts.get(reason, detail or str(reason))


def _reading_notes(notes):
    out, failed = [], []
    for note in notes:
        kind, file = note["kind"], note.get("file")
        if kind == "unreadable":
            out.append(_("{file} could not be read ({reason}): skipped, the rest was graded", file=file,
                         reason=_reason(note)))
        elif kind == "read_as_script":
            out.append(_("{file} is a Python script (percent format), not a notebook: read as a script", file=file))
        elif kind == "future_format":
            out.append(_("{file} is in nbformat {version}, newer than the grader knows: read as version 4",
                         file=file, version=note.get("version")))
        elif kind in ("cell_skipped", "file_skipped"):
            where = _where(file, note.get("cell"))
            if note.get("reason") == "syntax":
                out.append(_("{where} is not valid Python (line {line}): skipped", where=where,
                             line=note.get("line") or "?"))
            else:
                out.append(_("{where} could not be read ({reason}): skipped", where=where, reason=_reason(note)))
        elif kind == "statement_failed":
            failed.append(note)
        elif kind == "file_failed":
            out.append(_("{file} failed to import ({error}): its definitions were read one by one instead",
                         file=file, error=note.get("error")))
        elif kind == "unfinished":
            out.append(_("{where} did not finish loading (it hung or stopped the process): skipped",
                         where=_where(file, note.get("cell"))))
        elif kind == "other_volume":
            out.append(_("{folder} holds the code of another volume of the series: not read", folder=note.get("folder")))
        elif kind == "scan_limit":
            out.append(_("only part of the folder was read (limit: {limit} {what}); the rest was not graded",
                         limit=note.get("limit"), what=note.get("reason")))
    for note in failed[:MAX_FAILED_STATEMENTS]:
        out.append(_("{where}: `{statement}` failed ({error}); only what it defines is left undefined",
                     where=_where(note.get("file"), note.get("cell")), statement=note.get("statement"),
                     error=note.get("error")))
    if len(failed) > MAX_FAILED_STATEMENTS:
        out.append(_("… and {count} more statements that failed the same way", count=len(failed) - MAX_FAILED_STATEMENTS))
    return out


def _graded_notes(resolved):
    out, copied = [], {}
    by_component = {}
    for record in resolved:
        if record.get("status") == "found" and isinstance(record.get("file"), str):
            # the two TwoLayerNets (`ch04.TwoLayerNet`, `TwoLayerNet`) are one name to the learner
            by_component.setdefault(record["component"].rsplit(".", 1)[-1], []).append(record)
    for component, records in by_component.items():
        sources = {(r.get("file"), r.get("cell")) for r in records}
        for record in records:
            where = _where(record["file"], record.get("cell"))
            others = [o for o in record.get("others") or [] if isinstance(o, dict)]
            failed = [f for f in record.get("failed") or [] if isinstance(f, dict)]
            variants = [_where(v.get("file"), v.get("cell")) for v in record.get("variants") or [] if isinstance(v, dict)]
            copies = sorted({_where(o.get("file"), o.get("cell")) for o in others if o.get("why") == "copy"}
                            - set(variants))  # a copy typed into a notebook is graded too, as theirs
            chapters = sorted({_where(o.get("file"), o.get("cell")) for o in others if o.get("why") == "chapter"})
            if record.get("copy") and record.get("origin") != "notebook" and not variants:
                copied.setdefault(record["file"], set()).add(component)
                continue
            # a notebook, or a file that is not where the book keeps it: the learner may not expect it
            unexpected = record.get("origin") in ("notebook", "book_notebook", "file")
            if not (unexpected or copies or failed or variants or (chapters and len(sources) > 1)):
                continue
            name = component if len(sources) == 1 else _("{name} (chapter {chapter})", name=component,
                                                         chapter=record.get("chapter"))
            parts = [_("{name} graded from {where}", name=name, where=where)]
            if copies:
                parts.append(_("your own definition, not the copy of the book's published code in {files}",
                               files=", ".join(copies[:3])))
            if chapters and len(sources) > 1:
                parts.append(_("the one for this chapter (also defined in {files})", files=", ".join(chapters[:3])))
            if variants:
                more = len(variants) - 3
                parts.append(_("your other definitions, in {files}, were graded too", files=", ".join(variants[:3])
                               + (f" (+{more})" if more > 0 else "")))
            for failure in failed[:2]:
                parts.append(_("{where} could not be used: {error}", where=_where(failure.get("file"), failure.get("cell")),
                               error=" ".join(str(failure.get("error")).split())[:200]))
            out.append("; ".join(parts))
    for file, components in sorted(copied.items()):
        out.append(_("{names} graded from {file}, a copy of the book's published code (no definition of your own "
                     "was found)", names=", ".join(sorted(components, key=lambda c: _ORDER.get(c, 0))), file=file))
    # one definition resolved for two chapters (Affine in 5 and 7) is one note, said once
    return list(dict.fromkeys(out))


def source_notes(sources):
    """The learner's notes about what was read and graded from where (translated strings)."""
    return _graded_notes(sources.get("resolved", [])) + _reading_notes(sources.get("notes", []))
