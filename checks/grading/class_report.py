"""The class report of `grade-all`: one self-contained HTML page (build/grade-all/report.html).

What an instructor looks at to decide the next lecture: the score distribution, the
mean per chapter, each component's pass rate across the class (the share of graded
submissions passing every check of it), the most common diagnoses (which check
fails, in how many submissions, with one example of its message), and per component
how many students show each known mistake of the bug corpus, in words with the book's
section, and how many fail it in a way no known mistake describes
(checks/grading/misconceptions.py). Submissions that could not be graded are listed
with the reason. Every text from a submission is HTML-escaped. The page embeds its styles and its
chart (inline SVG): no script, no external resource, so it can be mailed or archived.
"""

import html
import json
from pathlib import Path

from .report import RESULTS_NAME, write_atomic

__all__ = ["CHAPTER_COLUMNS", "REPORT_NAME", "chapter_columns", "class_statistics", "render_report",
           "write_report"]

REPORT_NAME = "report.html"
CHAPTER_COLUMNS = tuple(f"ch{n}" for n in range(2, 9))
_BINS = 10


def chapter_columns(result):
    """{"ch2": earned points, ...} of a GradeResult, '' for chapters it did not grade (scores.csv columns)."""
    columns = dict.fromkeys(CHAPTER_COLUMNS, "")
    for chapter, _title, earned, _at_stake, _counts in result.chapters():
        key = f"ch{chapter}"
        if key in columns:
            columns[key] = f"{float(earned):.4f}"
    return columns


def _results(out_dir, name):
    try:
        return json.loads((Path(out_dir) / name / RESULTS_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _diagnosis(test):
    """The telling lines of a failing test's output: not the "<check> failed for <case> [impl: ...]" header."""
    lines = [line.strip() for line in test.get("output", "").splitlines() if line.strip()]
    if lines and " failed for " in lines[0] and len(lines) > 1:
        lines = lines[1:]
    return "\n".join(lines[:3])[:400] or test.get("status", "")


def class_statistics(rows, out_dir):
    """The numbers on the page, from the scores.csv rows and each graded submission's results.json."""
    graded = [row for row in rows if row.get("status") == "graded"]
    percents = [float(row["percent"]) for row in graded if row.get("percent") not in ("", None)]
    bins = [0] * _BINS
    for percent in percents:
        bins[min(_BINS - 1, int(percent // (100 / _BINS)))] += 1
    chapters = {}
    for column in CHAPTER_COLUMNS:
        values = [float(row[column]) for row in graded if row.get(column) not in ("", None)]
        if values:
            chapters[column] = sum(values) / len(values)
    components, diagnoses, mistakes = {}, {}, {}
    for row in graded:
        results = _results(out_dir, row.get("_folder") or row["submission"])  # batch.FOLDER_KEY: the escaped name
        if results is None:
            continue
        _count_mistakes(mistakes, results.get("extra_data") or {})
        per_component = {}
        for test in results.get("tests", []):
            tags = list(test.get("tags") or ()) + ["?", "?"]
            # [component, verdict] and, when it says more, how the check ended (report.py)
            component, outcome, detail = tags[0], tags[1], tags[2]
            per_component.setdefault(component, []).append((test.get("status") == "passed",
                                                            outcome != "not_attempted"))
            # not attempted is not a misconception: the diagnoses list what was written and is wrong;
            # a property check withheld by the credit rule ("gated") follows from another check's
            # failure and says nothing of its own
            if test.get("status") != "passed" and outcome != "not_attempted" and detail != "gated":
                check = test.get("name", "").rsplit("-", 1)[-1]
                entry = diagnoses.setdefault((component, check, outcome),
                                             {"submissions": set(), "example": _diagnosis(test)})
                entry["submissions"].add(row["submission"])
        for component, passes in per_component.items():
            stats = components.setdefault(component, {"passed": 0, "graded": 0, "attempted": 0,
                                                      "checks": len(passes)})
            stats["graded"] += 1
            stats["passed"] += all(passed for passed, _ in passes)
            stats["attempted"] += any(attempted for _, attempted in passes)
    top = sorted(diagnoses.items(), key=lambda item: (-len(item[1]["submissions"]), item[0]))
    return {
        "submissions": len(rows), "graded": len(graded),
        "not_graded": [(row["submission"], row.get("message", "")) for row in rows if row.get("status") != "graded"],
        "mean": sum(percents) / len(percents) if percents else None,
        "median": sorted(percents)[len(percents) // 2] if percents else None,
        "bins": bins, "chapters": chapters,
        "components": sorted(components.items(), key=lambda item: (item[1]["passed"] / item[1]["graded"], item[0])),
        "diagnoses": [(component, check, outcome, len(entry["submissions"]), entry["example"])
                      for (component, check, outcome), entry in top],
        "mistakes": sorted(mistakes.items(), key=lambda item: (-sum(e["count"] for e in item[1].values()), item[0])),
    }


_UNEXPLAINED = None  # the key of a component's failures no known mistake describes


def _count_mistakes(mistakes, extra):
    """Add one submission's known mistakes and unexplained components (results.json's extra_data,
    checks/grading/misconceptions.py) to `mistakes`: {component: {labels or None: entry}}."""
    for entry in extra.get("misconceptions") or ():
        if not isinstance(entry, dict) or not isinstance(entry.get("labels"), list):
            continue
        key = tuple(str(label) for label in entry["labels"])
        found = mistakes.setdefault(str(entry.get("component", "?")), {}).setdefault(
            key, {"count": 0, "mistakes": [str(m) for m in entry.get("mistakes") or ()],
                  "section": str(entry.get("section") or "")})
        found["count"] += 1
    for component in extra.get("unexplained") or ():
        found = mistakes.setdefault(str(component), {}).setdefault(_UNEXPLAINED, {"count": 0})
        found["count"] += 1


_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1100px;color:#1d2330;
padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d6dbe4}
.muted{color:#5c6578}.cards{display:flex;gap:1rem;flex-wrap:wrap}
.card{border:1px solid #d6dbe4;border-radius:8px;padding:.6rem 1rem;min-width:9rem}
.card b{display:block;font-size:1.5rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{text-align:left;padding:.3rem .5rem;
border-bottom:1px solid #eceff4;vertical-align:top}th{background:#f4f6f9}
.bar{background:#e8ecf2;border-radius:4px;height:.8rem;width:12rem;display:inline-block;vertical-align:middle}
.bar span{display:block;height:100%;border-radius:4px}
code{font-size:.85rem;white-space:pre-wrap}
td ul{margin:0;padding-left:1.2rem}
"""


def _bar(fraction):
    colour = "#2e9e5b" if fraction >= 0.75 else "#d49a1f" if fraction >= 0.4 else "#c8483c"
    return (f'<span class="bar"><span style="width:{100 * fraction:.0f}%;background:{colour}"></span></span>'
            f" {100 * fraction:.0f}%")


def _histogram(bins):
    width, height, pad = 640, 220, 30
    top = max(bins) or 1
    step = (width - 2 * pad) / len(bins)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + 40}" role="img" '
             f'aria-label="score distribution">']
    for i, count in enumerate(bins):
        h = (height - pad) * count / top
        x, y = pad + i * step, height - h
        parts.append(f'<rect x="{x + 3:.1f}" y="{y:.1f}" width="{step - 6:.1f}" height="{h:.1f}" fill="#3b6fd1">'
                     f"<title>{count} submission(s) at {i * 10}–{i * 10 + 10}%</title></rect>")
        if count:
            parts.append(f'<text x="{x + step / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
                         f'font-size="12">{count}</text>')
        parts.append(f'<text x="{x + step / 2:.1f}" y="{height + 16}" text-anchor="middle" font-size="11" '
                     f'fill="#5c6578">{i * 10}–{i * 10 + 10}</text>')
    parts.append(f'<line x1="{pad}" y1="{height}" x2="{width - pad}" y2="{height}" stroke="#9aa3b2"/>')
    parts.append(f'<text x="{width / 2}" y="{height + 34}" text-anchor="middle" font-size="12" '
                 f'fill="#5c6578">score (% of the points)</text></svg>')
    return "".join(parts)


def render_report(stats, title="dlfs grade-all: class report"):
    """The page (a str of HTML) for `class_statistics`' numbers."""
    esc = html.escape
    mean = "–" if stats["mean"] is None else f"{stats['mean']:.1f}%"
    median = "–" if stats["median"] is None else f"{stats['median']:.1f}%"
    out = [f"<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>{esc(title)}</title>"
           f"<style>{_STYLE}</style></head><body>", f"<h1>{esc(title)}</h1>",
           '<p class="muted">Each submission graded by the same checks as <code>make grade</code>; '
           "pass rate = share of graded submissions passing every check of a component; "
           "attempted = submissions where it is no longer a stub.</p>",
           '<div class="cards">',
           f'<div class="card">submissions<b>{stats["submissions"]}</b></div>',
           f'<div class="card">graded<b>{stats["graded"]}</b></div>',
           f'<div class="card">not graded<b>{len(stats["not_graded"])}</b></div>',
           f'<div class="card">mean<b>{mean}</b></div>', f'<div class="card">median<b>{median}</b></div>',
           "</div>", "<h2>Score distribution</h2>", _histogram(stats["bins"])]
    if stats["chapters"]:
        out.append("<h2>Mean points per chapter</h2><table><tr><th>chapter</th><th>mean points</th></tr>")
        out += [f"<tr><td>{esc(k)}</td><td>{v:.2f}</td></tr>" for k, v in stats["chapters"].items()]
        out.append("</table>")
    out.append("<h2>Pass rate per component (lowest first)</h2>"
               "<table><tr><th>component</th><th>passing</th><th>passed / graded</th><th>attempted</th>"
               "<th>checks</th></tr>")
    for component, s in stats["components"]:
        out.append(f"<tr><td>{esc(component)}</td><td>{_bar(s['passed'] / s['graded'])}</td>"
                   f"<td>{s['passed']} / {s['graded']}</td><td>{s['attempted']}</td><td>{s['checks']}</td></tr>")
    out.append("</table>")
    out += _render_mistakes(stats.get("mistakes") or [])
    out.append("<h2>Most common diagnoses</h2>"
               '<p class="muted">Failing checks of components the learners wrote (not attempted ones are '
               "left out), by the number of submissions failing them.</p>"
               "<table><tr><th>component</th><th>check</th>"
               "<th>outcome</th><th>submissions</th><th>example</th></tr>")
    if not stats["diagnoses"]:
        out.append('<tr><td colspan="5" class="muted">no failing check in any attempted component</td></tr>')
    for component, check, outcome, count, example in stats["diagnoses"][:15]:
        out.append(f"<tr><td>{esc(component)}</td><td>{esc(check)}</td><td>{esc(outcome.replace('_', ' '))}</td>"
                   f"<td>{count}</td><td><code>{esc(example)}</code></td></tr>")
    out.append("</table>")
    if stats["not_graded"]:
        out.append("<h2>Not graded</h2><table><tr><th>submission</th><th>why</th></tr>")
        out += [f"<tr><td>{esc(name)}</td><td>{esc(message)}</td></tr>" for name, message in stats["not_graded"]]
        out.append("</table>")
    out.append("</body></html>\n")
    return "\n".join(out)


def _students(count):
    return f"{count} student" + ("" if count == 1 else "s")


def _render_mistakes(mistakes):
    """The known mistakes per component: how many students show each, in words, with the book's section."""
    esc = html.escape
    out = ["<h2>What the class gets wrong: known mistakes per component</h2>",
           '<p class="muted">A student shows a known mistake when the failures of their component are exactly '
           "those of a mistake of the bug corpus (<code>checks/tools/mutants/</code>); failures matching none "
           "are counted as not explained by a known mistake, never forced onto one.</p>"]
    if not mistakes:
        out.append('<p class="muted">no failing component in any graded submission</p>')
        return out
    out.append('<table><tr><th>component</th><th>students: known mistake, book section</th></tr>')
    for component, entries in mistakes:
        lines = []
        ranked = sorted(entries.items(), key=lambda item: (item[0] is _UNEXPLAINED, -item[1]["count"], item[0] or ()))
        for key, entry in ranked:
            if key is _UNEXPLAINED:
                lines.append(f"<li><b>{_students(entry['count'])}</b>: {esc(component)} fails in a way no known "
                             f"mistake describes</li>")
                continue
            words = " <i>or</i> ".join(esc(mistake) for mistake in entry["mistakes"])
            section = f", {esc(entry['section'])}" if entry["section"] else ""
            lines.append(f"<li><b>{_students(entry['count'])}</b>: {esc(component)} {words}{section} "
                         f'<span class="muted">({esc(", ".join(key))})</span></li>')
        out.append(f"<tr><td>{esc(component)}</td><td><ul>{''.join(lines)}</ul></td></tr>")
    out.append("</table>")
    return out


def write_report(rows, out_dir):
    """Write `out_dir`/report.html for the scores.csv `rows`; returns its path."""
    path = Path(out_dir) / REPORT_NAME
    write_atomic(path, render_report(class_statistics(rows, out_dir)))
    return path
