"""`make release` (python -m checks.tools.release): the student kit and the Gradescope autograder.

Builds, from `reference/` and its `# BEGIN SOLUTION` / `# END SOLUTION` markers
(like `otter assign` or `nbgrader generate_assignment`):

- `build/release/student/`: what students get, a plain folder to publish or push as a
  template repository. The stubs (`exercises/`, rendered by `checks.tools.stubgen`),
  the checks a learner runs on their own code (`checks/library`, `isolation`,
  `grading`, `suite`), the book's experiments the suite runs (`checks/experiments`,
  on the learner's `exercises`), `data/`, a README, a Makefile (`make check`,
  `make grade`) and a GitHub workflow grading each push. No `reference/`, no bug
  corpus (it subclasses the reference), no maintainers' tests, nothing importing
  `reference`; `solution_leaks` verifies that no line of any solution region is in it.
- `build/release/autograder.zip`: `setup.sh` and `run_autograder` at its root, the
  grading code, the stubs (loose `.py` uploads are placed into them) and
  `autograder.json` (chapters, point total, visibility, language, and the time and
  memory budget). Grading compares against
  closed forms and central differences, never against the reference, so the zip holds
  no solution either. Built reproducibly: sorted entries, fixed dates and modes.

Options: `--chapter 5,6` grades only those chapters; `--total 50` the point total;
`--visibility after_due_date` and `--show-not-attempted` what learners see; `--language ja`
the language of the feedback (en, ja, zh, zh-Hant, ko; docs/languages.md); `--gradescope-minutes 20
--gradescope-memory-mb 1536` the assignment's Gradescope settings, when raised above the
defaults (10 minutes, 768 MB), which grading then fits inside (checks/grading/budget.py).
"""

import argparse
import io
import json
import re
import shutil
import sys
import zipfile
from pathlib import Path

from ..i18n.choice import LANGUAGES
from ..locations import output, require_checkout
from ..i18n.choice import option as language_option
from .stubgen import SOURCE as REFERENCE
from .stubgen import StubError, render_tree

__all__ = ["KIT_TREES", "AUTOGRADER_TREES", "ReleaseError", "autograder_files", "build", "kit_files",
           "solution_lines", "solution_leaks", "write_zip", "main"]

TEMPLATES = Path(__file__).resolve().parent / "release_files"
DEFAULT_OUT = output("release")

# What of the repository each product holds (folders are copied whole, minus caches).
KIT_TREES = ("checks/__init__.py", "checks/locations.py", "checks/i18n", "checks/library", "checks/isolation", "checks/grading", "checks/suite",
             "checks/reproduce", "data")
AUTOGRADER_TREES = ("checks/__init__.py", "checks/i18n", "checks/library", "checks/isolation", "checks/grading",
                    "checks/suite/__init__.py", "checks/suite/test_components.py", "checks/suite/wiring.py",
                    "checks/locations.py", "data", "conftest.py")
# Left out of both: caches, the data cache, and (kit) the Gradescope entry point.
_SKIPPED_PARTS = {"__pycache__", ".pytest_cache", "cache"}
_KIT_SKIPPED = {"checks/grading/run_autograder"}
# Our Python dependencies; what the autograder image installs (setup.sh): nbformat reads notebook uploads,
# babel and wcwidth render the feedback in the learner's language (checks/i18n).
REQUIREMENTS = ("numpy>=1.24\nrequests>=2.31\nfilelock>=3.12\ntqdm>=4.65\npytest>=7.4\nnbformat>=5.7\n"
                "babel>=2.12\nwcwidth>=0.2.6\n")
# Zip entries get this date: a fixed one, so two builds of the same tree are byte-identical.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

_BEGIN = re.compile(r"^[ \t]*# BEGIN SOLUTION[ \t]*$")
_END = re.compile(r"^[ \t]*# END SOLUTION[ \t]*$")
# Solution lines shorter than this (`return out`, `x = x.T`) also occur in honest code
# and say nothing of the answer; the check looks for the others.
MIN_LEAK_CHARS = 16
# Solution lines that honest checking code writes too, with the reason they give nothing away.
GENERIC_LINES = {
    "for key in params:": "the loop over a parameter dict that the optimizer checks also need",
    "grad = np.zeros_like(x)": "the gradient checker's own central differences (checks/library/gradcheck.py) "
                               "start from it too; it says nothing of numerical_gradient's loop",
}


class ReleaseError(RuntimeError):
    """The release cannot be built, or it would hold a solution."""


def _tree_files(root, relative_roots, skipped=frozenset()):
    """{posix path: bytes} of the files under each of `relative_roots` (files or folders)."""
    files = {}
    for relative in relative_roots:
        path = root / relative
        if path.is_file():
            files[relative] = path.read_bytes()
            continue
        if not path.is_dir():
            raise ReleaseError(f"{path}: expected in the repository (a release needs it), not found")
        for item in sorted(path.rglob("*")):
            name = item.relative_to(root).as_posix()
            parts = set(item.relative_to(root).parts)
            if (item.is_file() and not parts & _SKIPPED_PARTS and item.suffix not in (".pyc", ".pyo")
                    and name not in skipped):
                files[name] = item.read_bytes()
    return files


def _experiments():
    """reference/experiments as `checks/experiments`, byte for byte.

    Nothing in them names where they live: with no implementation given they run on the
    `reference` package where there is one, else on the learner's `exercises`
    (`_common.resolve_lib`), and `_common.accelerate` finds no `reference/fast` beside them in
    the kit, so the conv nets run the learner's own layers. The checks find them in either home
    (`checks.reproduce.calls.EXPERIMENT_HOMES`).
    """
    source = REFERENCE / "experiments"
    return {f"checks/experiments/{item.relative_to(source).as_posix()}": item.read_bytes()
            for item in sorted(source.rglob("*.py")) if "__pycache__" not in item.parts}


def _stubs(prefix="exercises/"):
    return {prefix + name: content for name, content in render_tree(REFERENCE).items()}


def kit_files():
    """{posix path: bytes} of the student kit."""
    root = require_checkout("make release")  # what it copies is the checkout's; what it writes goes to --out
    # conftest.py loads checks/suite/wiring.py, whose --impl defaults to exercises where reference/ is absent
    files = {**_tree_files(root, [*KIT_TREES, "conftest.py"], _KIT_SKIPPED), **_experiments()}
    files.update(_stubs())
    files["README.md"] = (TEMPLATES / "student_README.md").read_bytes()
    files["Makefile"] = (TEMPLATES / "student_Makefile").read_bytes()
    files["pyproject.toml"] = (TEMPLATES / "student_pyproject.toml").read_bytes()
    files[".gitignore"] = (TEMPLATES / "student_gitignore").read_bytes()
    files[".github/workflows/grade.yml"] = (TEMPLATES / "grade.yml").read_bytes()
    return dict(sorted(files.items()))


def autograder_files(config):
    """{posix path: bytes} of the autograder zip for the settings `config` (see checks.grading.gradescope)."""
    files = _tree_files(require_checkout("make release"), AUTOGRADER_TREES)
    files.update(_stubs())
    files["pyproject.toml"] = (TEMPLATES / "student_pyproject.toml").read_bytes()
    files["setup.sh"] = (TEMPLATES / "setup.sh").read_bytes()
    files["run_autograder"] = (require_checkout("make release") / "checks" / "grading" / "run_autograder").read_bytes()
    files["requirements.txt"] = REQUIREMENTS.encode("ascii")
    files["autograder.json"] = (json.dumps(config, indent=1, sort_keys=True) + "\n").encode("ascii")
    return dict(sorted(files.items()))


_EXECUTABLE = {"setup.sh", "run_autograder", "checks/grading/run_autograder"}


def write_zip(files, path):
    """Write `files` to the zip `path` reproducibly: sorted names, fixed date, fixed modes, deflated."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix: the mode below is honoured by unzip
            info.external_attr = ((0o100755 if name in _EXECUTABLE else 0o100644) & 0xFFFF) << 16
            archive.writestr(info, files[name])
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())


def write_folder(files, folder):
    """Replace `folder` with exactly `files` (scripts executable)."""
    folder = Path(folder)
    if folder.exists():
        shutil.rmtree(folder)
    for name, content in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        if name in _EXECUTABLE:
            target.chmod(0o755)


def solution_lines(reference=REFERENCE, min_chars=MIN_LEAK_CHARS):
    """{stripped line: 'reference/FILE:LINE'} of the solution regions' distinctive lines.

    A line counts when it is at least `min_chars` long once stripped, is not a comment,
    and does not also occur outside the solution regions of reference/ (then it is
    part of what the stubs keep, such as a signature or a docstring line).
    """
    inside, outside = {}, set()
    for path in sorted(Path(reference).rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        in_region = False
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if _BEGIN.match(line):
                in_region = True
                continue
            if _END.match(line):
                in_region = False
                continue
            stripped = line.strip()
            if in_region:
                inside.setdefault(stripped, f"reference/{path.relative_to(reference).as_posix()}:{number}")
            else:
                outside.add(stripped)
    return {line: where for line, where in inside.items()
            if len(line) >= min_chars and not line.startswith("#") and line not in outside
            and line not in GENERIC_LINES}


def solution_leaks(files, reference=REFERENCE):
    """[(kit path, line number, solution line, where it comes from)] for every solution line in `files`."""
    wanted = solution_lines(reference)
    leaks = []
    for name, content in sorted(files.items()):
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            where = wanted.get(line.strip())
            if where is not None:
                leaks.append((name, number, line.strip(), where))
    forbidden = [name for name in files if name.startswith(("reference/", "checks/tools/"))]
    leaks += [(name, 0, "(a file of the answer key or of the bug corpus)", name) for name in forbidden]
    return leaks


def _parse_chapters(text):
    if not text:
        return None
    try:
        chapters = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected chapter numbers separated by commas (5,6), got {text!r}")
    if not chapters or not all(1 <= c <= 8 for c in chapters):
        raise argparse.ArgumentTypeError(f"expected chapters from 1 to 8, got {text!r}")
    return chapters


def build(out=DEFAULT_OUT, chapters=None, total=100, visibility="visible", hide_not_attempted=True, language=None,
          minutes=None, memory_mb=None):
    """Write `out`/student/ and `out`/autograder.zip; returns (kit files, autograder files).

    `minutes`, `memory_mb`: the assignment's timeout and memory on Gradescope (default:
    Gradescope's own, 10 minutes and 768 MB); grading fits inside them.
    """
    from ..grading.gradescope import DEFAULTS, load_config

    out = Path(out)
    config = {"chapters": chapters, "total": total, "visibility": visibility,
              "hide_not_attempted": hide_not_attempted, "decimals": 2, "language": language,
              "minutes": DEFAULTS["minutes"] if minutes is None else minutes,
              "memory_mb": DEFAULTS["memory_mb"] if memory_mb is None else memory_mb}
    config_path = out / ".autograder-settings.json"
    out.mkdir(parents=True, exist_ok=True)
    config_path.write_text(json.dumps(config), encoding="utf-8")
    try:
        load_config(config_path)  # validates: a bad setting fails here, not on Gradescope
    finally:
        config_path.unlink()
    kit = kit_files()
    grader = autograder_files(config)
    for label, files in (("student kit", kit), ("autograder.zip", grader)):
        leaks = solution_leaks(files)
        if leaks:
            shown = "\n".join(f"  {name}:{number}: {line}   (from {where})" for name, number, line, where
                              in leaks[:10])
            raise ReleaseError(f"the {label} would hold {len(leaks)} solution line(s):\n{shown}")
    write_folder(kit, out / "student")
    write_zip(grader, out / "autograder.zip")
    return kit, grader


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m checks.tools.release", description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="output folder (default build/release)")
    parser.add_argument("--chapter", type=_parse_chapters, default=None,
                        help="grade only these chapters, e.g. 5,6 (default: all)")
    parser.add_argument("--total", type=float, default=100, help="the assignment's points on Gradescope")
    parser.add_argument("--visibility", default="visible",
                        choices=("visible", "hidden", "after_due_date", "after_published"),
                        help="what learners see of the results, and when")
    parser.add_argument("--language", choices=LANGUAGES, type=language_option, default=None,
                        help="the language of the feedback on Gradescope (default: the image's locale, i.e. English)")
    parser.add_argument("--show-not-attempted", action="store_true",
                        help="list not-attempted checks one by one (default: counted in the summary only)")
    parser.add_argument("--gradescope-minutes", type=int, default=None, metavar="N",
                        help="the assignment's timeout on Gradescope (default 10, Gradescope's); grading fits in it")
    parser.add_argument("--gradescope-memory-mb", type=int, default=None, metavar="M",
                        help="the memory of Gradescope's container (default 768, Gradescope's); grading fits in it")
    args = parser.parse_args(argv)
    total = int(args.total) if float(args.total).is_integer() else args.total
    try:
        kit, grader = build(args.out, args.chapter, total, args.visibility, not args.show_not_attempted,
                            args.language, args.gradescope_minutes, args.gradescope_memory_mb)
    except (ReleaseError, StubError, ValueError) as error:
        print(f"release: {error}", file=sys.stderr)
        return 1
    print(f"{args.out}/student/: {len(kit)} files, no solution line (checked against reference/'s markers)")
    config = json.loads(grader["autograder.json"])
    print(f"{args.out}/autograder.zip: {len(grader)} files; upload it to Gradescope "
          f"({total} points, chapters {', '.join(map(str, args.chapter)) if args.chapter else 'all'}); "
          f"set the assignment's timeout to {config['minutes']} minutes and its memory to at least "
          f"{config['memory_mb']} MB: grading fits inside them (docs/instructors.md)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
