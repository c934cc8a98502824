"""`python -m checks.grading`: grade one implementation (what `make grade` runs).

Prints the per-chapter table and the top failures with their diagnoses, and writes
results.json (Gradescope), junit.xml and summary.txt to --out. A valid results.json is
written in every case: when grading stops early (its total time limit, an error of the
harness) it holds the points reached and the reason. The exit status is 0 whatever the
score; 2 only when nothing could be graded (results.json then says why, score 0); 3
only when --min-percent is given and not reached (for CI gates: the kit's workflow, a Classroom 50 test).
"""

import argparse
import difflib
import sys
import time
from pathlib import Path

from ..i18n import LANGUAGES, set_language, translator
from ..i18n.choice import option as language_option
from ..isolation.intake import IntakeError, resolve
from ..locations import temporary_folder
from .run import (DEFAULT_CALL_TIMEOUT, DEFAULT_CHECK_BUDGET, DEFAULT_LOAD_TIMEOUT, DEFAULT_MEMORY_LIMIT,
                   DEFAULT_RUN_TIMEOUT, GradingError, grade)
from .report import render_summary, write_error_results
from .safe_text import safe_text

_ = translator("grading")


def _chapters(text):
    """`--chapter` values: "5", "3,5" or "3-5" (argparse type; the chapters the book grades)."""
    from .points import CHAPTERS

    chapters = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        low, _, high = part.partition("-")
        try:
            span = range(int(low), int(high or low) + 1)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected chapter numbers such as 5, 3,5 or 3-5, got {text!r}") from None
        unknown = [c for c in span if c not in CHAPTERS]
        if unknown or not span:
            raise argparse.ArgumentTypeError(
                f"no chapter {part} to grade: the graded chapters are {min(CHAPTERS)}–{max(CHAPTERS)}")
        chapters.extend(span)
    if not chapters:
        raise argparse.ArgumentTypeError(f"expected chapter numbers such as 5, 3,5 or 3-5, got {text!r}")
    return chapters


def _names(text):
    """`--component` values: "Affine" or "Affine,Relu"."""
    return [name.strip() for name in text.split(",") if name.strip()]


def _flatten(lists):
    return None if lists is None else sorted({item for values in lists for item in values}, key=str)


def _check_components(names):
    """An unknown component name is a typo: say so, with the closest known names."""
    from ..library.catalog import all_checks

    known = sorted({case.component for _, case in all_checks()})
    for name in names or ():
        if name not in known:
            close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
            if close:
                raise GradingError(_("--component {name}: no component of that name; did you mean {close}?",
                                     name=name, close=" / ".join(close)))
            raise GradingError(_("--component {name}: no component of that name; components: {known}", name=name,
                                 known=", ".join(known)))


def _parser():
    parser = argparse.ArgumentParser(prog="python -m checks.grading", description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--impl", default="exercises",
                        help="reference, exercises (default), mutant:NAME, book:PATH or a PATH: a package, a folder "
                             "laid out like the book's, notebooks, a .py, loose .py files, a .zip, a copy of the kit")
    source.add_argument("--submission", metavar="FOLDER",
                        help="the same as --impl=FOLDER (kept for scripts)")
    source.add_argument("target", nargs="?", metavar="IMPL", default=None,
                        help="the same as --impl=IMPL: `dlfs grade notebook.ipynb`, `dlfs grade my_folder`")
    parser.add_argument("--out", default="build/grade", help="folder for results.json, junit.xml, summary.txt")
    parser.add_argument("--no-out", action="store_true", help="write no files, only print")
    parser.add_argument("-k", "--select", default=None, help="a pytest -k expression keeping some checks")
    parser.add_argument("--chapter", type=_chapters, action="append", default=None, metavar="N[,N…]",
                        help="grade only these chapters: 5, 3,5 or 3-5 (repeatable)")
    parser.add_argument("--component", type=_names, action="append", default=None, metavar="NAME[,NAME…]",
                        help="grade only these components: Affine or Affine,Relu (repeatable)")
    parser.add_argument("--workers", type=int, default=1, help="pytest-xdist workers (1: one process)")
    parser.add_argument("--call-timeout", type=float, default=DEFAULT_CALL_TIMEOUT)
    parser.add_argument("--check-budget", type=float, default=DEFAULT_CHECK_BUDGET)
    parser.add_argument("--load-timeout", type=float, default=DEFAULT_LOAD_TIMEOUT)
    parser.add_argument("--total-timeout", type=float, default=DEFAULT_RUN_TIMEOUT,
                        help="seconds the whole run may take; checks not reached by then are marked timed out")
    parser.add_argument("--memory-limit-mb", type=int, default=DEFAULT_MEMORY_LIMIT >> 20,
                        help="memory of all of the implementation's processes together, in MiB")
    parser.add_argument("--lang", choices=LANGUAGES, type=language_option, default=None,
                        help="language of the summary, diagnoses and results.json: en, ja, zh (Simplified), "
                             "zh-Hant (Traditional) or ko (default: "
                             "DLFS_LANG, else the locale, else en)")
    parser.add_argument("--failures", type=int, default=5, help="how many failing components to describe")
    parser.add_argument("--min-percent", type=float, default=None,
                        help="exit with status 3 when the score is below this percentage")
    return parser


def _say(text, stream=None):
    """Print without ever failing on what a submission put in the text (surrogates, a closed pipe)."""
    stream = sys.stdout if stream is None else stream
    try:
        stream.write(safe_text(text))
        stream.flush()
    except (OSError, ValueError):
        pass


def main(argv=None):
    args = _parser().parse_args(argv)
    try:
        set_language(args.lang)  # exported: the checks' processes and the implementation's render in it too
    except ValueError as error:  # an unknown DLFS_LANG
        _say(f"{error}\n", sys.stderr)
        return 2
    out_dir = None if args.no_out else Path(args.out)
    started = time.monotonic()
    components, chapters = _flatten(args.component), _flatten(args.chapter)
    option, value = ("--submission", args.submission) if args.submission else ("--impl", args.impl)
    if args.target is not None:
        option, value = "--impl", args.target
    try:
        _check_components(components)
        with temporary_folder("intake") as workdir:
            try:
                spec = resolve(value, workdir)
            except IntakeError as error:
                raise GradingError(error.for_option(option)) from None
            result = grade(spec, out_dir=out_dir, select=args.select, workers=args.workers,
                           components=components, chapters=chapters, call_timeout=args.call_timeout,
                           check_budget=args.check_budget, load_timeout=args.load_timeout,
                           memory_limit=args.memory_limit_mb << 20, run_timeout=args.total_timeout)
    except Exception as error:  # whatever stopped grading, the learner gets a results.json saying so
        known = isinstance(error, GradingError)
        reason = str(error) if known else _("an error in the grader ({error})",
                                            error=type(error).__name__ + ": " + str(error))
        _say(_("grading could not run: {reason}", reason=reason) + "\n", sys.stderr)
        if out_dir is not None:
            try:
                write_error_results(out_dir, reason, execution_time=time.monotonic() - started,
                                    components=components, chapters=chapters)
            except OSError as write_error:
                _say(_("results.json could not be written to {folder}: {error}", folder=str(out_dir),
                       error=str(write_error)) + "\n", sys.stderr)
        return 2
    try:
        _say(render_summary(result, failures=args.failures))
    except Exception as error:
        _say(_("score: {score} / {max_score} (the summary could not be shown: {error})", score=result.score,
               max_score=result.max_score, error=str(error)) + "\n")
    if out_dir is not None:
        _say("\n" + _("reports: {files}", files=str(out_dir) + "/results.json, junit.xml, summary.txt") + "\n")
    if not result.records and not result.exact_max_score:  # nothing could be graded
        return 2
    if args.min_percent is not None and result.percent + 1e-9 < args.min_percent:
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
