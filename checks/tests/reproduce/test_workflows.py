"""The repository's own CI (.github/workflows/): its structure, since it cannot run here.

Each workflow calls the README's commands (`make check`, `make reproduce`, `dlfs reproduce
compare`), the check matrix is the version matrix of checks/tools/matrix.py, the nightly and
weekly runs compare against the committed baseline and publish the report and the table.
"""

import json
import re
import shlex
from pathlib import Path

import pytest
import yaml

from checks.reproduce.results import SCHEMA_VERSION
from checks.tools.matrix import PYTHONS, numpy_requirements

ROOT = Path(__file__).resolve().parents[3]
WORKFLOWS = ROOT / ".github" / "workflows"
BASELINE = "checks/reproduce/baseline/results.json"
COMPARE = f'.venv/bin/dlfs reproduce compare {BASELINE} build/report --markdown "$GITHUB_STEP_SUMMARY"'


def _load(name):
    document = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    document["on"] = document.pop(True, document.get("on"))  # YAML 1.1 reads the key `on` as true
    return document


def _steps(document):
    return [step for job in document["jobs"].values() for step in job["steps"]]


def _commands(document):
    return [line.strip() for step in _steps(document) for line in step.get("run", "").splitlines() if line.strip()]


def _make_targets():
    return set(re.findall(r"^([a-z][a-z-]*):", (ROOT / "Makefile").read_text(encoding="utf-8"), flags=re.M))


@pytest.fixture(scope="module")
def workflows():
    return {path.name: _load(path.name) for path in sorted(WORKFLOWS.glob("*.yml"))}


def test_the_three_workflows_and_their_triggers(workflows):
    assert sorted(workflows) == ["check.yml", "nightly.yml", "weekly.yml"]
    assert {"push", "pull_request"} <= set(workflows["check.yml"]["on"])
    for name in ("nightly.yml", "weekly.yml"):
        cron = workflows[name]["on"]["schedule"][0]["cron"]
        assert len(cron.split()) == 5, cron
    assert workflows["weekly.yml"]["on"]["schedule"][0]["cron"].split()[4] != "*", "weekly: one day of the week"
    for document in workflows.values():
        assert document["permissions"] == {"contents": "read"}
        for job in document["jobs"].values():
            assert job["timeout-minutes"] > 0


def test_the_check_matrix_is_the_version_matrix(workflows):
    job = workflows["check.yml"]["jobs"]["check"]
    cells = {(cell["python"], cell["numpy"]) for cell in job["strategy"]["matrix"]["include"]}
    assert cells == {(python, requirement) for python in PYTHONS for _end, requirement in numpy_requirements(python)}
    commands = _commands(workflows["check.yml"])
    assert "make check PYTHON=python" in commands
    assert any('pip install' in c and "${{ matrix.numpy }}" in c for c in commands)
    assert job["steps"][1]["with"]["python-version"] == "${{ matrix.python }}"


def test_the_scheduled_runs_reproduce_compare_and_publish(workflows):
    nightly, weekly = workflows["nightly.yml"], workflows["weekly.yml"]
    assert 'make reproduce REPRODUCE_ARGS="--no-progress"' in _commands(nightly)
    assert 'make reproduce REPRODUCE_ARGS="--train-convnets --no-progress"' in _commands(weekly)
    for document in (nightly, weekly):
        assert COMPARE in _commands(document)
        compare = next(step for step in _steps(document) if COMPARE in step.get("run", ""))
        upload = next(step for step in _steps(document) if step.get("uses", "").startswith("actions/upload-artifact"))
        assert compare["if"] == upload["if"] == "always()", "the table and the report also when a criterion regressed"
        assert upload["with"]["path"] == "build/report/"
    assert "vars.DLFS_CONVNET_RUNNER" in weekly["jobs"]["reproduce"]["runs-on"]


def test_every_command_is_the_readmes_or_the_makefiles(workflows):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in ("make check", "make reproduce", "dlfs reproduce compare"):
        assert command in readme, f"the README does not show {command!r}"
    targets = _make_targets()
    for name, document in workflows.items():
        for command in _commands(document):
            words = shlex.split(command.replace("$GITHUB_STEP_SUMMARY", "summary"))
            if words[0] == "make":
                target = words[1]
                assert target in targets or target.startswith(".venv/"), (name, command)
            else:
                assert words[0] in (".venv/bin/dlfs", ".venv/bin/python", "git", "sudo"), (name, command)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "\nmake check\n" in ci, ".ci/run stays the local entry point"


def test_actions_are_pinned_to_a_major_version(workflows):
    for name, document in workflows.items():
        for step in _steps(document):
            if "uses" in step:
                assert re.fullmatch(r"[\w-]+/[\w-]+@v\d+", step["uses"]), (name, step["uses"])


def test_the_committed_baseline_is_a_book_run_to_compare_with():
    baseline = json.loads((ROOT / BASELINE).read_text(encoding="utf-8"))
    assert baseline["schema"] == SCHEMA_VERSION and baseline["run"]["tier"] == "book"
    assert baseline["run"]["impl"] == "reference" and baseline["run"]["verdicts"]["FAIL"] == 0
    assert baseline["environment"]["numpy"] and baseline["environment"]["blas"]["library"]
