"""`python -m checks.tools.corpus`: regrade the labelled corpus with the current grader, and say how it did.

For every entry of `manifest.json` (learners' repositories, the book's published
versions, the book's code today) the pinned tree is written from its snapshot
(`--mirror`, default /work/.mirror; `--clone` clones the entry's URL when the mirror
lacks it) and its `grade` folder is graded exactly as a learner would
(`python -m checks.grading --impl=FOLDER --out DIR`). Its results.json is then read
component by component (each test's tags name its component and outcome) against the
labels:

- a confirmed bug is *caught* when some test of that component ends wrong or error
  (a component graded only "not attempted" has not been caught: the learner's code
  never reached the checks);
- a correct component (or a copy of a correct version of the book) is *kept* when
  every test of it at stake earns all its points;
- every miss is printed, one by one, with what the grader said.

A maintainer's tool, not part of CI (it needs the snapshots, and grades dozens of
repositories: run it with `nice`, in the background). `--write-docs` puts the figures
of the run, with the date and the grader's commit, into docs/corpus.md.
"""

import argparse
import datetime
import json
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import manifest as manifest_module
from .discover import discover
from .snapshot import DEFAULT_MIRROR, DEFAULT_TREES, SnapshotError, materialize

REPO_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_OUT = REPO_ROOT / "build" / "corpus"
DOC = REPO_ROOT / "docs" / "corpus.md"
FIGURES = "corpus-figures"


@dataclass
class Verdict:
    """What the grader said of one expected component."""

    entry: str
    component: str
    expected: str  # "bug" or "correct"
    ok: bool
    said: str  # the grader's outcomes and points, in words
    description: str
    where: str = ""


@dataclass
class EntryRun:
    entry: dict
    verdicts: list = field(default_factory=list)
    error: str = ""
    seconds: float = 0.0
    score: str = ""
    grader_commit: str = ""  # of the grader that wrote its results.json (set when that was an earlier run)


def _component_results(results):
    """{component: {"outcomes": set, "score": float, "max": float, "first": first failing output line}}."""
    found = {}
    for test in results.get("tests", []):
        tags = test.get("tags") or []
        if not tags:
            continue
        component = tags[0]
        outcome = tags[1] if len(tags) > 1 else ("passed" if test.get("status") == "passed" else "wrong")
        state = found.setdefault(component, {"outcomes": set(), "score": 0.0, "max": 0.0, "first": ""})
        if outcome == "not_attempted" and _extension(test, component):
            # a later chapter's case (chapter 7's 4-D Affine), or a later section's (§4.4.2's any-shape
            # numerical_gradient), with no definition written for it: not at stake for the one written
            # earlier (the grader says so in the test's output)
            state["outcomes"].add("later_chapter_not_written")
            continue
        if outcome == "wrong" and _GATED in str(test.get("output", "")):
            # a property that holds, uncredited only because no correctness check of the component passes
            # (scoring.py's credit rule): not a failure of its own, nor a catch; it follows the correctness checks
            outcome = "uncredited_property"
        state["outcomes"].add(outcome)
        state["score"] += float(test.get("score") or 0.0)
        state["max"] += float(test.get("max_score") or 0.0)
        if outcome in ("wrong", "error"):
            blocked = _BLOCKED.search(str(test.get("output", "")))
            if blocked:
                state.setdefault("blocked_by", set()).update(part.split(" ", 1)[0]
                                                             for part in blocked.group(1).split("; "))
            else:
                state["own_failures"] = state.get("own_failures", 0) + 1
        if outcome not in ("passed", "deviation") and not state["first"]:
            state["first"] = next((line.strip() for line in str(test.get("output", "")).splitlines()
                                   if line.strip()), "")[:240]
    return found


_BLOCKED = re.compile(r"blocked: prerequisite (.*?) — ")
_GATED = "not credited: this property holds"  # the corpus is graded in English


def _extension(test, component):
    """True for a test of a chapter after the component's own (its name starts "ch7 …") or of an `Extension`
    of it (checks/library/components.py), which found no definition written for it."""
    from ...library.components import component as row_of

    try:
        own = row_of(component).chapter
    except KeyError:
        return False
    output = str(test.get("output", ""))
    if "graded where the book prints it" in output:
        return True
    chapter = str(test.get("name", "")).split(" ", 1)[0].removeprefix("ch")
    return chapter.isdigit() and int(chapter) > own and "written for chapter" in output


def judge(expectation, state, bugs=frozenset()):
    """(ok, what the grader said) for one expectation and the grader's results for its component (or None).

    `bugs`: the entry's components with a confirmed bug. A correct component whose every failure
    the grader blames on one of them ("blocked: prerequisite softmax", when the learner's predict
    runs their own batch-breaking softmax) is kept: the points are lost to the learner's real bug,
    named where it is, which is what the grader should say.
    """
    if state is None:
        return False, "not graded (no test of this component in results.json)"
    outcomes = ", ".join(sorted(state["outcomes"]))
    said = f"{outcomes}; {state['score']:.3g}/{state['max']:.3g} points"
    if state["first"]:
        said += f" — {state['first']}"
    if expectation.expected == "bug":
        return bool(state["outcomes"] & {"wrong", "error"}), said
    if state["max"] > 0 and state["score"] >= state["max"] - 1e-6:
        return True, said
    blocked = state.get("blocked_by", set())
    if blocked and not state.get("own_failures") and blocked <= set(bugs) \
            and not state["outcomes"] - {"passed", "deviation", "wrong", "error", "later_chapter_not_written",
                                         "uncredited_property"}:
        return True, f"blocked by the confirmed bug of {', '.join(sorted(blocked))} — " + said
    return False, said


def grade_entry(entry, mirror, trees, out_dir, clone=False, timeout=3600, rejudge=False):
    """Grade one entry's tree and judge each expectation (`rejudge`: judge the results.json an earlier run left)."""
    run = EntryRun(entry)
    started = time.monotonic()
    try:
        tree = materialize(entry, mirror=mirror, trees=trees, clone=clone)
    except SnapshotError as error:
        run.error = str(error)
        return run
    root = tree / entry["grade"] if entry["grade"] != "." else tree
    found = {o.component for o in discover(root) if not o.superseded} if entry.get("others") else set()
    expectations = manifest_module.expectations(entry, found)
    target = Path(out_dir) / entry["id"].replace("/", "+")
    target.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "checks.grading", f"--impl={root}", "--out", str(target)]
    if rejudge and (target / "results.json").is_file():
        command = None
    try:
        if command is None:
            raise FileExistsError
        done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=timeout)
        (target / "grader-output.txt").write_text(done.stdout + done.stderr, encoding="utf-8")
    except subprocess.TimeoutExpired:
        run.error = f"the grader did not finish in {timeout} s"
    except FileExistsError:
        commit_file = target / "grader-commit.txt"
        run.grader_commit = commit_file.read_text(encoding="utf-8").strip() if commit_file.is_file() else "unknown"
    else:
        (target / "grader-commit.txt").write_text(_grader_commit() + "\n", encoding="utf-8")
    try:
        results = json.loads((target / "results.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        results = {}
        run.error = run.error or "no results.json"
    if results.get("extra_data", {}).get("error"):
        # the tree's path is this machine's: the entry's id says which it was
        said = str(results["extra_data"]["error"]).replace(str(root), entry["grade"]).replace(str(tree), ".")
        run.error = "grading could not run: " + said[:300]
    run.score = f"{results.get('score', 0)}/{results.get('max_score', 0)}"
    states = _component_results(results)
    bugs = {e.component for e in expectations if e.expected == "bug"}
    for expectation in expectations:
        ok, said = judge(expectation, states.get(expectation.component), bugs)
        where = ", ".join(item["where"] for item in expectation.items)
        run.verdicts.append(Verdict(entry["id"], expectation.component, expectation.expected, ok, said,
                                    expectation.description, where))
    run.seconds = time.monotonic() - started
    return run


def _group(entry):
    if entry["source"] == "learner":
        return f"learners' {entry['kind']}"
    return "the book's published versions" if entry["source"] == "book-history" else "the book's code today"


def _plain(runs, grader_commit="", date="", seconds=0.0):
    """A run as plain data (run.json): what --docs-from reads back."""
    return {"date": date, "grader_commit": grader_commit, "seconds": round(seconds),
            "entries": [{"id": run.entry["id"], "group": _group(run.entry), "learner": run.entry["source"] == "learner",
                         "grader_commit": run.grader_commit or grader_commit,
                         "error": run.error, "score": run.score,
                         "verdicts": [{"component": v.component, "expected": v.expected, "ok": v.ok, "said": v.said,
                                       "where": v.where, "description": v.description} for v in run.verdicts]}
                        for run in runs]}


def _summarize(entries):
    table = {}
    for entry in entries:
        for name in (entry["group"], "learners" if entry["learner"] else None, "all"):
            if name is None:
                continue
            row = table.setdefault(name, {"bugs": [0, 0], "correct": [0, 0], "entries": set()})
            row["entries"].add(entry["id"])
            for verdict in entry["verdicts"]:
                key = "bugs" if verdict["expected"] == "bug" else "correct"
                row[key][1] += 1
                row[key][0] += verdict["ok"]
    return table


def _miss_kind(verdict):
    said = verdict["said"]
    outcomes = said.split(";")[0]
    if said.startswith("not graded"):
        return "the grader has no test of the component (absent, or grading could not run)"
    if "not_attempted" in outcomes and "wrong" not in outcomes and "error" not in outcomes:
        return "graded only \"not attempted\" (the learner's definition never reached the checks)"
    if verdict["expected"] == "bug":
        return "graded and passed"
    return "graded and lost points"


def _percent(done, total):
    return f"{100.0 * done / total:.1f}%" if total else "–"


def render(runs, grader_commit, date, seconds, full=True):
    """The report: figures by group, the misses by kind, then (full) every miss one by one."""
    return render_plain(_plain(runs, grader_commit, date, seconds), full=full)


def render_plain(run, full=True):
    table = _summarize(run["entries"])
    older = sorted({entry.get("grader_commit") for entry in run["entries"]} - {None, "", run["grader_commit"]})
    also = f" (some entries last graded at {', '.join(f'`{c}`' for c in older)})" if older else ""
    lines = [f"Corpus regrade of {run['date']}, grader at commit `{run['grader_commit']}`{also}, {len(run['entries'])} "
             f"entries in {run['seconds']:.0f} s.", "",
             "| group | entries | bugs caught (wrong or error) | correct components keeping all their points |",
             "| --- | --- | --- | --- |"]
    order = ["learners' notebooks", "learners' book-layout", "learners' mix", "learners",
             "the book's published versions", "the book's code today", "all"]
    for name in [n for n in order if n in table]:
        row = table[name]
        (caught, bugs), (kept, correct) = row["bugs"], row["correct"]
        bold = "**" if name in ("learners", "all") else ""
        lines.append(f"| {bold}{name}{bold} | {len(row['entries'])} | {caught}/{bugs} ({_percent(caught, bugs)}) | "
                     f"{kept}/{correct} ({_percent(kept, correct)}) |")
    blocked = [v for entry in run["entries"] for v in entry["verdicts"]
               if v["ok"] and v["said"].startswith("blocked by the confirmed bug")]
    if blocked:
        lines += ["", f"Of the correct components counted as kept, {len(blocked)} lost points only to a prerequisite "
                      "with a confirmed bug of the same repository, which the grader named (\"blocked: prerequisite "
                      "X\"): the learner's real bug, blamed where it is."]
    misses = [(entry, v) for entry in run["entries"] for v in entry["verdicts"] if not v["ok"]]
    kinds = {}
    for _, verdict in misses:
        key = ("bug not caught" if verdict["expected"] == "bug" else "correct component not kept", _miss_kind(verdict))
        kinds[key] = kinds.get(key, 0) + 1
    lines += ["", f"Misses ({len(misses)}), by kind:", "", "| miss | what the grader said | count |", "| --- | --- | --- |"]
    lines += [f"| {what} | {kind} | {count} |" for (what, kind), count in sorted(kinds.items())]
    errors = [entry for entry in run["entries"] if entry["error"]]
    if errors:
        lines += ["", "Entries the grader could not grade whole:", ""]
        lines += [f"- {entry['id']}: {entry['error']}" for entry in errors]
    if full:
        lines += ["", "Every miss:", ""]
        for entry, verdict in misses:
            what = "bug not caught" if verdict["expected"] == "bug" else "correct component lost points"
            lines.append(f"- {entry['id']} · {verdict['component']} ({verdict['where'] or 'the book'}): {what}"
                         f" [{verdict['description']}] — grader: {verdict['said']}")
    return "\n".join(lines) + "\n"


def _grader_commit():
    done = subprocess.run(["git", "-C", str(REPO_ROOT), "rev-parse", "--short=12", "HEAD"], capture_output=True,
                          text=True)
    dirty = subprocess.run(["git", "-C", str(REPO_ROOT), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    return (done.stdout.strip() or "unknown") + ("+changes" if dirty else "")


def _parser():
    parser = argparse.ArgumentParser(prog="python -m checks.tools.corpus", description=__doc__.splitlines()[0])
    parser.add_argument("--mirror", type=Path, default=DEFAULT_MIRROR, help="where fetched snapshots are")
    parser.add_argument("--trees", type=Path, default=DEFAULT_TREES, help="cache of the pinned trees")
    parser.add_argument("--clone", action="store_true", help="clone an entry's URL when the mirror lacks it")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="each entry's results.json, and the report")
    parser.add_argument("--only", default=None, help="entry ids (comma-separated), or a source: learner, "
                                                      "book-history, book-current")
    parser.add_argument("--alone", action="store_true",
                        help="with --only: report those entries alone (by default they replace their earlier "
                             "results in OUT/run.json, so that the report covers the whole corpus)")
    parser.add_argument("--rejudge", action="store_true",
                        help="grade nothing: judge each entry's results.json in OUT against the manifest's labels "
                             "as they are now (after a label is fixed); entries without results.json are graded")
    parser.add_argument("--write-docs", action="store_true", help="write the figures into docs/corpus.md")
    parser.add_argument("--docs-from", type=Path, default=None, metavar="DIR",
                        help="write docs/corpus.md's figures from the run.json a run left in DIR, grading nothing")
    return parser


def _merged(previous_file, run, order):
    """`run` (some entries regraded) put in place of those entries of the run.json a previous run left.

    Each entry keeps the grader commit that graded it; the run's date and commit become the newest,
    and the header lists the older commits still in it.
    """
    try:
        previous = json.loads(previous_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return run
    fresh = {entry["id"]: entry for entry in run["entries"]}
    kept = [dict(entry, grader_commit=entry.get("grader_commit") or previous.get("grader_commit", ""))
            for entry in previous.get("entries", []) if entry["id"] not in fresh]
    rank = {identifier: index for index, identifier in enumerate(order)}
    entries = sorted(kept + run["entries"], key=lambda entry: rank.get(entry["id"], len(rank)))
    return {**run, "entries": entries, "seconds": run["seconds"] + previous.get("seconds", 0)}


def _write_docs(run):
    from ..docs import replace_measured

    text = render_plain(run, full=False)
    text += "\nEvery miss, one by one, is in the run's `report.md` (`python -m checks.tools.corpus` prints it).\n"
    replace_measured(FIGURES, text)
    print(f"figures written to {DOC}")


def main(argv=None):
    args = _parser().parse_args(argv)
    if args.docs_from is not None:
        try:
            run = json.loads((args.docs_from / "run.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            print(f"--docs-from {args.docs_from}: no readable run.json ({error})", file=sys.stderr)
            return 2
        _write_docs(run)
        return 0
    try:
        entries = manifest_module.load()
    except manifest_module.ManifestError as error:
        print(error, file=sys.stderr)
        return 2
    if args.only:
        wanted = set(args.only.split(","))
        entries = [e for e in entries if e["id"] in wanted or e["source"] in wanted]
        if not entries:
            print(f"--only {args.only}: no entry with that id or source", file=sys.stderr)
            return 2
    started = time.monotonic()
    runs = []
    for index, entry in enumerate(entries, start=1):
        run = grade_entry(entry, args.mirror, args.trees, args.out, clone=args.clone, rejudge=args.rejudge)
        runs.append(run)
        caught = sum(v.ok for v in run.verdicts)
        print(f"[{index}/{len(entries)}] {entry['id']}: {caught}/{len(run.verdicts)} as expected, score "
              f"{run.score}{' — ' + run.error if run.error else ''} ({run.seconds:.0f} s)", flush=True)
    run = _plain(runs, _grader_commit(), datetime.date.today().isoformat(), time.monotonic() - started)
    if args.only and not args.alone:
        run = _merged(args.out / "run.json", run, [e["id"] for e in manifest_module.load()])
    report = render_plain(run)
    print()
    print(report)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "report.md").write_text(report, encoding="utf-8")
    (args.out / "run.json").write_text(json.dumps(run, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    if args.write_docs:
        _write_docs(run)
    return 0


if __name__ == "__main__":
    sys.exit(main())
