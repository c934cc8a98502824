"""pyproject.toml, the `dlfs` command and a fresh virtualenv install (`pip install -e <checkout>`).

The fast tests check that what pyproject.toml declares covers the tree (every package
folder, every file read at run time) and that `dlfs` offers every Makefile target. The
slow one installs the checkout into a new virtualenv for real and grades from another folder.
"""

import fnmatch
import json
import os
import re
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from checks import cli
from checks.isolation.adapters import REPO_ROOT

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: pytest depends on tomli there
    import tomli as tomllib

PACKAGE_ROOTS = ("reference", "exercises", "checks", "data")
SKIPPED_FOLDERS = {"__pycache__", "cache"}  # data/cache/: the downloaded files, never packaged


def _pyproject():
    return tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _package_folders():
    """Dotted names of every folder holding an __init__.py under the four package roots."""
    names = []
    for root in PACKAGE_ROOTS:
        for folder, subfolders, files in os.walk(REPO_ROOT / root):
            subfolders[:] = sorted(d for d in subfolders if d not in SKIPPED_FOLDERS)
            if "__init__.py" in files:
                names.append(os.path.relpath(folder, REPO_ROOT).replace(os.sep, "."))
    return names


def _data_files():
    """Every non-Python file under the package roots, as (package, file name)."""
    found = []
    for root in PACKAGE_ROOTS:
        for folder, subfolders, files in os.walk(REPO_ROOT / root):
            subfolders[:] = [d for d in subfolders if d not in SKIPPED_FOLDERS]
            package = os.path.relpath(folder, REPO_ROOT).replace(os.sep, ".")
            found += [(package, name) for name in files if not name.endswith((".py", ".pyc"))]
    return found


def test_pyproject_packages_cover_every_package_folder():
    find = _pyproject()["tool"]["setuptools"]["packages"]["find"]
    patterns = find["include"]
    folders = _package_folders()
    assert {"reference", "exercises", "checks", "data", "checks.isolation.child.sandboxed"} <= set(folders)
    missed = [name for name in folders if not any(fnmatch.fnmatchcase(name, p) for p in patterns)]
    assert missed == [], f"pyproject.toml's [tool.setuptools.packages.find] include leaves out {missed}"
    roots = [p for p in patterns if "*" not in p]
    assert sorted(roots) == sorted(PACKAGE_ROOTS), f"pyproject.toml includes {roots}, not the four packages"


def test_every_python_folder_under_the_roots_is_a_package():
    # A folder of modules without __init__.py would only install as a namespace package by accident.
    for root in PACKAGE_ROOTS:
        for folder, subfolders, files in os.walk(REPO_ROOT / root):
            subfolders[:] = [d for d in subfolders if d not in SKIPPED_FOLDERS]
            if any(name.endswith(".py") for name in files):
                assert "__init__.py" in files, f"{os.path.relpath(folder, REPO_ROOT)} has modules but no __init__.py"


def test_files_read_at_run_time_are_package_data():
    declared = _pyproject()["tool"]["setuptools"]["package-data"]
    for package, name in _data_files():
        # a package's pattern may reach into its data folders ("locale/*/LC_MESSAGES/*.po" of checks.i18n)
        parts = package.split(".")
        owners = [(".".join(parts[:i]), "/".join(parts[i:] + [name])) for i in range(len(parts), 0, -1)]
        assert any(fnmatch.fnmatchcase(path, p) for owner, path in owners for p in declared.get(owner, ())), \
            f"{package.replace('.', '/')}/{name} is not in pyproject.toml's [tool.setuptools.package-data]"
    for package, patterns in declared.items():
        for pattern in patterns:
            assert list((REPO_ROOT / package.replace(".", "/")).glob(pattern)), f"{package}: {pattern} matches nothing"


def test_the_console_script_is_the_cli_main():
    assert _pyproject()["project"]["scripts"] == {"dlfs": "checks.cli:main"}


def _makefile_targets():
    text = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    phony = re.search(r"^\.PHONY:(.*)$", text, re.MULTILINE).group(1).split()
    return [target for target in phony if target != "clean"]


def test_dlfs_help_lists_a_subcommand_for_every_makefile_target():
    run = subprocess.run([sys.executable, "-m", "checks.cli", "--help"], cwd=REPO_ROOT,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    listed = set(re.findall(r"^    (\S+)", run.stdout, re.MULTILINE))
    targets = _makefile_targets()
    assert {"check", "grade", "grade-all", "reproduce", "bench", "exercises", "mutants", "matrix"} <= set(targets)
    assert set(targets) <= listed, f"Makefile targets without a dlfs subcommand: {set(targets) - listed}"
    assert "data" in listed


def test_every_subcommand_module_has_a_main():
    import importlib

    for name, (module, function, description) in cli.COMMANDS.items():
        assert description
        if module is not None and name not in ("reproduce",):  # reproduce pins BLAS at import: checked below
            assert callable(getattr(importlib.import_module(module), function)), name


def test_an_unknown_subcommand_names_the_known_ones(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["gradee"])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert "gradee" in error and "grade" in error and "check" in error


def test_dlfs_grade_takes_make_grades_options(capsys):
    with pytest.raises(SystemExit):
        cli.main(["grade", "--help"])
    text = capsys.readouterr().out
    for option in ("--impl", "--submission", "--out", "--no-out", "--chapter", "--component", "--workers",
                   "--min-percent"):
        assert option in text


def test_dlfs_reproduce_pins_one_blas_thread_before_numpy(tmp_path):
    # In a fresh interpreter: the module `dlfs reproduce` runs sets the BLAS variables when
    # imported, and the CLI itself has not loaded NumPy before (BLAS reads them when NumPy loads).
    code = ("import importlib, os, sys\n"
            "from checks import cli\n"
            "assert 'numpy' not in sys.modules, 'the dlfs command loaded NumPy before choosing a subcommand'\n"
            "importlib.import_module(cli.COMMANDS['reproduce'][0])\n"
            "print(os.environ.get('OPENBLAS_NUM_THREADS'))\n")
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS",
                                                            "MKL_NUM_THREADS")}
    env["PYTHONPATH"] = str(REPO_ROOT)
    run = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "1"


def test_dlfs_check_runs_from_another_folder(tmp_path):
    # Collect only, one process: the suite is found from the checkout, not the working directory.
    # Only this test's folder is collected (--ignore paths are the checkout's, where pytest runs):
    # the whole suite imported every test module, 4-5 s of CPU in make check for the same proof.
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    here = Path(__file__).resolve().parent
    roots = [REPO_ROOT / arg for arg in cli.CHECK_PYTEST_ARGS if (REPO_ROOT / arg).is_dir()]
    # every root of the suite but the one holding this file, and that one's folders but this file's
    left_out = [path for root in roots for path in
                ([p for p in root.iterdir() if p.is_dir() and p != here] if here.is_relative_to(root) else [root])]
    others = [f"--ignore={path.relative_to(REPO_ROOT)}" for path in sorted(left_out)]
    run = subprocess.run([sys.executable, "-m", "checks.cli", "check", "--collect-only", "-q", "-n", "0",
                          *others, "-k", "test_the_console_script_is_the_cli_main"],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert "checks/tests/tools/test_packaging.py::test_the_console_script_is_the_cli_main" in run.stdout
    assert not (tmp_path / ".pytest_cache").exists()


@pytest.mark.slow
@pytest.mark.network
def test_a_fresh_virtualenv_installs_imports_and_grades_from_another_folder(tmp_path):
    """`pip install -e <checkout>` into a new venv, then work from an unrelated folder (needs a package index)."""
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = str(env_dir / "bin" / "python")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    install = subprocess.run([python, "-m", "pip", "install", "--disable-pip-version-check", "-e", str(REPO_ROOT)],
                             env=env, capture_output=True, text=True, timeout=1800)
    assert install.returncode == 0, install.stdout[-3000:] + install.stderr[-3000:]
    assert "SetuptoolsDeprecationWarning" not in install.stdout + install.stderr

    elsewhere = tmp_path / "notebook"
    elsewhere.mkdir()
    imports = subprocess.run([python, "-c", "import reference, exercises, checks, data, checks.cli; "
                                            "print(reference.__file__)"],
                             cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300)
    assert imports.returncode == 0, imports.stderr
    assert imports.stdout.strip() == str(REPO_ROOT / "reference" / "__init__.py")

    grade = subprocess.run([str(env_dir / "bin" / "dlfs"), "grade", "--impl=reference", "--out", "graded"],
                           cwd=elsewhere, env=env, capture_output=True, text=True, timeout=3600)
    assert grade.returncode == 0, grade.stdout[-3000:] + grade.stderr[-3000:]
    results = json.loads((elsewhere / "graded" / "results.json").read_text(encoding="utf-8"))
    maximum = sum(test["max_score"] for test in results["tests"])
    assert maximum > 0 and results["score"] == pytest.approx(maximum)


def test_a_relative_impl_path_names_a_folder_in_the_callers_directory(tmp_path, monkeypatch):
    # `dlfs grade --impl=mine` from another folder: the checks run in the checkout, the path
    # must still mean ./mine, not <checkout>/mine.
    from checks.grading.run import grade
    from checks.tests.fixtures.grading import REFERENCE, copy_package

    copy_package(REFERENCE, tmp_path / "mine")
    monkeypatch.chdir(tmp_path)
    result = grade("mine", components=["step_function"])
    assert result.records and result.exact_score == result.exact_max_score
    assert result.label.endswith("mine") and (tmp_path / "mine").is_dir()  # the learner's folder, by its name
