"""The version matrix (`make matrix`, `python -m checks.tools.matrix`): supported Pythons × NumPy ends.

For each supported Python (3.10-3.13) found on this machine and each end of the supported
NumPy range available for it (the oldest release ≥ 1.24 with wheels for that Python, and
the newest 2.x), build a virtualenv, install this checkout into it with
`pip install -e '.[test]'` and that NumPy pinned, then

1. run the fast suite, as `make check` does (`-n auto -m "not slow"`, one BLAS thread;
   DLFS_MIRROR / DLFS_OFFLINE come from the environment), and
2. grade the book's own code (a temporary copy of ../shared/book-code with MNIST's .gz
   files in its dataset/), as `python -m checks.grading --impl=book:COPY --no-out`,

and write the results as a Markdown table to docs/matrix.md, rewritten after every cell so
a long run that stops half-way still leaves what it measured. Each cell's logs go to
build/matrix/<cell>/; the virtualenvs go outside the checkout (a temporary folder, or
--venvs), because grading forbids the implementation's process any access to build/ and
that process imports its NumPy from the virtualenv. A Python that is not
installed, or a missing book-code folder, is reported in the table's notes, not an error.
It takes long (an install, the suite and a grading per cell) and is not part of `make check`.
"""

import argparse
import datetime
import glob
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..library.blas import blas_thread_settings

__all__ = ["PYTHONS", "OLDEST_NUMPY", "NEWEST_NUMPY", "Cell", "find_python", "numpy_requirements",
           "parse_pytest_summary", "parse_grade_score", "render_markdown", "main"]

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO_ROOT / "docs" / "matrix.md"
DEFAULT_WORK = REPO_ROOT / "build" / "matrix"
DEFAULT_VENVS = Path(tempfile.gettempdir()) / "dlfs-matrix"
DEFAULT_BOOK = REPO_ROOT.parent / "shared" / "book-code"
DEFAULT_MIRROR = REPO_ROOT.parent / "shared" / "mirror"

PYTHONS = ("3.10", "3.11", "3.12", "3.13")
# The oldest NumPy >= 1.24 that publishes wheels for each Python (1.24 has none for 3.12, 1.26
# none for 3.13). pyproject.toml's lower bound is the smallest of these.
OLDEST_NUMPY = {"3.10": "1.24", "3.11": "1.24", "3.12": "1.26", "3.13": "2.1"}
NEWEST_NUMPY = "numpy>=2,<3"
MNIST_FILES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
               "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")

SUITE_TIMEOUT = 3600
GRADE_TIMEOUT = 3600
INSTALL_TIMEOUT = 1800


@dataclass
class Cell:
    """One Python × NumPy combination and what it gave."""

    python: str                      # "3.10"
    end: str                         # "oldest" | "newest"
    requirement: str                 # the pip requirement pinning NumPy
    python_version: str = ""         # "3.10.13", from the interpreter
    numpy_version: str = ""          # what pip installed
    suite: str = "not run"           # "passed" | "FAILED" | "not run" | "install failed" | ...
    suite_counts: str = ""           # pytest's summary line: "1234 passed, 3 skipped in 80.1s"
    grade: str = "not run"           # "100.00% (250 / 250 pts)" or why not
    notes: list = field(default_factory=list)


def find_python(version, path=None, pyenv_root=None):
    """An interpreter running Python `version` ("3.10"), or None: PATH's pythonX.Y, then pyenv's.

    Each candidate is run to confirm its version (a pyenv shim for a version that is not
    enabled exists on PATH but does not run).
    """
    candidates = []
    found = shutil.which(f"python{version}", path=path)
    if found:
        candidates.append(found)
    root = pyenv_root or os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    installed = glob.glob(os.path.join(root, "versions", f"{version}.*", "bin", "python3"))
    candidates += sorted(installed, key=_patch_number, reverse=True)
    for candidate in candidates:
        if _reports_version(candidate) == version:
            return candidate
    return None


def _patch_number(path):
    match = re.search(r"/\d+\.\d+\.(\d+)/bin/", path)
    return int(match.group(1)) if match else -1


def _reports_version(executable):
    try:
        run = subprocess.run([executable, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                             capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return run.stdout.strip() if run.returncode == 0 else None


def numpy_requirements(python):
    """[(end, pip requirement)] for a Python "3.X": the oldest supported NumPy, then the newest 2.x."""
    if python not in OLDEST_NUMPY:
        raise ValueError(f"no NumPy range known for Python {python!r}; known: {', '.join(OLDEST_NUMPY)}")
    return [("oldest", f"numpy=={OLDEST_NUMPY[python]}.*"), ("newest", NEWEST_NUMPY)]


_SUMMARY = re.compile(r"^=*\s*(\d+ (?:passed|failed|error|errors|skipped|xfailed|xpassed|deselected|warnings?)"
                      r"(?:, \d+ \w+)*) in [\d.]+s")


def parse_pytest_summary(output):
    """pytest's final counts ("1200 passed, 4 skipped, 2 xfailed"), or "" when it printed none."""
    for line in reversed(output.splitlines()):
        match = _SUMMARY.match(line.strip())
        if match:
            return match.group(1)
    return ""


_SCORE = re.compile(r"^score: ([\d.]+) / ([\d.]+) \(")


def parse_grade_score(output):
    """(earned, maximum) from `python -m checks.grading`'s "score: X / Y (Z%)" line, or None."""
    for line in output.splitlines():
        match = _SCORE.match(line.strip())
        if match:
            return float(match.group(1)), float(match.group(2))
    return None


def render_markdown(cells, date, notes=()):
    """docs/matrix.md: one row per cell, then the notes."""
    lines = [
        "# Version matrix",
        "",
        "Written by `make matrix` (`python -m checks.tools.matrix`): for each supported Python, the",
        "oldest and the newest supported NumPy, `make check`'s fast suite and the book's own code",
        "graded (`python -m checks.grading --impl=book:<copy of the book's repository>`).",
        f"Run on {date}.",
        "",
        "| Python | NumPy | fast suite | pytest counts | book's code graded |",
        "|---|---|---|---|---|",
    ]
    for cell in cells:
        numpy = cell.numpy_version or cell.requirement
        lines.append(f"| {cell.python_version or cell.python} | {numpy} ({cell.end}) | {cell.suite} | "
                     f"{cell.suite_counts or '—'} | {cell.grade} |")
    cell_notes = [f"Python {c.python}, NumPy {c.numpy_version or c.requirement}: {n}" for c in cells for n in c.notes]
    if notes or cell_notes:
        lines += ["", "Notes:", ""] + [f"- {note}" for note in (*notes, *cell_notes)]
    return "\n".join(lines) + "\n"


def _environment():
    env = {**os.environ, **blas_thread_settings(1)}
    for variable in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"):
        env.pop(variable, None)
    return env


def _run(command, log_path, timeout, cwd=REPO_ROOT):
    """Run `command`, its output to `log_path` as it comes; (returncode or None on time-out, output)."""
    with open(log_path, "w", encoding="utf-8") as log:
        process = subprocess.Popen(command, cwd=cwd, env=_environment(), stdin=subprocess.DEVNULL, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        try:
            code = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            code = None
        except BaseException:  # Ctrl-C or SIGTERM (see main): the step's own session goes too
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise
        if code is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    return code, log_path.read_text(encoding="utf-8", errors="replace")


def _book_copy(book, mirror, into):
    """A writable copy of the book's repository with MNIST's .gz files in dataset/, or (None, why)."""
    if not book.is_dir():
        return None, f"the book's code was not found at {book}: book-code grading skipped"
    copy = into / "book-code"
    shutil.copytree(book, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "mnist.pkl"))
    missing = [name for name in MNIST_FILES if not (mirror / "mnist" / name).is_file()]
    if missing:
        return None, f"MNIST not found in {mirror / 'mnist'} ({', '.join(missing)}): book-code grading skipped"
    for name in MNIST_FILES:
        shutil.copyfile(mirror / "mnist" / name, copy / "dataset" / name)
    return copy, None


def _shown(path):
    """`path` relative to the checkout when inside it (the table is committed), else as is."""
    try:
        return str(Path(path).relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def run_cell(cell, interpreter, work, venvs, book, mirror, log=print):
    """Build the cell's venv, install, run the suite, grade the book's code; fills `cell` in."""
    name = f"py{cell.python}-numpy-{cell.end}"
    folder, venv = work / name, venvs / name
    for old in (folder, venv):
        shutil.rmtree(old, ignore_errors=True)
    folder.mkdir(parents=True)
    python = str(venv / "bin" / "python")
    log(f"[{cell.python} / {cell.requirement}] building {venv}")
    code, _ = _run([interpreter, "-m", "venv", str(venv)], folder / "venv.log", INSTALL_TIMEOUT)
    if code != 0:
        cell.suite = cell.grade = "venv failed"
        cell.notes.append(f"`python -m venv` failed; see {_shown(folder / 'venv.log')}")
        return cell
    # --prefer-binary: an old NumPy must come as a wheel, not be compiled for half an hour
    code, _ = _run([python, "-m", "pip", "install", "--disable-pip-version-check", "--prefer-binary",
                    "-e", f"{REPO_ROOT}[test]", cell.requirement], folder / "install.log", INSTALL_TIMEOUT)
    if code != 0:
        cell.suite = cell.grade = "install failed"
        cell.notes.append(f"`pip install -e .[test] {cell.requirement}` failed; see {_shown(folder / 'install.log')}")
        return cell
    _, versions = _run([python, "-c", "import sys, numpy; print(sys.version.split()[0], numpy.__version__)"],
                       folder / "versions.log", 120)
    cell.python_version, _, cell.numpy_version = versions.strip().partition(" ")

    log(f"[{cell.python_version} / numpy {cell.numpy_version}] fast suite")
    code, output = _run([python, "-m", "pytest", "-n", "auto", "-m", "not slow", "-q", "-p", "no:cacheprovider",
                         "checks/suite", "checks/tests"], folder / "suite.log", SUITE_TIMEOUT)
    cell.suite_counts = parse_pytest_summary(output)
    cell.suite = "passed" if code == 0 else ("timed out" if code is None else "FAILED")
    if code != 0:
        cell.notes.append(f"fast suite: see {_shown(folder / 'suite.log')}")

    with tempfile.TemporaryDirectory(prefix="dlfs-matrix-book-") as scratch:
        copy, why = _book_copy(book, mirror, Path(scratch))
        if copy is None:
            cell.grade = "skipped"
            cell.notes.append(why)
            return cell
        log(f"[{cell.python_version} / numpy {cell.numpy_version}] grading the book's code")
        code, output = _run([python, "-m", "checks.grading", f"--impl=book:{copy}", "--no-out"],
                            folder / "grade.log", GRADE_TIMEOUT)
    score = parse_grade_score(output)
    if score is None:
        cell.grade = "timed out" if code is None else "did not run"
        cell.notes.append(f"grading: see {_shown(folder / 'grade.log')}")
    else:
        earned, maximum = score
        cell.grade = f"{100 * earned / maximum:.2f}% ({earned:g} / {maximum:g} pts)"
        if earned < maximum:
            cell.notes.append(f"the book's code lost points; see {_shown(folder / 'grade.log')}")
    return cell


def _parser():
    parser = argparse.ArgumentParser(prog="python -m checks.tools.matrix", description=__doc__.splitlines()[0])
    parser.add_argument("--python", action="append", choices=PYTHONS, default=None,
                        help="only this Python (repeatable; default: all of " + ", ".join(PYTHONS) + ")")
    parser.add_argument("--numpy", action="append", choices=("oldest", "newest"), default=None,
                        help="only this end of the NumPy range (repeatable; default: both)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the Markdown table (default docs/matrix.md)")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help="where the logs go (build/matrix)")
    parser.add_argument("--venvs", type=Path, default=DEFAULT_VENVS,
                        help=f"where the virtualenvs go, outside the checkout (default {DEFAULT_VENVS})")
    parser.add_argument("--book", type=Path, default=DEFAULT_BOOK,
                        help="the book's repository (default ../shared/book-code beside the checkout)")
    parser.add_argument("--mirror", type=Path, default=None,
                        help="folder holding mnist/*.gz for the book's code (default $DLFS_MIRROR, "
                             "else ../shared/mirror)")
    return parser


def main(argv=None):
    args = _parser().parse_args(argv)
    # SIGTERM unwinds like Ctrl-C, so _run stops the step it is waiting for (pip, pytest, grading).
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    mirror = args.mirror or Path(os.environ.get("DLFS_MIRROR") or DEFAULT_MIRROR)
    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    args.work.mkdir(parents=True, exist_ok=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    notes, plan = [], []
    for python in args.python or PYTHONS:
        interpreter = find_python(python)
        if interpreter is None:
            notes.append(f"Python {python}: not found on PATH (python{python}) nor under pyenv; skipped")
            print(f"[{python}] not found; skipped", flush=True)
            continue
        for end, requirement in numpy_requirements(python):
            if args.numpy is None or end in args.numpy:
                plan.append((Cell(python, end, requirement), interpreter))
    # Every planned cell is in the table from the start ("not run"), so a run stopped half-way
    # says which combinations it did not reach.
    cells = [cell for cell, _ in plan]
    args.out.write_text(render_markdown(cells, date, notes), encoding="utf-8")
    for cell, interpreter in plan:
        run_cell(cell, interpreter, args.work, args.venvs, args.book, mirror,
                 log=lambda text: print(text, flush=True))
        args.out.write_text(render_markdown(cells, date, notes), encoding="utf-8")
        print(f"  -> suite {cell.suite} ({cell.suite_counts}); book's code {cell.grade}", flush=True)
    args.out.write_text(render_markdown(cells, date, notes), encoding="utf-8")
    print(f"\nwritten: {args.out}")
    failed = [c for c in cells if c.suite != "passed"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
