"""Grade every variant of the bug corpus and report which checks catch it.

A variant (`checks/tools/mutants/NAME.py`) is graded with `checks.grading.grade`, the
machinery of `make grade`, as the implementation `mutant:NAME`: the reference with
the components in its `REPLACES` swapped in, run in child processes of a pytest
subprocess exactly as a learner's code is.

Selection. A variant changes only the components named in `REPLACES`; every other
name resolves to the reference, whose checks all pass (the pristine reference is
graded on the whole suite first, and a check it fails never counts as a kill). So
each variant is graded on the checks of its replaced components only
(`grade(..., components=REPLACES)`): the same verdict as the full suite, in a
fraction of the time.

What counts as caught: some check of the variant ends "wrong", "error" or
"not_attempted". Property checks that the grader withholds only because no
correctness check of the component passes (the credit rule, detail "gated") are
not counted as catching anything.
"""

import concurrent.futures
import importlib.util
import re
import sys
import time
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from ...library.blas import pin_blas_threads
from . import MUTANTS_DIR, mutant_names

__all__ = ["Variant", "VariantResult", "checks_catching_nothing", "grade_variant", "load_variant", "main",
           "render_markdown", "run_corpus", "summary"]

REPO_ROOT = MUTANTS_DIR.parents[2]
DOC_PATH = REPO_ROOT / "docs" / "mutants.md"
REFERENCE = "reference"
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


def load_variant(name):
    """Import `checks/tools/mutants/NAME.py` on its own and read its declarations.

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
    if isinstance(getattr(module, "MISTAKE", None), str) and "\n" in module.MISTAKE:
        problems.append("MISTAKE must be one line")
    if problems:
        raise ValueError(f"checks/tools/mutants/{name}.py: " + "; ".join(problems))
    return Variant(name, module.COMPONENT, module.MISTAKE, tuple(module.REPLACES), equivalent)


_OWN_ATTRIBUTE_MISSING = re.compile(r"raised AttributeError: '(\w+)' object has no attribute")
_OWN_NAME_MISSING = re.compile(r"raised (NameError|ImportError|ModuleNotFoundError)\b")
_NOT_CATCHING = ("passed", "deviation", "gated", "fails_on_reference")


@dataclass
class VariantResult:
    name: str
    component: str
    mistake: str
    equivalent: str | None
    replaces: tuple = ()
    records: list = field(default_factory=list)  # dicts: nodeid, name, check, outcome, detail, message, points
    score: float = 0.0
    max_score: float = 0.0
    seconds: float = 0.0
    crash: str | None = None  # grading itself could not run

    @property
    def failing(self):
        """The records of checks that catch the variant."""
        return [r for r in self.records if r["outcome"] not in _NOT_CATCHING]

    @property
    def caught(self):
        """Some check failed. (Grading that could not run is reported, never counted as a kill.)"""
        return bool(self.failing)

    @property
    def broken(self):
        """Failures that say the variant itself no longer runs: it reads an attribute of its own
        class that is not there (a reference internal that changed?) or a name that does not exist.
        Such a "kill" says nothing about the checks."""
        found = []
        for record in self.failing:
            head = record["message"].split("\n", 1)[0]
            own = _OWN_ATTRIBUTE_MISSING.search(head)
            if (own and own.group(1) in self.replaces) or _OWN_NAME_MISSING.search(head):
                found.append(record)
        return found

    @property
    def first_message(self):
        if self.crash is not None:
            return self.crash
        return self.failing[0]["message"] if self.failing else ""


# -- grading -----------------------------------------------------------------------------
def _grade(impl, components, workers):
    from checks.grading import GradingError, grade

    start = time.perf_counter()
    try:
        graded = grade(impl, components=components, workers=workers, write=False)
    except GradingError as error:
        return None, f"grading could not run: {error}", time.perf_counter() - start
    return (_record_dicts(graded.records), graded), None, time.perf_counter() - start


def _record_dicts(scored):
    """The report's view of scored CheckRecords (dicts; a property check withheld by the credit rule
    reads "gated")."""
    records = []
    for record in scored:
        outcome = "gated" if record.detail == "gated" else record.outcome
        records.append({"nodeid": record.nodeid, "name": record.name, "check": record.check,
                        "component": record.component, "outcome": outcome, "detail": record.detail,
                        "message": record.message, "points": float(record.points),
                        "blocked_by": list(record.blocked_by)})
    return records


def grade_variant(name, workers=1):
    """Grade one variant (or, for REFERENCE, the pristine reference on every check)."""
    if name == REFERENCE:
        variant = Variant(REFERENCE, "(all)", "none: the reference itself", (), None)
        components = None
    else:
        variant = load_variant(name)
        components = list(variant.replaces)
    impl = REFERENCE if name == REFERENCE else f"mutant:{name}"
    graded, crash, seconds = _grade(impl, components, workers)
    result = VariantResult(variant.name, variant.component, variant.mistake, variant.equivalent, variant.replaces,
                           seconds=seconds, crash=crash)
    if graded is not None:
        result.records, grade_result = graded
        result.score, result.max_score = grade_result.score, grade_result.max_score
    return result


def grade_variant_in_process(name):
    """Grade the variant `name` in this process, as `check()` grades a notebook: the checks of its
    components called directly, no child process, no time limit. The same records as `grade_variant`
    for a variant that neither hangs nor crashes (the corpus's), in a fraction of the time: what
    the fast test of the misconception signatures and `--signatures-only` use."""
    from ...grading.records import record_of
    from ...grading.scoring import GradeResult, score_records
    from ...isolation.adapters import open_implementation
    from ...library.outcomes import tracing
    from ...library.catalog import all_checks
    from ...library.registry import chapter_of

    variant = load_variant(name)
    start = time.perf_counter()
    impl = open_implementation(f"mutant:{name}")
    raw = []
    try:
        for check_function, case in all_checks():
            if case.component not in variant.replaces:
                continue
            with tracing() as trace:
                try:
                    with impl.checking(chapter_of(case)):  # as checks/suite/test_components.py calls it
                        check_function(impl, case)
                    error = None
                except Exception as caught:  # noqa: BLE001 - every outcome is recorded, as grading does
                    error = caught
            raw.append(record_of(f"in-process[{case.id}-{check_function.__name__}]", check_function.__name__,
                                 case, error, trace))
    finally:
        impl.close()
    scored = score_records(raw, impl.spec.deviation_kind)
    graded = GradeResult(impl=f"mutant:{name}", label=name, kind="package", records=scored,
                         exact_score=sum((r.earned for r in scored), Fraction(0)),
                         exact_max_score=sum((r.points for r in scored), Fraction(0)))
    return VariantResult(variant.name, variant.component, variant.mistake, variant.equivalent, variant.replaces,
                         records=_record_dicts(scored), score=graded.score, max_score=graded.max_score,
                         seconds=time.perf_counter() - start)


def run_corpus(names=None, workers=2, progress=None):
    """Grade the pristine reference, then `names` (default: the whole corpus), `workers` at a time.

    Returns (variant results, reference result). A check the reference fails too is
    marked "fails_on_reference" in every variant and never counts as a kill.
    """
    names = mutant_names() if names is None else list(names)
    for name in names:
        load_variant(name)  # a malformed module stops the run before any grading
    # One BLAS thread per grading process: `workers` of them share the cores.
    pin_blas_threads(1)
    baseline = grade_variant(REFERENCE, workers=workers)
    broken_on_reference = {record["nodeid"] for record in baseline.failing}
    results = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = [pool.submit(grade_variant, name) for name in names]
        for future in concurrent.futures.as_completed(futures):
            result = future.result()
            for record in result.records:
                if record["nodeid"] in broken_on_reference and record["outcome"] not in _NOT_CATCHING:
                    record["outcome"] = "fails_on_reference"
            results[result.name] = result
            if progress is not None:
                progress(result)
    return [results[name] for name in names], baseline


# -- reporting ---------------------------------------------------------------------------
def summary(results):
    """(killed, non-equivalent variants, equivalent variants caught, non-equivalent survivors).

    A variant counts as killed only if some check fails for a reason other than the variant
    being broken itself (see VariantResult.broken); otherwise it is a survivor.
    """
    live = [r for r in results if r.equivalent is None]
    killed = [r for r in live if r.caught and len(r.broken) < len(r.failing)]
    survivors = [r for r in live if r not in killed]
    wrongly_caught = [r for r in results if r.equivalent is not None and r.caught]
    return killed, live, wrongly_caught, survivors


def checks_catching_nothing(results, baseline):
    """Named checks (function names) that fail on no variant of the corpus, sorted."""
    every = {record["check"] for record in baseline.records}
    catching = {record["check"] for result in results for record in result.failing}
    return sorted(every - catching)


def _cell(text):
    return text.replace("|", "\\|").replace("\n", "<br>")


def _first_lines(message, count=MESSAGE_LINES):
    """The message's first `count` lines (without the impl label), plus its hint when that comes later."""
    message = message.split("Traceback in the implementation:", 1)[0]  # an error's own line says enough
    lines = [line.strip() for line in message.strip().splitlines() if line.strip()]
    lines[0:1] = [re.sub(r" \[impl: [^\]]*\]", "", lines[0])] if lines else []
    shown = lines[:count]
    hints = [line for line in lines[count:] if line.startswith("hint:")]
    return shown + hints[:1]


def _caught_by(result):
    names = [record["name"] for record in result.failing]
    shown = ", ".join(f"`{name}`" for name in names[:NAMES_SHOWN])
    more = f", … (+{len(names) - NAMES_SHOWN})" if len(names) > NAMES_SHOWN else ""
    return f"{len(names)}: {shown}{more}" if names else ("grading crashed" if result.crash else "—")


def _points(value):
    return f"{float(Fraction(value).limit_denominator(1000)):.3g}"


def render_markdown(results, baseline, seconds=None, workers=2):
    killed, live, wrongly_caught, survivors = summary(results)
    rate = 100.0 * len(killed) / len(live) if live else 100.0
    at_stake = [r for r in baseline.records if r["outcome"] != "deviation"]
    if baseline.crash:
        reference_line = f"**The reference could not be graded:** {_cell(baseline.crash)}"
    elif baseline.failing or baseline.score < baseline.max_score:
        reference_line = (f"**The reference scores {baseline.score:g} / {baseline.max_score:g} and fails "
                          f"{len(baseline.failing)} of {len(at_stake)} checks** (they never count as kills): "
                          + ", ".join(f"`{r['name']}`" for r in baseline.failing[:10]))
    else:
        reference_line = (f"The pristine reference passes all {len(at_stake)} checks: "
                          f"{baseline.score:g} / {baseline.max_score:g} points, none lost.")
    lines = [
        "# The bug corpus: which check catches which mistake",
        "",
        "<!-- generated by `make mutants` (python -m checks.tools.mutants); do not edit by hand -->",
        "",
        "Each row is one realistic wrong implementation from `checks/tools/mutants/`: the reference with one "
        "component replaced, graded by `checks.grading.grade` (the machinery of `make grade`, the "
        "implementation in child processes). A variant is graded on the checks of the components it "
        "replaces; every other name is the reference, which passes every check. *Points lost* is what "
        "the grader takes off for the mistake, out of the points of those checks. Re-run one variant with "
        "`python -m checks.tools.mutants NAME`, or see every diagnosis with "
        "`python -m checks.grading --impl=mutant:NAME --no-out`. The same run writes each caught variant's "
        "signature (the checks it fails, and how) to `checks/grading/misconception_signatures.py`, by which "
        "grading names the known mistakes a submission shows (docs/instructors.md).",
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
    broken = [r for r in results if r.broken]
    if broken:
        lines += ["**Variants that fail on their own code (stale use of reference internals?):** "
                  + ", ".join(f"`{r.name}`" for r in broken), ""]
    if wrongly_caught:
        lines += ["**Variants declared equivalent but caught:** "
                  + ", ".join(f"`{r.name}`" for r in wrongly_caught), ""]
    idle = checks_catching_nothing(results, baseline)
    lines += ["**Checks that catch no variant:** "
              + (", ".join(f"`{name}`" for name in idle) + " (a check that cannot fail is a defect: add a "
                 "variant it catches)" if idle else "none; every named check catches at least one variant."), ""]
    lines += ["| variant | component | mistake | caught | points lost | caught by (count: checks) "
              "| first failure message |",
              "| --- | --- | --- | --- | --- | --- | --- |"]
    for r in sorted(results, key=lambda r: (r.component.lower(), r.name)):
        if r.equivalent is not None:
            verdict = "equivalent" if not r.caught else "**caught, but declared equivalent**"
            first = [f"equivalent: {r.equivalent}"] if not r.caught else _first_lines(r.first_message)
        else:
            verdict = "yes" if r in killed else "**NO**"
            if r.broken:
                verdict += f" (**{len(r.broken)} failures from the variant's own code**)"
            first = _first_lines(r.first_message)
        lost = "—" if r.crash else f"{_points(r.max_score - r.score)} of {_points(r.max_score)}"
        lines.append(f"| `{r.name}` | {r.component} | {_cell(r.mistake)} | {verdict} | {lost} | {_caught_by(r)} | "
                     + "<br>".join(_cell(line) for line in first) + " |")
    lines.append("")
    return "\n".join(lines)


def _write_signatures_in_process(names):
    """`--signatures`: grade `names` (None: the whole corpus) in this process and write their signatures."""
    from ._signatures import SIGNATURES_PATH, render_signatures, update_signatures

    corpus = mutant_names()
    # a name no longer in the corpus is not graded: update_signatures drops its entry
    chosen = corpus if names is None else [name for name in names if name in corpus]
    pin_blas_threads(1)
    start = time.perf_counter()
    results = []
    for index, name in enumerate(chosen, start=1):
        result = grade_variant_in_process(name)
        results.append(result)
        print(f"[{index:>3}/{len(chosen)}] {name:<50} {len(result.failing):>3} failing checks {result.seconds:5.1f} s",
              file=sys.stderr, flush=True)
    if names is None:
        SIGNATURES_PATH.write_text(render_signatures(results), encoding="utf-8")
    else:
        update_signatures(results)
    uncaught = [r.name for r in results if r.equivalent is None and not r.caught]
    print(f"misconception signatures of {len(results)} variant(s) written to "
          f"{SIGNATURES_PATH.relative_to(REPO_ROOT)} in {time.perf_counter() - start:.0f} s"
          + (f"; not caught, so without one: {', '.join(uncaught)}" if uncaught else ""), file=sys.stderr)
    return 1 if uncaught else 0


def main(argv=None):
    import argparse

    parser = argparse.ArgumentParser(prog="python -m checks.tools.mutants",
                                     description="Grade the bug corpus (checks/tools/mutants/) and report the kill rate.")
    parser.add_argument("names", nargs="*", help="variants to grade (default: the whole corpus)")
    parser.add_argument("--workers", type=int, default=2, help="variants graded at once (default 2)")
    parser.add_argument("--output", type=Path, default=None,
                        help=f"Markdown report (default for the whole corpus: {DOC_PATH.relative_to(REPO_ROOT)})")
    parser.add_argument("--signatures", action="store_true",
                        help="only write the misconception signatures of NAMES (default: every variant), each "
                             "variant's checks called in this process (seconds, not minutes; no report)")
    args = parser.parse_args(argv)
    if args.signatures:
        return _write_signatures_in_process(args.names or None)

    names = args.names or None
    total = len(names or mutant_names())
    start = time.perf_counter()
    done = []

    def progress(result):
        done.append(result)
        mark = "caught" if result.caught else "SURVIVED"
        if result.equivalent is not None:
            mark = "equivalent" if not result.caught else "CAUGHT (declared equivalent)"
        if result.broken:
            mark = "BROKEN (fails on its own code)"
        if result.crash:
            mark = "GRADING COULD NOT RUN"
        print(f"[{len(done):>3}/{total}] {result.name:<50} {mark:<10} {len(result.failing):>3} failing checks "
              f"{result.seconds:5.1f} s", file=sys.stderr, flush=True)

    results, baseline = run_corpus(names, workers=args.workers, progress=progress)
    seconds = time.perf_counter() - start
    report = render_markdown(results, baseline, seconds, args.workers)
    output = args.output or (DOC_PATH if names is None else None)
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(report, encoding="utf-8")
    print(report)
    # the misconception signatures grading matches against: the whole file for the whole corpus,
    # else the entries of the variants graded (the others kept as they are)
    from ._signatures import SIGNATURES_PATH, render_signatures, update_signatures

    if names is None:
        SIGNATURES_PATH.write_text(render_signatures(results), encoding="utf-8")
    else:
        update_signatures(results)
    print(f"misconception signatures written to {SIGNATURES_PATH.relative_to(REPO_ROOT)}", file=sys.stderr)
    killed, live, wrongly_caught, survivors = summary(results)
    reference_ok = baseline.crash is None and not baseline.failing and baseline.score == baseline.max_score
    print(f"kill rate {len(killed)}/{len(live)}; {len(survivors)} surviving; {len(wrongly_caught)} equivalent "
          f"variants caught; reference {'loses no points' if reference_ok else 'LOSES POINTS'}; {seconds:.0f} s"
          + (f"; written to {output}" if output else ""), file=sys.stderr)
    return 0 if not survivors and not wrongly_caught and reference_ok else 1
