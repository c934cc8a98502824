"""The Makefiles' targets that run dlfs's own code byte-compile it first (their `bytecode` target).

Where PYTHONDONTWRITEBYTECODE is set (container images, this project's machines), nothing else
writes bytecode, and every process compiled dlfs from source: a one-component grading's command and
judge took 2.08-2.39 s of CPU against 1.54-1.84 s compiled (six runs each, alternating). The
student kit's Makefile (checks/tools/release_files/student_Makefile) does the same for the harness
it ships.
"""

import os
import shutil
import subprocess

import pytest

from checks.isolation.adapters import REPO_ROOT

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
KIT_MAKEFILE = REPO_ROOT / "checks" / "tools" / "release_files" / "student_Makefile"


def _dry_run(folder, target, *variables):
    env = {key: value for key, value in os.environ.items() if not key.startswith("MAKE")}
    made = subprocess.run(["make", "-n", target, *variables], cwd=folder, env=env, capture_output=True, text=True,
                          check=False)
    assert made.returncode == 0, made.stderr
    return made.stdout.splitlines()


def _assert_compiles_first(lines, runs, folders):
    compiling = [i for i, line in enumerate(lines) if "-m compileall" in line]
    assert compiling and any(runs in line for line in lines), "\n".join(lines)
    # Before any process of dlfs's own (grade's boundary probe too), not only the target's command.
    dlfs = [i for i, line in enumerate(lines)
            if "/python -m " in line and "-m compileall" not in line and "-m pip" not in line]
    assert dlfs and compiling[0] < dlfs[0], "\n".join(lines)
    words = lines[compiling[0]].split()
    assert set(folders) <= set(words) and "exercises" not in words  # the learner's files: never
    assert lines[compiling[0]].rstrip().endswith("|| true")  # a checkout it cannot write to is graded all the same


@pytest.mark.parametrize("target, runs", [("check", "-m pytest"), ("grade", "-m checks.grading"),
                                          ("grade-all", "-m checks.grading.batch"),
                                          ("reproduce", "-m checks.reproduce")])
def test_the_target_compiles_dlfs_and_not_the_exercises_before_it_runs(target, runs):
    _assert_compiles_first(_dry_run(REPO_ROOT, target, "SUBMISSIONS=submissions"), runs, ["checks", "reference"])


@pytest.mark.parametrize("target, runs", [("check", "-m pytest"), ("grade", "-m checks.grading")])
def test_the_kits_target_compiles_the_harness_and_not_the_exercises(target, runs, tmp_path):
    shutil.copyfile(KIT_MAKEFILE, tmp_path / "Makefile")
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "checks").mkdir()
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / ".dlfs-installed").write_text("")  # newer than pyproject.toml: no install step
    _assert_compiles_first(_dry_run(tmp_path, target), runs, ["checks"])
