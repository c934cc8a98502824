"""Grade every variant of the bug corpus and report which checks catch it.

A variant (`checks/mutants/NAME.py`) is graded as the implementation
`mutant:NAME`: the reference with the components in its `REPLACES` swapped in,
run in a child process exactly as `make grade` runs a learner's code.

Selection. A variant changes only the components named in `REPLACES`; every other
name resolves to the reference, whose checks all pass (the slow test asserts it).
So each variant is graded on the checks whose case is one of its replaced
components (`case.component in REPLACES`) and nothing else: the same verdict as
the full suite, in a fraction of the time.

Each variant runs in its own Python process (a fresh import of the mutant and of
NumPy's global generator), two at a time by default.
"""

import concurrent.futures
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import MUTANTS_DIR, mutant_names

__all__ = ["Variant", "VariantResult", "grade_variant", "load_variant", "main", "render_markdown", "run_corpus"]

REPO_ROOT = MUTANTS_DIR.parents[1]
DOC_PATH = REPO_ROOT / "docs" / "mutants.md"
MESSAGE_LINES = 2
NAMES_SHOWN = 4


@dataclass(frozen=True)
class Variant:
    """One module of the corpus, read but not yet graded."""

    name: str
    component: str
    mistake: str
    replaces: tuple
    equivalent: str | None
    doc: str


def load_variant(name):
    """Import `checks/mutants/NAME.py` on its own and read its declarations.

    Raises ValueError naming what is missing or malformed.
    """
    path = MUTANTS_DIR / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"dlfs_mutant_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    problems = []
    for attribute, kind in (("COMPONENT", str), ("MISTAKE", str), ("REPLACES", dict)):
        if not isinstance(getattr(module, attribute, None), kind):
            problems.append(f"{attribute} must be a {kind.__name__}")
    if not (module.__doc__ or "").strip():
        problems.append("a module docstring is required")
    equivalent = getattr(module, "EQUIVALENT", None)
    if equivalent is not None and not (isinstance(equivalent, str) and equivalent.strip()):
        problems.append("EQUIVALENT, when present, must be the reason (a non-empty string)")
    if problems:
        raise ValueError(f"checks/mutants/{name}.py: " + "; ".join(problems))
    mistake = module.MISTAKE
    if "\n" in mistake:
        raise ValueError(f"checks/mutants/{name}.py: MISTAKE must be one line")
    return Variant(name, module.COMPONENT, mistake, tuple(module.REPLACES), equivalent,
                   module.__doc__.strip().splitlines()[0])


@dataclass
class VariantResult:
    name: str
    component: str
    mistake: str
    equivalent: str | None
    records: list = field(default_factory=list)  # dicts: nodeid, check, case, outcome, message
    seconds: float = 0.0
    crash: str | None = None  # the grading process itself failed

    @property
    def failing(self):
        return [r for r in self.records if r["outcome"] not in ("passed", "deviation", "fails_on_reference")]

    @property
    def caught(self):
        return bool(self.failing) or self.crash is not None

    @property
    def first_message(self):
        if self.crash is not None:
            return self.crash
        return self.failing[0]["message"] if self.failing else ""

    def to_json(self):
        return {"name": self.name, "component": self.component, "mistake": self.mistake,
                "equivalent": self.equivalent, "records": self.records, "seconds": self.seconds,
                "crash": self.crash}

    @classmethod
    def from_json(cls, data):
        return cls(**data)


# -- grading one variant (runs in a worker process) ----------------------------
_ID = re.compile(r"\[(?P<case>.+)-(?P<check>check_\w+)\]$")


def _classify(report):
    if getattr(report, "wasxfail", None) is not None:
        return "deviation"
    if report.passed:
        return "passed"
    if report.skipped:
        return "skipped"
    text = str(report.longrepr)
    if report.when != "call":
        return "error"
    if text.startswith("NOT ATTEMPTED"):
        return "not_attempted"
    if text.startswith("CheckFailure") or text.startswith("MissingComponent"):
        return "wrong" if text.startswith("CheckFailure") else "not_attempted"
    return "error"


class _Everything:
    def __contains__(self, component):
        return True


REFERENCE = "reference"
# The pristine reference, graded on every check: a check it fails cannot count as a kill.
_PRISTINE = Variant(REFERENCE, "(all)", "none: the reference itself", (), None, "")


class _Collector:
    """A pytest plugin: keep the checks of the given components (all for the reference), record outcomes."""

    def __init__(self, components):
        self.components = set(components) if components else _Everything()
        self.records = []

    def pytest_collection_modifyitems(self, config, items):
        keep, drop = [], []
        for item in items:
            callspec = getattr(item, "callspec", None)
            case = callspec.params.get("case") if callspec is not None else None
            (keep if case is not None and case.component in self.components else drop).append(item)
        items[:] = keep
        if drop:
            config.hook.pytest_deselected(items=drop)

    def pytest_runtest_logreport(self, report):
        outcome = _classify(report)
        if report.when != "call" and outcome in ("passed", "skipped"):
            return
        match = _ID.search(report.nodeid)
        self.records.append({
            "nodeid": report.nodeid,
            "case": match.group("case") if match else "",
            "check": match.group("check") if match else report.nodeid,
            "outcome": outcome,
            "message": "" if outcome == "passed" else str(report.longrepr),
        })


def _grade_with_pytest(variant):
    import pytest

    collector = _Collector(variant.replaces)
    impl = REFERENCE if variant is _PRISTINE else f"mutant:{variant.name}"
    args = [str(REPO_ROOT / "checks" / "test_components.py"), f"--impl={impl}", "--isolate",
            "-q", "-p", "no:cacheprovider", "-p", "no:randomly", "-o", "addopts=", "--rootdir", str(REPO_ROOT)]
    with open(os.devnull, "w") as sink:
        stdout = sys.stdout
        sys.stdout = sink
        try:
            pytest.main(args, plugins=[collector])
        finally:
            sys.stdout = stdout
    return collector.records


def grade_variant(name):
    """Grade one variant (or, for REFERENCE, the pristine reference on every check) in this process."""
    start = time.perf_counter()
    variant = _PRISTINE if name == REFERENCE else load_variant(name)
    result = VariantResult(variant.name, variant.component, variant.mistake, variant.equivalent)
    try:
        result.records = _grade_with_pytest(variant)
    except Exception as error:  # noqa: BLE001 - reported in the table, never hidden
        result.crash = f"grading crashed: {type(error).__name__}: {error}"
    result.seconds = time.perf_counter() - start
    return result


# -- the corpus, in parallel ----------------------------------------------------
def _grade_in_subprocess(name):
    with tempfile.TemporaryDirectory(prefix="dlfs-mutant-") as folder:
        out = Path(folder) / "result.json"
        env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "checks.mutants", "--worker", name, "--json", str(out)],
                              cwd=REPO_ROOT, env=env, capture_output=True, text=True)
        if done.returncode != 0 or not out.is_file():
            variant = load_variant(name)
            tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
            return VariantResult(name, variant.component, variant.mistake, variant.equivalent,
                                 seconds=time.perf_counter() - start,
                                 crash="grading process failed: " + " / ".join(tail))
        return VariantResult.from_json(json.loads(out.read_text()))


def run_corpus(names=None, workers=2, progress=None):
    """Grade the pristine reference and `names` (default: the whole corpus), `workers` at a time.

    Returns (variant results, reference result). A check that fails on the reference
    too is marked "fails_on_reference" in every variant and never counts as a kill.
    """
    names = mutant_names() if names is None else list(names)
    results = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = [pool.submit(_grade_in_subprocess, name) for name in [REFERENCE, *names]]
        for future in concurrent.futures.as_completed(futures):
            result = future.result()
            results[result.name] = result
            if progress is not None and result.name != REFERENCE:
                progress(result)
    baseline = results.pop(REFERENCE)
    broken = {record["nodeid"] for record in baseline.failing}
    for result in results.values():
        for record in result.records:
            if record["nodeid"] in broken and record["outcome"] != "passed":
                record["outcome"] = "fails_on_reference"
    return [results[name] for name in names], baseline


# -- reporting -------------------------------------------------------------------
def _cell(text):
    return text.replace("|", "\\|").replace("\n", "<br>")


def _first_lines(message, count=MESSAGE_LINES):
    """The message's first `count` lines, plus its hint line when that comes later."""
    lines = [line.strip() for line in message.strip().splitlines() if line.strip()]
    lines[0:1] = [re.sub(r" \[impl: [^\]]*\]", "", lines[0])] if lines else []
    shown = lines[:count]
    hints = [line for line in lines[count:] if line.startswith("hint:")]
    return shown + hints[:1]


def _caught_by(result):
    ids = [f"{r['case']}-{r['check']}" if r["case"] else r["check"] for r in result.failing]
    shown = ", ".join(f"`{i}`" for i in ids[:NAMES_SHOWN])
    more = f", … (+{len(ids) - NAMES_SHOWN})" if len(ids) > NAMES_SHOWN else ""
    return f"{len(ids)}: {shown}{more}" if ids else ("crash" if result.crash else "—")


def summary(results):
    """(killed, non-equivalent total, equivalent variants caught, non-equivalent survivors)."""
    live = [r for r in results if r.equivalent is None]
    killed = [r for r in live if r.caught]
    survivors = [r for r in live if not r.caught]
    wrongly_caught = [r for r in results if r.equivalent is not None and r.caught]
    return killed, live, wrongly_caught, survivors


def render_markdown(results, baseline, seconds=None, workers=2):
    killed, live, wrongly_caught, survivors = summary(results)
    rate = 100.0 * len(killed) / len(live) if live else 100.0
    checked = [r for r in baseline.records if r["outcome"] != "deviation"]
    if baseline.crash:
        reference_line = f"**The reference could not be graded:** {_cell(baseline.crash)}"
    elif baseline.failing:
        reference_line = (f"**The reference fails {len(baseline.failing)} of {len(checked)} checks** (not counted "
                          "as kills): " + ", ".join(f"`{r['case']}-{r['check']}`" for r in baseline.failing[:10]))
    else:
        reference_line = f"The pristine reference passes all {len(checked)} checks (loses no points)."
    lines = [
        "# The bug corpus: which check catches which mistake",
        "",
        "<!-- generated by `make mutants` (python -m checks.mutants); do not edit by hand -->",
        "",
        "Each row is one realistic wrong implementation from `checks/mutants/` (the reference with one "
        "component replaced), graded in a child process like `make grade` grades a learner's code. "
        "A variant is graded on the checks of the components it replaces (every other name is the "
        "reference, whose checks all pass). Run one by hand with "
        "`pytest checks/test_components.py --impl=mutant:NAME`.",
        "",
        f"**Kill rate: {len(killed)}/{len(live)} non-equivalent variants caught ({rate:.0f}%)**; "
        f"{len(results) - len(live)} variant(s) declared equivalent."
        + (f" Graded in {seconds:.0f} s with {workers} worker processes." if seconds is not None else ""),
        "",
        reference_line,
        "",
    ]
    if survivors:
        lines += ["**Surviving variants (need a check):** " + ", ".join(f"`{r.name}`" for r in survivors), ""]
    if wrongly_caught:
        lines += ["**Variants declared equivalent but caught:** "
                  + ", ".join(f"`{r.name}`" for r in wrongly_caught), ""]
    lines += ["| variant | component | mistake | caught | caught by (count: checks) | first failure message |",
              "| --- | --- | --- | --- | --- | --- |"]
    for r in sorted(results, key=lambda r: (r.component.lower(), r.name)):
        if r.equivalent is not None:
            verdict = "equivalent" if not r.caught else "**caught, but declared equivalent**"
            first = f"equivalent: {r.equivalent}" if not r.caught else "<br>".join(_first_lines(r.first_message))
        else:
            verdict = "yes" if r.caught else "**NO**"
            first = "<br>".join(_cell(line) for line in _first_lines(r.first_message))
        lines.append(f"| `{r.name}` | {r.component} | {_cell(r.mistake)} | {verdict} | {_caught_by(r)} | "
                     f"{first if r.equivalent is None else _cell(first)} |")
    lines.append("")
    return "\n".join(lines)


def main(argv=None):
    import argparse

    parser = argparse.ArgumentParser(prog="python -m checks.mutants", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="variants to grade (default: the whole corpus)")
    parser.add_argument("--workers", type=int, default=2, help="variants graded at once (default 2)")
    parser.add_argument("--output", type=Path, default=None,
                        help=f"Markdown report (default {DOC_PATH.relative_to(REPO_ROOT)} for the whole corpus)")
    parser.add_argument("--worker", metavar="NAME", help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        result = grade_variant(args.worker)
        args.json.write_text(json.dumps(result.to_json()))
        return 0

    names = args.names or None
    for name in names or mutant_names():
        load_variant(name)  # fail fast on a malformed module
    start = time.perf_counter()
    total = len(names or mutant_names())
    done = []

    def progress(result):
        done.append(result)
        mark = "caught" if result.caught else "SURVIVED"
        if result.equivalent is not None:
            mark = "equivalent" if not result.caught else "CAUGHT (declared equivalent)"
        print(f"[{len(done):>3}/{total}] {result.name:<55} {mark:<10} "
              f"{len(result.failing):>3} failing checks  {result.seconds:5.1f} s", file=sys.stderr, flush=True)

    results, baseline = run_corpus(names, workers=args.workers, progress=progress)
    seconds = time.perf_counter() - start
    report = render_markdown(results, baseline, seconds, args.workers)
    output = args.output or (DOC_PATH if names is None else None)
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(report)
    print(report)
    killed, live, wrongly_caught, survivors = summary(results)
    print(f"kill rate {len(killed)}/{len(live)}; {len(survivors)} surviving; "
          f"{len(wrongly_caught)} equivalent variants caught; {seconds:.0f} s"
          + (f"; written to {output}" if output else ""), file=sys.stderr)
    return 0 if not survivors and not wrongly_caught and not baseline.failing and not baseline.crash else 1
