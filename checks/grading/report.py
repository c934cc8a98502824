"""What a grading run writes: a text summary, Gradescope's results.json, JUnit XML.

Every file is written atomically (a temporary file in the same folder, fsynced, then
`os.replace`): a reader sees the previous file or the complete new one, never a part.
"""

import json
import os
import re
import tempfile
import xml.etree.ElementTree as ET
from fractions import Fraction
from pathlib import Path

__all__ = ["render_summary", "render_failures", "gradescope_results", "junit_xml", "write_atomic",
           "write_reports", "RESULTS_NAME", "JUNIT_NAME", "SUMMARY_NAME"]

RESULTS_NAME = "results.json"
JUNIT_NAME = "junit.xml"
SUMMARY_NAME = "summary.txt"
MESSAGE_LINES = 14
_OUTCOME_WORDS = {"passed": "passed", "wrong": "wrong", "not_attempted": "not attempted", "error": "error",
                  "deviation": "deviation"}


def _pts(value):
    return f"{float(value):.2f}"


def render_table(result):
    header = f"{'chapter':<40}{'points':>17}{'passed':>8}{'wrong':>7}{'not att.':>10}{'error':>7}{'dev.':>6}"
    lines = [header, "-" * len(header)]
    for chapter, title, earned, at_stake, counts in result.chapters():
        lines.append(f"{chapter:>2} {title:<37}{_pts(earned):>8} /{_pts(at_stake):>7}{counts['passed']:>8}"
                     f"{counts['wrong']:>7}{counts['not_attempted']:>10}{counts['error']:>7}{counts['deviation']:>6}")
    total = result.counts()
    lines.append("-" * len(header))
    lines.append(f"{'   total':<40}{_pts(result.exact_score):>8} /{_pts(result.exact_max_score):>7}"
                 f"{total['passed']:>8}{total['wrong']:>7}{total['not_attempted']:>10}{total['error']:>7}"
                 f"{total['deviation']:>6}")
    return "\n".join(lines)


def _shorten(message, limit=MESSAGE_LINES):
    lines = message.rstrip().splitlines()
    if len(lines) > limit:
        lines = lines[:limit] + [f"… ({len(lines) - limit} more lines)"]
    return "\n".join(lines)


def render_failures(result, limit=5):
    """The components losing the most points, each with its first diagnosis."""
    lost = {}
    for record in result.failures:
        entry = lost.setdefault(record.component, [Fraction(0), []])
        entry[0] += record.points
        entry[1].append(record)
    if not lost:
        return ""
    # root causes first: a component blocked by a failing prerequisite comes after it
    ranked = sorted(lost.items(), key=lambda item: (all(r.blocked_by for r in item[1][1]), -item[1][0], item[0]))
    lines = [f"Top failures ({min(limit, len(ranked))} of {len(ranked)} components, by points lost):"]
    for rank, (component, (points, records)) in enumerate(ranked[:limit], start=1):
        outcomes = sorted({_OUTCOME_WORDS[r.outcome] for r in records})
        lines.append(f"\n{rank}. {component}: {_pts(points)} points lost, {len(records)} failing check(s) "
                     f"({', '.join(outcomes)})")
        first = next((r for r in records if r.detail != "gated" and "not called again" not in r.message), records[0])
        lines.append(f"   {first.name}")
        lines.extend("   " + line for line in _shorten(first.message).splitlines())
    if len(ranked) > limit:
        rest = ", ".join(component for component, _ in ranked[limit:])
        lines.append(f"\n… and {len(ranked) - limit} more: {rest}")
    return "\n".join(lines)


def render_summary(result, failures=5):
    parts = [f"dlfs grade — {result.label} ({result.kind})", "", render_table(result), "",
             f"score: {_pts(result.exact_score)} / {_pts(result.exact_max_score)} ({result.percent:.1f}%) "
             f"in {result.execution_time:.1f} s"]
    blocked = [r for r in result.records if r.blocked_by]
    if blocked:
        names = sorted({name for r in blocked for name in r.blocked_by})
        parts.append(f"{len(blocked)} failing check(s) are blocked by prerequisites that fail their own checks: "
                     f"{', '.join(names)}")
    text = render_failures(result, failures)
    if text:
        parts += ["", text]
    if result.deviations:
        reasons = {}
        for record in result.deviations:
            reasons.setdefault(record.deviation, []).append(record.name)
        parts += ["", f"Not at stake ({len(result.deviations)} checks, declared in checks/library/deviations.py):"]
        for reason, names in reasons.items():
            shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
            parts.append(f"  - {shown}: {reason}")
    if result.notes:
        parts += ["", "Notes:"] + [f"  - {note}" for note in result.notes]
    return "\n".join(parts) + "\n"


# -- Gradescope -----------------------------------------------------------------------------
def gradescope_results(result):
    """The autograder results format (https://gradescope-autograders.readthedocs.io)."""
    tests = []
    index = {}
    for record in result.records:
        index[record.chapter] = index.get(record.chapter, 0) + 1
        if record.outcome == "passed":
            output = "passed"
        else:
            output = f"{_OUTCOME_WORDS[record.outcome].upper()}: {record.message}"
        tests.append({
            "name": f"ch{record.chapter} {record.name}",
            "number": f"{record.chapter}.{index[record.chapter]}",
            "score": round(float(record.earned), 6),
            "max_score": round(float(record.points), 6),
            "status": "passed" if record.outcome in ("passed", "deviation") else "failed",
            "output": output,
            "tags": [record.component, record.outcome],
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
                       "counts": result.counts(), "notes": list(result.notes)},
    }
    # per-test max_score summing exactly to max_score (largest remainder; checks/grading/gradescope.py)
    from .gradescope import exact_shares

    return exact_shares(results, result.max_score)


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
def write_atomic(path, text):
    """Write `text` to `path` so that readers never see a partial file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)  # mkstemp makes 0600; reports are for others to read
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def write_reports(result, out_dir):
    out_dir = Path(out_dir)
    write_atomic(out_dir / RESULTS_NAME, json.dumps(gradescope_results(result), indent=1, ensure_ascii=False) + "\n")
    write_atomic(out_dir / JUNIT_NAME, junit_xml(result))
    write_atomic(out_dir / SUMMARY_NAME, render_summary(result))
