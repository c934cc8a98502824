"""The Makefile's targets that run dlfs's own code byte-compile it first (the Makefile's BYTECODE).

Where PYTHONDONTWRITEBYTECODE is set (container images, this project's machines), nothing else
writes bytecode, and every process compiled dlfs from source: a one-component grading's command and
judge took 2.08-2.39 s of CPU against 1.54-1.84 s compiled (six runs each, alternating).
"""

import os
import subprocess

import pytest

from checks.isolation.adapters import REPO_ROOT


@pytest.mark.parametrize("target, runs", [("check", "-m pytest"), ("grade", "-m checks.grading"),
                                          ("reproduce", "-m checks.reproduce")])
def test_the_target_compiles_dlfs_and_not_the_exercises_before_it_runs(target, runs):
    env = {key: value for key, value in os.environ.items() if not key.startswith("MAKE")}
    made = subprocess.run(["make", "-n", target], cwd=REPO_ROOT, env=env, capture_output=True, text=True,
                          check=False)
    assert made.returncode == 0, made.stderr
    lines = made.stdout.splitlines()
    compiling = [i for i, line in enumerate(lines) if "-m compileall" in line]
    running = [i for i, line in enumerate(lines) if runs in line]
    assert compiling and running and compiling[0] < running[0], made.stdout
    words = lines[compiling[0]].split()
    assert {"checks", "reference"} <= set(words) and "exercises" not in words  # the learner's files: never
    assert lines[compiling[0]].rstrip().endswith("|| true")  # a read-only checkout is graded all the same
