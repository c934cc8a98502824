"""Gradescope's entry point: copy the submission, find what to grade, grade it within the budget, fit the results.

`run_autograder` (at the root of the autograder zip, and checks/grading/run_autograder)
only runs `python -m checks.grading.autograder` with the grader's Python. Gradescope
runs it as root with the zip unpacked in /autograder/source, the learner's files in
/autograder/submission, and reads /autograder/results/results.json. Steps, one process:

1. A valid results.json is written before anything else ("grading did not finish"):
   whatever stops the run from outside later, one is there.
2. The submission is copied: whatever its code does to its own files stays in the
   copy, and a link is never followed out of it; then what to grade is resolved as
   `IMPL=` is: a kit, a package, a book layout or notebooks as they are, a single
   uploaded .zip unpacked safely, loose .py files placed into the stubs
   (checks/isolation/intake/, `resolve_submission`; its notes go to stderr).
3. It is graded inside the boundary (checks/isolation/boundary.py) and the budget of
   autograder.json (checks/grading/budget.py): one total time shared by all checks,
   per-call limits derived from it, the submission's whole process tree bounded in
   memory. While the checks run, results.json is rewritten as they finish, fitted to
   the assignment's points and visibility (checks/grading/gradescope.py): a kill at
   Gradescope's limit still leaves every check reached.
4. The final results.json, fitted; the summary on stdout (Gradescope shows it to staff).

Environment overrides: DLFS_SOURCE (/autograder/source), DLFS_SUBMISSION
(/autograder/submission), DLFS_RESULTS (/autograder/results); DLFS_BOUNDARY and
DLFS_CHILD_USER (docs/security.md); DLFS_GRADE_ARGS, options of `python -m checks.grading`
(e.g. "--chapter 5"). Exit status: 0 when graded (whatever the score), 2 when nothing
could be graded (results.json says why).
"""

import json
import os
import shlex
import sys
import tempfile
import time
from pathlib import Path

from ..i18n import set_language, translator
from .budget import Budget
from .gradescope import fit_file, fit_results, load_config
from .report import gradescope_results, render_summary, write_atomic, write_error_results
from .safe_text import safe_text

__all__ = ["main", "run", "settings"]

_ = translator("grading")
RESULTS_NAME = "results.json"


def _say(text, stream=None):
    stream = stream or sys.stdout
    try:
        stream.write(safe_text(text))
        stream.flush()
    except (OSError, ValueError):
        pass


def settings(config, grade_args=""):
    """What grading takes from autograder.json's `config` and DLFS_GRADE_ARGS (options of
    `python -m checks.grading`, which win): language, chapters, components, select, workers,
    and a total time limit when one is given (the budget's otherwise)."""
    from .__main__ import _flatten, _parser

    args = _parser().parse_args(shlex.split(grade_args or ""))
    given = "--total-timeout" in (grade_args or "")
    return {"language": args.lang or config["language"], "chapters": _flatten(args.chapter) or config["chapters"],
            "components": _flatten(args.component), "select": args.select, "workers": args.workers,
            "total_timeout": args.total_timeout if given else None}


def run(source, submission, results, started=None):
    """Grade `submission` with the autograder in `source` into `results`; the exit status."""
    started = time.monotonic() if started is None else started
    config = load_config(source / "autograder.json")
    options = settings(config, os.environ.get("DLFS_GRADE_ARGS"))
    set_language(options["language"])
    budget = Budget.from_settings(config["minutes"], config["memory_mb"])
    deadline = started + budget.usable_seconds()
    results.mkdir(parents=True, exist_ok=True)
    os.chmod(results, 0o755)  # nobody but the grader writes here
    results_path = results / RESULTS_NAME

    def fitted(reason, result=None):
        write_error_results(results, reason, result)
        fit_file(source / "autograder.json", results_path)

    fitted(_("grading did not finish (stopped from outside: a time or memory limit); please tell your instructor"))

    def progress(provisional):
        data = fit_results(gradescope_results(provisional), config)
        write_atomic(results_path, json.dumps(data, indent=1, ensure_ascii=False) + "\n")

    from ..isolation.intake import IntakeError, resolve_submission
    from .run import GradingError, grade

    with tempfile.TemporaryDirectory(prefix="dlfs-submission-") as work:
        try:
            # copied without leaving it (links left out, said in the notes), then resolved as IMPL= is
            spec = resolve_submission(submission, work, stubs=source / "exercises")
            for note in spec.notes:
                _say(note + "\n", sys.stderr)
            limits = budget.limits(deadline - time.monotonic())
            if options["total_timeout"] is not None:
                limits["run_timeout"] = min(limits["run_timeout"], options["total_timeout"])
            result = grade(spec, out_dir=results, select=options["select"], workers=options["workers"],
                           components=options["components"], chapters=options["chapters"], progress=progress, **limits)
        except Exception as error:  # whatever stopped grading, the learner gets a results.json saying so
            known = isinstance(error, (GradingError, IntakeError, OSError))
            reason = str(error) if known else _("an error in the grader ({error})",
                                                error=type(error).__name__ + ": " + str(error))
            _say(_("grading could not run: {reason}", reason=reason) + "\n", sys.stderr)
            fitted(reason)
            return 2
    fitted_data = fit_file(source / "autograder.json", results_path)
    _say(render_summary(result))
    _say(f"\nresults.json: {fitted_data['score']} / {fitted_data['max_score']} points, "
         f"{len(fitted_data['tests'])} tests, {time.monotonic() - started:.1f} s of {budget.describe()}\n")
    return 0 if result.records or result.exact_max_score else 2


def main(argv=None):
    started = time.monotonic()
    source = Path(os.environ.get("DLFS_SOURCE", "/autograder/source")).resolve()
    submission = Path(os.environ.get("DLFS_SUBMISSION", "/autograder/submission"))
    results = Path(os.environ.get("DLFS_RESULTS", "/autograder/results"))
    try:
        return run(source, submission, results, started)
    except Exception as error:  # the settings themselves: say so in a results.json still
        _say(f"autograder: {type(error).__name__}: {error}\n", sys.stderr)
        try:
            write_error_results(results, f"the autograder could not start ({type(error).__name__}: {error})")
        except OSError:
            pass
        return 2


if __name__ == "__main__":
    sys.exit(main())
