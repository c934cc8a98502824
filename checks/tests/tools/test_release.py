"""`make release`: the student kit holds no solution and works on its own; the autograder zip is reproducible."""

import ast
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from checks.tests.fixtures.data import MIRROR
from checks.tools.release import REFERENCE, build, kit_files, solution_leaks, solution_lines
from checks.tools.stubgen import EXCLUDED

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    out = tmp_path_factory.mktemp("release")
    build(out)
    return out


def _files_on_disk(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _complete(kit):
    """What a learner who completed every exercise hands in: the reference's modules in exercises/."""
    for source in REFERENCE.rglob("*.py"):
        relative = source.relative_to(REFERENCE)
        if EXCLUDED.intersection(relative.parts):  # what exercises/ mirrors: no experiments/, no fast/
            continue
        shutil.copyfile(source, kit / "exercises" / relative)


def _kit_copy(release, tmp_path):
    kit = tmp_path / "kit"
    shutil.copytree(release / "student", kit)
    return kit


def _grade_json(kit, tmp_path):
    out = tmp_path / "grade-out"
    subprocess.run([sys.executable, "-m", "checks.grading", "--impl=exercises", "--out", str(out)],
                   cwd=kit, check=True, capture_output=True, text=True, timeout=600)
    return json.loads((out / "results.json").read_text(encoding="utf-8"))


def test_the_kit_holds_no_solution_line(release):
    files = _files_on_disk(release / "student")
    assert solution_leaks(files) == []
    assert not any(name.startswith(("reference/", "checks/tools/", "checks/tests/")) for name in files)
    assert "exercises/layers/affine.py" in files and ".github/workflows/grade.yml" in files


def test_the_leak_check_finds_a_planted_solution_line(release):
    # A check that cannot fail is a defect: one real solution line, pasted into a kit file, is found.
    line, where = sorted(solution_lines().items())[0]
    files = _files_on_disk(release / "student")
    files["checks/library/named/layer_checks.py"] += f"\n    {line}\n".encode("utf-8")
    leaks = solution_leaks(files)
    assert [(name, text, origin) for name, _, text, origin in leaks] == [
        ("checks/library/named/layer_checks.py", line, where)]
    files["reference/functions.py"] = b"x = 1\n"
    assert any(name == "reference/functions.py" for name, *_ in solution_leaks(files))


def test_nothing_in_the_kit_or_the_zip_imports_the_reference(release):
    with zipfile.ZipFile(release / "autograder.zip") as archive:
        zipped = {name: archive.read(name) for name in archive.namelist()}
    for label, files in (("kit", _files_on_disk(release / "student")), ("zip", zipped)):
        for name, content in files.items():
            if not name.endswith(".py"):
                continue
            for node in ast.walk(ast.parse(content.decode("utf-8"), filename=name)):
                modules = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                           else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
                assert not any(m == "reference" or m.startswith("reference.") for m in modules), (label, name)


def test_the_autograder_zip_is_reproducible_and_has_its_entry_points_at_the_root(release, tmp_path):
    build(tmp_path / "again")
    assert (release / "autograder.zip").read_bytes() == (tmp_path / "again" / "autograder.zip").read_bytes()
    with zipfile.ZipFile(release / "autograder.zip") as archive:
        names = archive.namelist()
        assert names == sorted(names)
        for script in ("setup.sh", "run_autograder"):
            info = archive.getinfo(script)
            assert (info.external_attr >> 16) & 0o111, f"{script} is not executable in the zip"
            assert archive.read(script).startswith(b"#!/usr/bin/env bash\n")
        config = json.loads(archive.read("autograder.json"))
        assert config["total"] == 100 and (config["minutes"], config["memory_mb"]) == (10, 768)  # Gradescope's defaults
    assert solution_leaks({n: b"" for n in names}) == []
    assert not any(n.startswith(("reference/", "checks/tools/", "checks/reproduce/")) for n in names)


def test_release_options_reach_the_zip(tmp_path):
    from checks.tools.release import main

    assert main(["--out", str(tmp_path), "--chapter", "5,6", "--total", "40", "--visibility", "after_due_date",
                 "--language", "ko", "--gradescope-minutes", "20", "--gradescope-memory-mb", "1536"]) == 0
    with zipfile.ZipFile(tmp_path / "autograder.zip") as archive:
        config = json.loads(archive.read("autograder.json"))
    assert config == {"chapters": [5, 6], "decimals": 2, "hide_not_attempted": True, "total": 40,
                      "visibility": "after_due_date", "language": "ko", "minutes": 20, "memory_mb": 1536}
    with pytest.raises(SystemExit):
        main(["--out", str(tmp_path), "--chapter", "9"])
    # a budget the grader cannot fit in is refused when the zip is built, not on Gradescope
    assert main(["--out", str(tmp_path / "small"), "--gradescope-memory-mb", "256"]) == 1


def test_the_completed_kit_grades_100(release, tmp_path):
    kit = _kit_copy(release, tmp_path)
    _complete(kit)
    results = _grade_json(kit, tmp_path)
    assert results["extra_data"]["percent"] == 100


def test_the_kits_suite_runs_the_learners_code(release, tmp_path):
    # `make check` in the kit: the suite and the book's experiments, on exercises/.
    kit = _kit_copy(release, tmp_path)
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", "-m", "not slow",
               "checks/suite/test_components.py", "checks/suite/test_claims.py", "-k",
               "step_function or ch03_sample_weights"]
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
    # The kit's claim reads MNIST through the environment alone: the mirror the fixtures find beside
    # the checkout (../shared/mirror) is handed to it, or offline without DLFS_MIRROR it would try the
    # network and fail (it did once, in a make check run started without DLFS_MIRROR exported).
    if not env.get("DLFS_MIRROR") and MIRROR.is_dir():
        env["DLFS_MIRROR"] = str(MIRROR)
    untouched = subprocess.run(command, cwd=kit, capture_output=True, text=True, timeout=600, env=env)
    assert untouched.returncode == 1, untouched.stdout[-2000:]
    assert "NOT ATTEMPTED" in untouched.stdout and " error" not in untouched.stdout.splitlines()[-1]
    _complete(kit)
    completed = subprocess.run(command, cwd=kit, capture_output=True, text=True, timeout=600, env=env)
    # if MNIST could not be read, the data settings it ran with say why
    data_settings = {name: env.get(name) for name in ("DLFS_MIRROR", "DLFS_OFFLINE", "DLFS_DATA_HOME")}
    assert completed.returncode == 0, f"{data_settings}\n{completed.stdout[-6000:]}"
    assert "passed" in completed.stdout.splitlines()[-1]


def test_kit_files_are_those_written(release):
    assert set(kit_files()) == set(_files_on_disk(release / "student"))


def _workflow_steps(text):
    """[(name, run script, if condition)] of the workflow's `run: |` steps (a reader for this file's shape only)."""
    steps, lines = [], text.splitlines()
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped != "run: |":
            continue
        indent = len(line) - len(line.lstrip())
        header = lines[index - 1].strip() if index else ""
        name, condition = "", ""
        for back in range(index - 1, -1, -1):  # the step's own keys, up to its `- ` line
            key = lines[back].strip()
            if key.startswith("if:"):
                condition = key[3:].strip()
            if key.startswith("- name:") or key.startswith("name:"):
                name = key.split(":", 1)[1].strip()
            if key.startswith("- "):
                break
        body = []
        for following in lines[index + 1:]:
            if following.strip() and len(following) - len(following.lstrip()) <= indent:
                break
            body.append(following[indent + 2:])
        steps.append((name or header, "\n".join(body) + "\n", condition))
    return steps


def test_the_workflow_steps_grade_the_kit_and_fill_the_job_summary(release, tmp_path):
    # GitHub's runner, approximated: each `run:` step in bash -eo pipefail (GitHub's default shell),
    # `python` on PATH, $GITHUB_STEP_SUMMARY a file. The Install step (pip install -e) is skipped:
    # this interpreter has the dependencies already and the package index is not needed here.
    kit = _kit_copy(release, tmp_path)
    steps = _workflow_steps((kit / ".github" / "workflows" / "grade.yml").read_text(encoding="utf-8"))
    assert [name for name, _, _ in steps] == ["Install", "Grade", "Score table in the job summary"]
    assert "pip install" in steps[0][1] and steps[2][2] == "always()"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    # a wrapper, not a symlink: a symlinked venv interpreter outside its venv loses the venv's packages
    (bin_dir / "python").write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    (bin_dir / "python").chmod(0o755)

    def run_steps(min_percent):
        summary = tmp_path / f"summary-{min_percent or 'none'}.md"
        env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "GITHUB_STEP_SUMMARY": str(summary),
               "MIN_PERCENT": min_percent, "OPENBLAS_NUM_THREADS": "1"}
        failed = False
        for name, script, condition in steps[1:]:
            if failed and condition != "always()":
                continue
            done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=kit,
                                  env=env, capture_output=True, text=True, timeout=600)
            failed = failed or done.returncode != 0
        return failed, summary.read_text(encoding="utf-8")

    failed, summary = run_steps("")
    assert not failed
    assert summary.startswith("## Grade") and "score: 0.00 / 100.00" in summary and "not att." in summary
    # the untouched kit grades 0 without errors; results.json is the artifact the upload step takes
    results = json.loads((kit / "build" / "grade" / "results.json").read_text(encoding="utf-8"))
    assert results["score"] == 0 and results["extra_data"]["counts"]["error"] == 0
    assert results["extra_data"]["counts"]["not_attempted"] == len(results["tests"]) > 100
    failed, summary = run_steps("50")  # MIN_PERCENT set: the job fails below it, the summary is still written
    assert failed and "score: 0.00 / 100.00" in summary


def test_the_kits_experiments_are_the_references_unchanged(release):
    # Claims as modules (issue 22): the kit ships the experiments byte for byte, nothing rewritten.
    shipped = _files_on_disk(release / "student" / "checks" / "experiments")
    source = REFERENCE / "experiments"
    assert shipped == {p.relative_to(source).as_posix(): p.read_bytes() for p in sorted(source.rglob("*.py"))
                       if "__pycache__" not in p.parts}


def test_every_accelerate_call_of_the_experiments_runs_the_learners_layers_in_the_kit(release, tmp_path):
    # The kit has no reference/fast: each experiment's call of accelerate (threads= included), made
    # as the experiment makes it, must hand back the learner's network untouched, or the conv-net
    # trainings break in the kit.
    calls = []
    for path in sorted((REFERENCE / "experiments").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "accelerate":
                calls.append((path.name, [ast.unparse(k) for k in node.keywords], len(node.args)))
    assert {name for name, *_ in calls} >= {"ch07_convnet.py", "ch08_deep_convnet.py"}
    assert all(positional == 1 for *_, positional in calls), calls
    keywords = sorted({k for _, ks, _ in calls for k in ks})
    script = ("import sys\n"
              "from checks.experiments import _common\n"
              "assert _common._tuned_kernels() is None, 'the kit found tuned kernels'\n"
              "threads = 2\n"
              "network = object()\n"
              f"for keywords in {keywords!r} + ['']:\n"
              "    assert eval(f'_common.accelerate(network, {keywords})') is network, keywords\n"
              "print('untouched')\n")
    kit = _kit_copy(release, tmp_path)
    done = subprocess.run([sys.executable, "-c", script], cwd=kit, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "untouched", done.stderr[-2000:]


def test_the_kits_templates_offer_no_discontinued_github_classroom():
    # GitHub Classroom was discontinued on 2026-08-28: the kit's README and workflow must not send a
    # class there (docs/instructors.md: an organization and a template repository instead)
    from checks.tools.release import TEMPLATES

    for path in sorted(TEMPLATES.iterdir()):
        if path.is_file():
            assert "classroom" not in path.read_text(encoding="utf-8").lower(), path.name
