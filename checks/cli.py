"""The `dlfs` command (installed by `pip install`): the Makefile's targets from any folder.

    dlfs check [PYTEST ARGS]       make check
    dlfs grade [--impl=IMPL] ...   make grade       (the options of python -m checks.grading)
    dlfs grade-all SUBMISSIONS     make grade-all   (python -m checks.grading.batch; --shard I/N, --merge OUT…)
    dlfs reproduce ...             make reproduce   (python -m checks.reproduce; `dlfs reproduce compare BASE NEW`)
    dlfs margins ...               make margins     (python -m checks.tools.margins)
    dlfs bench ...                 make bench       (python -m checks.tools.bench)
    dlfs exercises [--check]       make exercises   (python -m checks.tools.stubgen)
    dlfs mutants ...               make mutants     (python -m checks.tools.mutants)
    dlfs matrix ...                make matrix      (python -m checks.tools.matrix)
    dlfs data fetch|status         python -m data
    dlfs release ...               make release     (python -m checks.tools.release)
    dlfs docs [--check]            make docs        (python -m checks.tools.docs)
    dlfs boundary                  make boundary    (python -m checks.isolation.boundary)

Each subcommand hands the rest of the command line to that module's `main`, so
`dlfs grade --help` lists the same options as `make grade GRADE_ARGS=...`. What a command
writes goes under the current folder (`build/…`, or `--out`) and the data cache
(checks/locations.py); dlfs's own files are found from this file and never written, so the
command works from any working directory, from a checkout or from a non-editable install
(`pip install git+URL`, a wheel). `dlfs check` runs the harness's tests: a checkout's only.
"""

import argparse
import importlib
import os
import subprocess
import sys
from pathlib import Path

from .locations import PACKAGE_ROOT, NoCheckout, require_checkout

__all__ = ["COMMANDS", "REPO_ROOT", "main"]

REPO_ROOT = PACKAGE_ROOT  # the checkout or site-packages: read, never written (checks/locations.py)

# name -> (module, its main function, the one line `dlfs --help` shows). Nothing here is
# imported before a subcommand is chosen: `reproduce` must set its BLAS threads before
# NumPy loads, and `dlfs --help` stays instant.
COMMANDS = {
    "check": (None, None, "the fast test suite (make check): checks/suite and checks/tests, xdist, one BLAS thread"),
    "grade": ("checks.grading.__main__", "main",
              "grade one implementation (make grade): --impl=exercises|reference|book:PATH|PATH (a package, "
              "notebooks, a .py, a .zip…), --out DIR"),
    "grade-all": ("checks.grading.batch", "main",
                  "grade every submission folder in a folder, in parallel (make grade-all); --shard I/N, "
                  "--merge OUT…, --canvas ROSTER.csv"),
    "reproduce": ("checks.reproduce.__main__", "main",
                  "run the book's experiments and write a report (make reproduce); compare BASE NEW: two runs"),
    "margins": ("checks.tools.margins", "main",
                "measure the stochastic criteria over seeds and rewrite their bands (make margins)"),
    "bench": ("checks.tools.bench.__main__", "main", "measure speed as fractions of the GEMM peak (make bench)"),
    "exercises": ("checks.tools.stubgen", "main", "regenerate exercises/ from reference/ (make exercises)"),
    "mutants": ("checks.tools.mutants._runner", "main",
                "grade the bug corpus and write docs/mutants.md (make mutants)"),
    "matrix": ("checks.tools.matrix", "main",
               "the supported Python x NumPy versions: suite and book's code in each (make matrix)"),
    "data": ("data.__main__", "main", "fetch, verify or list the data files: dlfs data fetch|status"),
    "release": ("checks.tools.release", "main",
                "build the student kit and Gradescope's autograder.zip (make release)"),
    "docs": ("checks.tools.docs", "main", "regenerate the tables in docs/ that the code prints (make docs)"),
    "boundary": ("checks.isolation.boundary", "main",
                 "say which isolation boundary grading uses here (make boundary)"),
}

CHECK_PYTEST_ARGS = ("-n", "auto", "-m", "not slow", "checks/suite", "checks/tests")


# what rewrites the repository itself (exercises/, docs/) or measures it: a checkout's only
MAINTAINERS_COMMANDS = {"exercises", "mutants", "matrix", "docs"}


def run_check(argv):
    """`make check` from anywhere: pytest in the checkout, one BLAS thread per xdist worker."""
    from .library.blas import blas_thread_settings  # NumPy-free

    # One BLAS thread: xdist already runs one worker per core (see the Makefile).
    try:
        root = require_checkout("dlfs check (the harness's own tests)")
    except NoCheckout as error:
        print(error, file=sys.stderr)
        return 2
    env = {**os.environ, **blas_thread_settings(1)}
    command = [sys.executable, "-m", "pytest", *CHECK_PYTEST_ARGS, *argv]
    return subprocess.run(command, cwd=root, env=env).returncode


def _parser():
    parser = argparse.ArgumentParser(
        prog="dlfs", formatter_class=lambda prog: argparse.HelpFormatter(prog, max_help_position=24, width=110),
        description="dlfs: check, grade and reproduce Deep Learning from Scratch (the Makefile's "
                                 "targets, from any folder).",
        epilog="`dlfs COMMAND --help` shows a command's options; `dlfs --lang ja|zh|zh-Hant|ko|en COMMAND …` (or DLFS_LANG) "
               "chooses the language learners read.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    for name, (_, _, description) in COMMANDS.items():
        commands.add_parser(name, help=description, add_help=False)
    return parser


def _take_language(argv):
    """`dlfs --lang ja COMMAND …`: the language of every learner-facing text (exported as DLFS_LANG)."""
    from .i18n import set_language

    if argv and argv[0].startswith("--lang"):
        value = argv[0].partition("=")[2] if "=" in argv[0] else (argv[1] if len(argv) > 1 else "")
        set_language(value)
        return argv[1:] if "=" in argv[0] else argv[2:]
    return argv


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        argv = _take_language(argv)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    if not argv or argv[0] not in COMMANDS:
        parser = _parser()
        if not argv:
            parser.print_help()
            return 2
        parser.parse_args(argv[:1])  # --help, or an error naming the known commands
        return 2
    name, rest = argv[0], argv[1:]
    if name == "check":
        return run_check(rest)
    if name in MAINTAINERS_COMMANDS and "--help" not in rest and "-h" not in rest:
        try:
            require_checkout(f"dlfs {name}")
        except NoCheckout as error:
            print(error, file=sys.stderr)
            return 2
    module_name, function, _ = COMMANDS[name]
    module = importlib.import_module(module_name)
    status = getattr(module, function)(rest)
    return status if isinstance(status, int) else 0


if __name__ == "__main__":
    sys.exit(main())
