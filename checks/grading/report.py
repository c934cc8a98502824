"""What a grading run writes: a text summary, Gradescope's results.json, JUnit XML.

Every file is written atomically (a temporary file in the same folder, fsynced, then
`os.replace`): a reader sees the previous file or the complete new one, never a part.
Every text is valid UTF-8 and capped in bytes (`safe_text.py`); results.json is written
first, and if building it fails, a plainer one (`error_results`) still says the score
reached and why the rest is missing.
"""

import json
import re
import xml.etree.ElementTree as ET
from fractions import Fraction
from pathlib import Path

from ..files import write_atomic
from ..i18n import N_, display_width, ljust, rjust, translator
from ..isolation.envelope import describe as describe_envelope
from ..library.outcomes import Outcome, Verdict
from .misconceptions import recognised, summary_lines
from .safe_text import MESSAGE_BYTES, safe_text, sanitize, terminal_line
from .shares import exact_shares

__all__ = ["render_summary", "render_failures", "next_step", "gradescope_results", "junit_xml", "write_atomic",
           "write_reports", "error_results", "write_error_results", "RESULTS_NAME", "JUNIT_NAME",
           "SUMMARY_NAME"]

RESULTS_NAME = "results.json"
JUNIT_NAME = "junit.xml"
SUMMARY_NAME = "summary.txt"
MESSAGE_LINES = 14
_ = translator("grading")
# the score table's columns: (heading, width); headings are translated, widths count terminal cells
_COLUMNS = ((N_("points"), 17), (N_("passed"), 8), (N_("wrong"), 7), (N_("not att."), 10), (N_("error"), 7),
            (N_("dev."), 6))


def _pts(value):
    return f"{float(value):.2f}"


def render_table(result):
    """The per-chapter score table, aligned in terminal cells (a CJK character takes two).

    Each column is as wide as in English, or wider when its translated heading needs it
    (one space always separates two headings).
    """
    widths = [max(width, display_width(_(name)) + 1) for name, width in _COLUMNS]
    first = max(40, display_width(_("chapter")) + 1)

    def row(label, earned, at_stake, counts):
        cells = [f"{_pts(earned):>8} /{_pts(at_stake):>7}"] + [str(counts[verdict.value]) for verdict in Verdict]
        return ljust(label, first) + "".join(rjust(cell, width) for cell, width in zip(cells, widths))

    header = ljust(_("chapter"), first) + "".join(rjust(_(name), width) for (name, _w), width in zip(_COLUMNS, widths))
    rule = "-" * display_width(header)
    lines = [header, rule]
    for chapter, title, earned, at_stake, counts in result.chapters():
        lines.append(row(f"{chapter:>2} {_(title)}", earned, at_stake, counts))
    lines += [rule, row("   " + _("total"), result.exact_score, result.exact_max_score, result.counts())]
    return "\n".join(lines)


def _shorten(message, limit=MESSAGE_LINES):
    lines = safe_text(message, MESSAGE_BYTES).rstrip().splitlines()
    if len(lines) > limit:
        lines = lines[:limit] + [_("… ({count} more lines)", count=len(lines) - limit)]
    return "\n".join(lines)


def _section_key(section):
    """(5, 4, 1) for "§5.4.1": sections compare in the book's order."""
    return tuple(int(part) for part in re.findall(r"\d+", section or ""))


def _failing_components(result):
    """[(component, points lost, records)] in the order a learner should fix them.

    Root causes first — a component with a wrong or erroring check of its own (not
    blamed on a prerequisite) —, then components not attempted yet, then those whose
    failures come from a failing prerequisite; within each, the book's order (chapter,
    then the section its first failing check cites, then as the checks are registered).
    """
    lost = {}
    for position, record in enumerate(result.failures):
        where = (record.chapter, _section_key(record.section), position)
        entry = lost.setdefault(record.component, [where, Fraction(0), []])
        entry[0] = min(entry[0], where)
        entry[1] += record.points
        entry[2].append(record)

    def tier(records):
        own = [r for r in records if not r.blocked_by and r.detail is not Outcome.GATED]
        if any(r.outcome in (Verdict.WRONG, Verdict.ERROR) for r in own):
            return 0
        if own:
            return 1
        return 2

    ranked = sorted(lost.items(), key=lambda item: (tier(item[1][2]), item[1][0]))
    return [(component, points, records) for component, (_, points, records) in ranked]


def _first_diagnosis(records):
    """The record whose message best explains the component: its own wrong or erroring check first."""
    def rank(record):
        if record.detail is Outcome.GATED or record.repeated:
            return 3
        if record.blocked_by:
            return 2
        return 0 if record.outcome in (Verdict.WRONG, Verdict.ERROR) else 1
    return min(records, key=rank)


def _state(records):
    outcomes = ({r.outcome for r in records if not r.blocked_by and r.detail is not Outcome.GATED}
                or {r.outcome for r in records})
    for outcome in (Verdict.WRONG, Verdict.ERROR, Verdict.NOT_ATTEMPTED):
        if outcome in outcomes:
            return _(outcome.word)
    return _("failing")


def next_step(result):
    """One line naming the component to fix next, or "" when nothing fails."""
    ranked = _failing_components(result)
    if not ranked:
        return ""
    component, _points, records = ranked[0]
    first = _first_diagnosis(records)
    lines = first.message.strip().splitlines()
    gist = lines[0] if lines else _(first.outcome.word)
    if len(gist) > 160:
        gist = gist[:157] + "…"
    if first.section:
        return _("next: {component} (chapter {chapter}, book {section}) — {state}: {gist}", component=component,
                 chapter=first.chapter, section=first.section, state=_state(records), gist=gist)
    return _("next: {component} (chapter {chapter}) — {state}: {gist}", component=component,
             chapter=first.chapter, state=_state(records), gist=gist)


def render_failures(result, limit=5):
    """The failing components in the order to fix them, each with its first diagnosis."""
    ranked = _failing_components(result)
    if not ranked:
        return ""
    lines = [_("Failures ({shown} of {total} components; wrong and erroring first, then not attempted, each in "
               "the book's order):", shown=min(limit, len(ranked)), total=len(ranked))]
    for rank, (component, points, records) in enumerate(ranked[:limit], start=1):
        outcomes = [_(outcome.word) for outcome in sorted({r.outcome for r in records}, key=lambda o: o.word)]
        label = _(" (next)") if rank == 1 else ""
        lines.append(f"\n{rank}. " + _("{component}{label}: {points} points lost, {count} failing check(s) "
                                        "({outcomes})", component=component, label=label, points=_pts(points),
                                        count=len(records), outcomes=", ".join(outcomes)))
        first = _first_diagnosis(records)
        lines.append(f"   {first.name}")
        lines.extend("   " + line for line in _shorten(first.message).splitlines())
    if len(ranked) > limit:
        rest = ", ".join(component for component, _points, _records in ranked[limit:])
        lines.append("\n" + _("… and {count} more: {rest}", count=len(ranked) - limit, rest=rest))
    return "\n".join(lines)


def render_summary(result, failures=5):
    # the label may hold a folder's name: one line, so it cannot fake the lines below it
    parts = [terminal_line(f"dlfs grade — {result.label} ({result.kind})")]
    step = next_step(result)
    if step:
        parts.append(step)
    # -- known mistakes (checks/grading/misconceptions.py) --
    parts += summary_lines(recognised(result.records)[0])
    parts += ["", render_table(result), "",
              _("score: {score} / {max_score} ({percent}%) in {seconds} s", score=_pts(result.exact_score),
                max_score=_pts(result.exact_max_score), percent=format(result.percent, ".1f"),
                seconds=format(result.execution_time, ".1f"))]
    if result.boundary:
        parts.append(_("isolation: {boundary}", boundary=result.boundary))
    if getattr(result, "envelope", ()):
        parts.append(_("limits: {limits}", limits=describe_envelope(*result.envelope, translate=_)))
    elif getattr(result, "limits", ""):
        parts.append(_("limits: {limits}", limits=result.limits))
    blocked = [r for r in result.records if r.blocked_by]
    if blocked:
        names = sorted({name for r in blocked for name in r.blocked_by})
        parts.append(_("{count} failing check(s) are blocked by prerequisites that fail their own checks: {names}",
                       count=len(blocked), names=", ".join(names)))
    text = render_failures(result, failures)
    if text:
        parts += ["", text]
    if result.deviations:
        reasons = {}
        for record in result.deviations:
            reasons.setdefault(record.deviation, []).append(record.name)
        parts += ["", _("Not at stake ({count} checks, each with its reason):", count=len(result.deviations))]
        for reason, names in reasons.items():
            shown = ", ".join(names[:3]) + (_(" and {count} more", count=len(names) - 3) if len(names) > 3 else "")
            parts.append(f"  - {shown}: {_(reason)}")
    notes = [*result.notes, *(_tolerated_note(tolerated, names) for tolerated, names in result.tolerated)]
    if notes:
        parts += ["", _("Notes:")] + [f"  - {safe_text(note, MESSAGE_BYTES)}" for note in notes]
    return safe_text("\n".join(parts) + "\n")


def _tolerated_note(tolerated, names):
    """The summary's note for a deviation the checks accepted (see checks/library/outcomes.py, `Tolerated`)."""
    if tolerated.where:
        return _("tolerated, not penalized — {component}: {reason} (at {where}; accepted by {count} check(s))",
                 component=tolerated.component, reason=_(tolerated.reason), where=tolerated.where, count=len(names))
    return _("tolerated, not penalized — {component}: {reason} (accepted by {count} check(s))",
             component=tolerated.component, reason=_(tolerated.reason), count=len(names))


def _tolerated_data(result):
    """results.json's extra_data["tolerated"]: each tolerated deviation, in English (a machine-read field;
    the summary in `output` says it in the learner's language)."""
    return [{"component": tolerated.component, "reason": str(tolerated.reason), "where": tolerated.where,
             "checks": names} for tolerated, names in result.tolerated]


def _labelled(record):
    """A failing record's output, its outcome said once ("NOT ATTEMPTED: …", never twice)."""
    word = _(record.outcome.word).upper()
    message = record.message.strip()
    if message.upper().startswith(f"{word}:"):
        return message
    return f"{word}: {message}" if message else word


# -- Gradescope -----------------------------------------------------------------------------
def _tags(record):
    """A test's tags: the component, the verdict and, when it says more, how the check ended
    ("timeout", "gated", …), so that the class report leaves the credit rule's withheld property
    checks out of its diagnoses (they follow from another check's failure)."""
    detail = getattr(record.detail, "value", record.detail)
    return [record.component, record.outcome.value] + ([detail] if detail != record.outcome.value else [])


def gradescope_results(result):
    """The autograder results format (https://gradescope-autograders.readthedocs.io)."""
    tests = []
    index = {}
    for record in result.records:
        index[record.chapter] = index.get(record.chapter, 0) + 1
        if record.outcome == "passed":
            output = _("passed")
        else:
            output = safe_text(_labelled(record), MESSAGE_BYTES)
        tests.append({
            "name": f"ch{record.chapter} {record.name}",
            "number": f"{record.chapter}.{index[record.chapter]}",
            "score": round(float(record.earned), 6),
            "max_score": round(float(record.points), 6),
            "status": "failed" if record.outcome.failing else "passed",
            "output": output,
            "tags": _tags(record),
            "visibility": "visible",
        })
    results = {
        "score": result.score,
        "max_score": result.max_score,
        "execution_time": round(result.execution_time, 2),
        "output": render_summary(result),
        "output_format": "text",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
        "extra_data": {"impl": result.label, "kind": result.kind, "percent": round(result.percent, 2),
                       "counts": result.counts(), "notes": list(result.notes), "tolerated": _tolerated_data(result),
                       "isolation": result.boundary, "limits": getattr(result, "limits", "")},
    }
    # -- known mistakes (checks/grading/misconceptions.py): labels in English, for instructors --
    matched, unexplained = recognised(result.records)
    results["extra_data"].update(misconceptions=matched, unexplained=unexplained)
    # per-test max_score summing exactly to max_score (largest remainder; checks/grading/shares.py)
    return sanitize(exact_shares(results, result.max_score))


def _not_graded(reason, components=None, chapters=None):
    """Every check of the suite (or of the components and chapters given) as a results.json test: 0
    points of its share, failed, with `reason` (outcome `not_graded`, verdict error). Points as for
    a package (every check at stake)."""
    from .scoring import _check_table
    from .points import points_for

    table = _check_table("package")
    points = points_for((key, chapter, check.__name__, deviation is None)
                        for key, (check, case, chapter, deviation) in table.items())
    tests, index = [], {}
    for key, (check, case, chapter, _deviation) in table.items():
        if (components and case.component not in components) or (chapters and chapter not in chapters):
            continue
        index[chapter] = index.get(chapter, 0) + 1
        verdict = Outcome.NOT_GRADED.verdict
        word = _(verdict.word).upper()
        tests.append({"name": f"ch{chapter} {case.id}-{check.__name__}", "number": f"{chapter}.{index[chapter]}",
                      "score": 0.0, "max_score": round(float(points[key]), 6), "status": "failed",
                      "output": safe_text(f"{word}: " + _("not graded: {reason}", reason=reason), MESSAGE_BYTES),
                      "tags": [case.component, verdict.value],
                      "visibility": "visible"})
    return tests


def error_results(reason, result=None, execution_time=0.0, *, components=None, chapters=None):
    """A plain, always valid results.json payload: the points reached (if any) and why grading stopped.

    `result` is a GradeResult whose full report could not be built: every check reached
    keeps its verdict. None when nothing was graded: then every check (of `components`
    and `chapters` when given) is listed with 0 points and the reason, out of its usual
    share, so the learner and the instructor see what was at stake.
    """
    tests, score, max_score = [], 0.0, 0.0
    if result is not None:
        score, max_score, execution_time = result.score, result.max_score, result.execution_time
        for record in result.records:
            try:
                tests.append({"name": f"ch{record.chapter} {record.name}", "score": round(float(record.earned), 6),
                              "max_score": round(float(record.points), 6),
                              "status": "failed" if record.outcome.failing else "passed",
                              "output": safe_text(f"{_(record.outcome.word)}: {record.message}", MESSAGE_BYTES),
                              "tags": _tags(record), "visibility": "visible"})
            except Exception:  # one unreadable record must not cost the others
                continue
    else:
        try:
            tests = _not_graded(reason, components, chapters)
        except Exception:  # the list of checks is a courtesy: the reason alone still makes a valid file
            tests = []
        max_score = round(sum(test["max_score"] for test in tests), 4)
    if result is None:
        output = _("Grading could not run: {reason}", reason=reason)
    else:
        output = _("Grading stopped before its report was complete: {reason}", reason=reason)
        output += "\n" + _("score reached: {score} / {max_score} (every verdict reached is kept)",
                           score=format(score, ".2f"), max_score=format(max_score, ".2f"))
    return sanitize({"score": score, "max_score": max_score, "execution_time": round(float(execution_time), 2),
                     "output": output, "output_format": "text", "visibility": "visible",
                     "stdout_visibility": "hidden", "tests": tests,
                     "extra_data": {"error": reason, "graded": result is not None}})


# -- JUnit XML ---------------------------------------------------------------------------------
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text):
    return _INVALID_XML.sub("\ufffd", str(text))


def junit_xml(result):
    counts = result.counts()
    suites = ET.Element("testsuites")
    suite = ET.SubElement(suites, "testsuite", {
        "name": f"dlfs grade {result.label}", "tests": str(len(result.records)),
        "failures": str(counts["wrong"] + counts["not_attempted"]), "errors": str(counts["error"]),
        "skipped": str(counts["deviation"]), "time": f"{result.execution_time:.3f}"})
    properties = ET.SubElement(suite, "properties")
    for name, value in (("score", result.score), ("max_score", result.max_score),
                        ("percent", round(result.percent, 2))):
        ET.SubElement(properties, "property", {"name": name, "value": str(value)})
    for record in result.records:
        case = ET.SubElement(suite, "testcase", {
            "classname": _xml_text(f"chapter{record.chapter}.{record.component}"),
            "name": _xml_text(record.name), "time": f"{record.duration:.3f}"})
        case_properties = ET.SubElement(case, "properties")
        for name, value in (("points", float(record.points)), ("earned", float(record.earned)),
                            ("outcome", record.outcome), ("detail", record.detail)):
            ET.SubElement(case_properties, "property", {"name": name, "value": _xml_text(value)})
        first = _xml_text(record.message.strip().splitlines()[0] if record.message.strip() else record.outcome)
        if record.outcome in ("wrong", "not_attempted"):
            element = ET.SubElement(case, "failure", {"type": record.outcome, "message": first[:500]})
            element.text = _xml_text(record.message)
        elif record.outcome == "error":
            element = ET.SubElement(case, "error", {"type": record.detail, "message": first[:500]})
            element.text = _xml_text(record.message)
        elif record.outcome == "deviation":
            ET.SubElement(case, "skipped", {"message": first[:500]})
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


# -- writing ----------------------------------------------------------------------------------
def _dump(payload):
    return json.dumps(payload, indent=1, ensure_ascii=False, allow_nan=False) + "\n"


def write_error_results(out_dir, reason, result=None, execution_time=0.0, *, components=None, chapters=None):
    """Write `error_results` as results.json in `out_dir`."""
    write_atomic(Path(out_dir) / RESULTS_NAME, _dump(error_results(safe_text(reason, MESSAGE_BYTES), result,
                                                                   execution_time, components=components,
                                                                   chapters=chapters)))


def write_reports(result, out_dir):
    """Write results.json, junit.xml and summary.txt; returns the problems met ([] when none).

    results.json comes first and always exists afterwards: if the full report cannot be
    built, `error_results` replaces it. A failing junit.xml or summary.txt is reported,
    not raised. Only a folder that cannot be written at all raises (OSError).
    """
    out_dir = Path(out_dir)
    problems = []
    try:
        text = _dump(gradescope_results(result))
    except Exception as error:
        problems.append(f"the full report could not be built ({type(error).__name__}: {error})")
        write_error_results(out_dir, problems[-1], result)
    else:
        write_atomic(out_dir / RESULTS_NAME, text)
    for name, build in ((JUNIT_NAME, junit_xml), (SUMMARY_NAME, render_summary)):
        try:
            write_atomic(out_dir / name, build(result))
        except Exception as error:
            problems.append(f"{name} could not be written ({type(error).__name__}: {error})")
    return problems
