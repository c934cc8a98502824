"""report.md and report.html: the environment, the summary table, the published-weights table, one section per
experiment (with, over several seeds, each criterion's distribution beside its threshold).

Both documents are rendered from the same outcomes and results document; report.html
is self-contained (the PNGs are embedded as data: URIs), so it can be mailed or
attached to a CI run as one file.
"""

import base64
import html
import re
from pathlib import Path

from . import bands as bands_module
from .claims.ch03 import SAMPLE_WEIGHT_CORRECT, SAMPLE_WEIGHT_UNNORMALIZED_CORRECT
from .claims.ch07 import BOOK_SIMPLE_CONVNET_ACCURACY
from .claims.ch08 import BOOK_DEEP_CONVNET_ACCURACY
from .seed_figures import distribution_file, draw_distribution
from .texts import N_, _, language
from .verdict import threshold_text

__all__ = ["write_report", "render_markdown", "render_html", "published_weights_rows", "summary_rows", "seed_text",
           "seed_list", "draw_seed_figures", "REPORT_MD", "REPORT_HTML"]

REPORT_MD = "report.md"
REPORT_HTML = "report.html"

_EXPLANATION = N_("The book's text reports its authors' own training runs; the parameter files published "
                "with the book's code come from a different, shorter run. The verdicts pin what the published "
                "files give (exact counts, confirmed by an independent forward pass); "
                "`make reproduce REPRODUCE_ARGS=--train-convnets` (hours of CPU) retrains both "
                "networks to check the book's figures themselves.")


def seed_text(outcome):
    """How the outcome's data depends on a seed: the seed(s) passed to its experiment calls, or none."""
    seeds = outcome.seeds
    if not seeds:
        return _("none (deterministic: no random numbers are drawn)")
    if len(seeds) == 1:
        return _("{seeds} (np.random.seed at the start of each experiment call; rerun with --seed N for another)",
                 seeds=seeds[0])
    return _("{count} seeds, {seeds}: one run each (np.random.seed at the start of each experiment call); the "
             "measured values and figures below are the first seed's", count=len(seeds), seeds=seed_list(seeds))


def seed_list(seeds):
    """0–19 for a run of consecutive seeds, else 0, 3, 7."""
    seeds = list(seeds)
    if len(seeds) > 2 and seeds == list(range(seeds[0], seeds[0] + len(seeds))):
        return f"{seeds[0]}–{seeds[-1]}"
    return ", ".join(map(str, seeds))


def _seconds(s):
    return _("{seconds:.0f} s", seconds=s) if s < 600 else _("{minutes:.0f} min", minutes=s / 60)


def summary_rows(outcomes):
    """(experiment, source, book claim, measured, verdict, time) per outcome."""
    rows = []
    for o in outcomes:
        c = o.claim
        source = f"ch{c.chapter:02d} {c.section}, {c.scripts[0]}"
        if o.status == "SKIPPED":
            rows.append((c.name, source, _(c.book_value), o.skipped_reason, "SKIPPED", "–"))
        elif o.status == "NOT RUN":
            rows.append((c.name, source, _(c.book_value), o.not_run_reason, "NOT RUN", "–"))
        else:
            rows.append((c.name, source, _(c.book_value), o.verdict.summary, o.status,
                         _seconds(o.run_seconds + o.figure_seconds)))
    return rows


def _measured(outcomes, name):
    for o in outcomes:
        if o.claim.name == name and o.verdict is not None:
            return o.verdict.measured
    return None


def published_weights_rows(outcomes):
    """(weights, network, measured here, the book, verdict) for the book's weight files that were run."""
    rows = []
    m = _measured(outcomes, "ch03_sample_weights")
    if m is not None:
        rows.append(("ch03/sample_weight.pkl", _("3-layer sigmoid net, normalize=True"),
                     f"{m['accuracy_one_by_one']:.4f} ({m['n_correct_one_by_one']}/10000)",
                     _("{fraction:.4f} (printed, exact)", fraction=SAMPLE_WEIGHT_CORRECT / 10000),
                     _("exact match") if m["n_correct_one_by_one"] == SAMPLE_WEIGHT_CORRECT else "MISMATCH"))
        rows.append(("ch03/sample_weight.pkl", _("same, normalize=False (pixels 0–255)"),
                     f"{m['accuracy_unnormalized']:.4f} ({m['n_correct_unnormalized']}/10000)",
                     _("{fraction:.4f} (exact)", fraction=SAMPLE_WEIGHT_UNNORMALIZED_CORRECT / 10000),
                     _("exact match") if m["n_correct_unnormalized"] == SAMPLE_WEIGHT_UNNORMALIZED_CORRECT else "MISMATCH"))
    m = _measured(outcomes, "ch07_simple_convnet")
    if m is not None:
        rows.append(("ch07/params.pkl", "SimpleConvNet, float64",
                     f"{m['accuracy']:.4f} ({m['n_correct']}/{m['n_images']})",
                     _("≈{book:.2f} (the book's text, its own 20-epoch run)", book=m["book_text_accuracy"]),
                     _("published file lower, as pinned")))
    m = _measured(outcomes, "ch08_deep_convnet")
    if m is not None:
        n = m["n_images"]
        rows.append(("ch08/deep_convnet_params.pkl", "DeepConvNet, float64",
                     f"{m['accuracy_float64']:.4f} ({m['n_correct_float64']}/{n})",
                     _("≈{book:.3f} (the book's text, its own run)", book=m["book_text_accuracy"]),
                     _("published file lower, as pinned")))
        rows.append(("ch08/deep_convnet_params.pkl", "DeepConvNet, float16 (half_float_network)",
                     f"{m['accuracy_float16']:.4f} ({m['n_correct_float16']}/{n})",
                     _("barely changes vs float64"),
                     f"Δ = {m['accuracy_float16'] - m['accuracy_float64']:+.4f}"))
    for name, label in (("ch07_simple_convnet_training", N_("SimpleConvNet trained here")),
                        ("ch08_deep_convnet_training", N_("DeepConvNet trained here"))):
        m = _measured(outcomes, name)
        if m is not None:
            rows.append((_("(none: trained by this run)"), _(label), f"{m['final_test_acc']:.4f}",
                         f"≈{BOOK_SIMPLE_CONVNET_ACCURACY}" if name.startswith("ch07") else f"≈{BOOK_DEEP_CONVNET_ACCURACY}",
                         _("see its section")))
    return rows


def _environment_line(e):
    blas = e["blas"]
    git = e.get("git")
    code = (_("dlfs {version} at commit {commit}{dirty}", version=e["dlfs"], commit=git["commit"][:10],
              dirty=_(" (with uncommitted changes)") if git["dirty"] else "") if git
            else _("dlfs {version} (not a git checkout)", version=e["dlfs"]))
    return _("Environment: Python {python}, NumPy {numpy}, {blas} {blas_version} ({kernel} kernel, {threads} "
             "thread(s)), CPU {cpu}, {os}; matplotlib {matplotlib}; {code}; data manifest {manifest}…; dtype {dtype}.",
             python=e["python"]["version"], numpy=e["numpy"], blas=blas["library"], blas_version=blas["version"],
             kernel=blas["kernel"] or "?", threads=blas["threads"] if blas["threads"] is not None else "?",
             cpu=e["cpu"]["model"], os=e["os"]["platform"], matplotlib=e["matplotlib"], code=code,
             manifest=e["data_manifest"][:12], dtype=e["dtype"])


def _run_lines(document):
    run, t = document["run"], document["timings"]
    flags = [f for f, on in (("--quick", run["quick"]), ("--full-numerical", run["full_numerical"]),
                             ("--train-convnets", run["train_convnets"])) if on]
    counts = run["verdicts"]
    tier = _("quick (small budgets, for smoke runs)") if run["quick"] else _("book sizes")
    tally = f"**{counts['PASS']} PASS**, **{counts['FAIL']} FAIL**, {counts['SKIPPED']} SKIPPED"
    seeds = run["seeds"]
    seed_words = (_("seed **{seed}**", seed=seeds[0]) if len(seeds) == 1
                  else _("**{count} seeds** ({seeds})", count=len(seeds), seeds=seed_list(seeds)))
    return [
        _("Implementation: **{impl}**", impl=run["impl"]),
        _("Tier: **{tier}**; {seeds}; flags: {flags}", tier=tier, seeds=seed_words, flags=" ".join(flags) or _("none"))
        + (_("; only: {names}", names=", ".join(run["only"])) if run["only"] else ""),
        _environment_line(document["environment"]),
        _("Started {created}; total {total}.", created=document["created"], total=_seconds(t["total_seconds"])),
        (_("Verdicts: {counts}, **{not_run} NOT RUN** (components not written yet).", counts=tally,
           not_run=counts["NOT RUN"]) if counts["NOT RUN"] else _("Verdicts: {counts}.", counts=tally)),
    ]


def _md_table(header, rows):
    def cell(x):
        return str(x).replace("|", "\\|").replace("\n", " ")
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _column in header) + "|"]
    lines += ["| " + " | ".join(cell(x) for x in row) + " |" for row in rows]
    return lines


def _summary_header():
    return (_("experiment"), _("source"), _("book claim"), _("measured"), _("verdict"), _("time"))


def _weights_header():
    return (_("weights file"), _("network"), _("measured here (published file)"), _("the book"), "")


def _title():
    return _("Deep Learning from Scratch — reproduction report")


def _weights_title():
    return _("The published weights against the book's text")


def _summary_title():
    return _("Summary")


def _claim_lines(c):
    """Where the claim comes from, what the book shows, how it is measured (markdown: **bold**, `code`)."""
    return [_("**Source:** {source}; {scripts}", source=_source(c), scripts=", ".join(f"`{s}`" for s in c.scripts)),
            _("**The book:** {text}", text=_(c.book)), _("**How it is measured:** {text}", text=_(c.method))]


def _judged_lines(o):
    """The tolerance and why, the seed and the experiment calls of a judged outcome (markdown)."""
    calls = "; ".join(f"`{call.function}({_kwargs(call.kwargs)})`" for call in o.calls.values())
    return [_("**Tolerance and why:** {text}", text=_(o.claim.tolerance)), _("**Seed:** {text}", text=seed_text(o)),
            _("**Calls:** {calls}", calls=calls)]


def _source(c):
    return _("chapter {chapter}, {section}", chapter=c.chapter, section=c.section)


def render_markdown(outcomes, document):
    """report.md's text, in the current language (the verdict words, code, numbers and sections as they are)."""
    out = [f"# {_title()}", ""]
    out += [f"- {line}" for line in _run_lines(document)]
    out += ["", _("Each section below gives the book's claim and where it comes from, how it is measured here, "
                  "the tolerance and why, and the verdict; the figures are drawn from the same data the verdict "
                  "judged (results.json records each figure's data SHA-256)."), "", f"## {_summary_title()}", ""]
    out += _md_table(_summary_header(), [(f"[{r[0]}](#{r[0]})",) + r[1:4] + (f"**{r[4]}**", r[5])
                                         for r in summary_rows(outcomes)])
    weights = published_weights_rows(outcomes)
    if weights:
        out += ["", f"## {_weights_title()}", ""]
        out += _md_table(_weights_header(), weights)
        out += ["", _(_EXPLANATION)]
    for o in outcomes:
        c = o.claim
        out += ["", f'<a id="{c.name}"></a>', "", f"## {c.name}: {_(c.title)}", ""]
        for line in _claim_lines(c):
            out += [line, ""]
        if o.status == "SKIPPED":
            out += [_("**Verdict: {verdict}** ({reason})", verdict="SKIPPED", reason=o.skipped_reason)]
            continue
        if o.status == "NOT RUN":
            out += [_("**Verdict: {verdict}** ({reason})", verdict="NOT RUN", reason=o.not_run_reason)]
            continue
        out += [_("**Measured:**"), ""]
        for key, value in o.verdict.measured.items():
            out.append(f"- {key}: {_fmt(value)}")
        out += ["", _("**Criteria:**"), ""]
        out += [f"- {'✔' if cr.ok else '✘'} {cr.text}" for cr in o.verdict.criteria]
        for line in _judged_lines(o):
            out += ["", line]
        out += ["", _("**Verdict: {verdict}** ({reason})", verdict=o.status,
                      reason=_seconds(o.run_seconds + o.figure_seconds))]
        for fig in o.figures:
            caption = _(fig.caption)
            out += ["", f"![{caption}]({fig.file})", "",
                    _("*{caption}* (data SHA-256 `{digest}…`)", caption=caption, digest=fig.data_sha256[:16])]
        entry = document["experiments"][c.name]
        if len(o.seeds) > 1:
            out += ["", _("**Over the seeds:**"), ""]
            out += _md_table(_seeds_header(), _seeds_rows(entry["distribution"], _bands_of(document, c.name)))
            if entry.get("distribution_figure"):
                caption = _seeds_caption()
                out += ["", f"![{caption}]({entry['distribution_figure']})", "", f"*{caption}*"]
    out += [""]
    return "\n".join(out)


def _seeds_header():
    return (_("criterion"), _("value"), _("held"), "min", _("median"), "max", _("threshold"), _("band (bands.json)"))


def _seeds_caption():
    return _("Each measured value over the seeds (a point per seed, red where its criterion failed), its threshold "
             "(red line, the failing side shaded) and its committed band (grey: the values over seeds that justify "
             "the threshold).")


def _bands_of(document, claim):
    """{(criterion id, label): band} of ``claim`` at the run's tier (empty when bands.json has none)."""
    entry = bands_module.entry(bands_module.load(), document["run"]["tier"], claim) or {}
    return {(criterion, label): value for criterion, row in entry.get("criteria", {}).items()
            for label, value in row["values"].items()}


def _number(x):
    return "–" if x is None else f"{x:.4g}"


def _seeds_rows(distribution, bands):
    """One row per criterion value: its criterion, label, pass rate, min / median / max, threshold and band."""
    rows = []
    for criterion, row in distribution.items():
        held = f"{sum(row['held'])}/{len(row['held'])}"
        if not row["values"]:
            rows.append((row["rule"], "", held, "", "", "", "", ""))
        for label, v in row["values"].items():
            threshold = threshold_text(v["op"], v["threshold"])
            band = bands.get((criterion, label))
            shown = (_("{low:.4g} to {high:.4g} ({count} seeds)", low=band["min"], high=band["max"],
                       count=len(band["per_seed"])) if band and band["min"] is not None else "–")
            rows.append((criterion, label, held, _number(v["min"]), _number(v["median"]), _number(v["max"]),
                         threshold, shown))
    return rows


def draw_seed_figures(outcomes, document, folder):
    """Draw each claim's distribution over several seeds into ``folder``; records the files in ``document``."""
    for o in outcomes:
        entry = document["experiments"].get(o.claim.name, {})
        if len(o.seeds) > 1 and entry.get("distribution"):
            file = distribution_file(o.claim.name)
            if draw_distribution(o.claim.name, entry["distribution"], _bands_of(document, o.claim.name),
                                 Path(folder) / file):
                entry["distribution_figure"] = file


def _kwargs(kwargs):
    return ", ".join(f"{k}={v!r}" for k, v in kwargs.items())


def _fmt(value):
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, list) and len(value) > 12:
        return "[" + ", ".join(_fmt(v) for v in value[:12]) + f", … ({len(value)} values)]"
    if isinstance(value, list):
        return "[" + ", ".join(_fmt(v) for v in value) + "]"
    return str(value)


# --- HTML ---------------------------------------------------------------------------------

_CSS = """
body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
.PASS { color: #0a6b0a; font-weight: bold; } .FAIL { color: #b00020; font-weight: bold; }
.SKIPPED { color: #777; } .NOT.RUN { color: #a15c00; font-weight: bold; }
img { max-width: 100%; border: 1px solid #ddd; margin: 0.5em 0; }
code { background: #f5f5f5; padding: 0 3px; }
figcaption { font-style: italic; font-size: 0.9em; color: #555; }
section { border-top: 2px solid #eee; margin-top: 2em; }
"""


def _inline(text):
    """Escape ``text`` and render its `code` spans and **bold** as HTML."""
    text = html.escape(str(text))
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
    return re.sub(r"\*\*([^*]+)\*\*", r"<b>\1</b>", text)


def _html_table(header, rows, status_col=None, html_cols=()):
    """A table; cells of ``html_cols`` are HTML already, the others are escaped."""
    out = ["<table><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in header) + "</tr>"]
    for row in rows:
        cells = []
        for i, x in enumerate(row):
            cls = f' class="{html.escape(str(x))}"' if i == status_col else ""
            cells.append(f"<td{cls}>{x if i in html_cols else _inline(x)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def render_html(outcomes, document, folder):
    """report.html's text, with the PNGs of ``folder`` embedded."""
    out = ["<!DOCTYPE html>", f'<html lang="{language()}"><head><meta charset="utf-8">',
           f"<title>{html.escape(_title())}</title>", f"<style>{_CSS}</style></head><body>",
           f"<h1>{html.escape(_title())}</h1>", "<ul>"]
    out += [f"<li>{_inline(line)}</li>" for line in _run_lines(document)]
    out += ["</ul>", f"<h2>{html.escape(_summary_title())}</h2>"]
    rows = [(f'<a href="#{html.escape(r[0])}">{html.escape(r[0])}</a>',) + r[1:] for r in summary_rows(outcomes)]
    out.append(_html_table(_summary_header(), rows, status_col=4, html_cols=(0,)))
    weights = published_weights_rows(outcomes)
    if weights:
        out += [f"<h2>{html.escape(_weights_title())}</h2>",
                _html_table(_weights_header(), weights), f"<p>{_inline(_(_EXPLANATION))}</p>"]
    for o in outcomes:
        c = o.claim
        out += [f'<section id="{html.escape(c.name)}">', f"<h2>{html.escape(c.name)}: {html.escape(_(c.title))}</h2>"]
        out += [f"<p>{_inline(line)}</p>" for line in _claim_lines(c)]
        if o.status in ("SKIPPED", "NOT RUN"):
            reason = o.skipped_reason if o.status == "SKIPPED" else o.not_run_reason
            out += [f"<p>{_verdict_html(o.status, reason)}</p>", "</section>"]
            continue
        out.append(_html_table((_("measured"), _("value")), [(k, _fmt(v)) for k, v in o.verdict.measured.items()]))
        out.append("<ul>" + "".join(f"<li>{'✔' if cr.ok else '✘'} {_inline(cr.text)}</li>"
                                    for cr in o.verdict.criteria) + "</ul>")
        out += [f"<p>{_inline(line)}</p>" for line in _judged_lines(o)]
        out += [f"<p>{_verdict_html(o.status, _seconds(o.run_seconds + o.figure_seconds))}</p>"]
        for fig in o.figures:
            encoded = base64.b64encode((Path(folder) / fig.file).read_bytes()).decode("ascii")
            caption = _(fig.caption)
            where = _inline(_("({file}, data SHA-256 `{digest}…`)", file=fig.file, digest=fig.data_sha256[:16]))
            out.append(f'<figure><img src="data:image/png;base64,{encoded}" alt="{html.escape(caption)}">'
                       f"<figcaption>{html.escape(caption)} {where}</figcaption></figure>")
        entry = document["experiments"][c.name]
        if len(o.seeds) > 1:
            over = _("**Over the seeds:**")
            out.append(f"<p>{_inline(over)}</p>")
            out.append(_html_table(_seeds_header(), _seeds_rows(entry["distribution"], _bands_of(document, c.name))))
            if entry.get("distribution_figure"):
                encoded = base64.b64encode((Path(folder) / entry["distribution_figure"]).read_bytes()).decode("ascii")
                caption = _seeds_caption()
                out.append(f'<figure><img src="data:image/png;base64,{encoded}" alt="{html.escape(caption)}">'
                           f"<figcaption>{html.escape(caption)}</figcaption></figure>")
        out.append("</section>")
    out.append("</body></html>")
    return "\n".join(out)


def _verdict_html(status, reason):
    """"**Verdict: PASS** (3 s)" as HTML, the verdict word coloured by its class."""
    text = _inline(_("**Verdict: {verdict}** ({reason})", verdict="\0", reason=reason))
    return text.replace("\0", f'<span class="{status}">{status}</span>', 1)


def write_report(outcomes, document, folder):
    """Write report.md and report.html into ``folder`` (the claims' PNGs must already be there).

    Draws the distributions over seeds first (``draw_seed_figures``), recording their files in
    ``document`` (results.json is written after the report).
    """
    folder = Path(folder)
    draw_seed_figures(outcomes, document, folder)
    (folder / REPORT_MD).write_text(render_markdown(outcomes, document), encoding="utf-8")
    (folder / REPORT_HTML).write_text(render_html(outcomes, document, folder), encoding="utf-8")
