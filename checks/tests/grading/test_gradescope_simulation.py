"""The built autograder.zip, run as Gradescope runs it (real processes, real paths, no mocks).

Gradescope's sequence: unzip to /autograder/source, run setup.sh there (as root, once,
while the image is built), copy run_autograder to /autograder/run_autograder, put the
submission in /autograder/submission, run /autograder/run_autograder, read
/autograder/results/results.json. Here each step runs inside a bubblewrap mount
namespace whose /autograder is a temporary folder; the rest of the file system is this
machine's, read-only, standing in for Gradescope's Ubuntu image (Python 3.10+, pip
reaching the package index). setup.sh installs the dependencies from the index, so the
first run takes minutes: these tests are `slow` (run them with
`pytest -m slow checks/tests/grading/test_gradescope_simulation.py`). pip's cache is kept
in ~/.cache/dlfs-gradescope-pip between runs.
"""

import json
import os
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from checks.tools.release import REFERENCE, build
from checks.tools.stubgen import EXCLUDED

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("bwrap") is None, reason="needs bubblewrap (apt-get install bubblewrap)"),
    pytest.mark.skipif(os.geteuid() != 0, reason="Gradescope runs the autograder as root"),
]

PIP_CACHE = Path.home() / ".cache" / "dlfs-gradescope-pip"


def _gradescope(root, command, timeout=1800):
    """Run `command` (bash) with `root` mounted at /autograder, the rest of / read-only, a fresh /tmp."""
    args = ["bwrap", "--die-with-parent", "--tmpfs", "/tmp", "--dev", "/dev", "--proc", "/proc"]
    for entry in sorted(Path("/").iterdir()):
        if entry.name in ("proc", "dev", "tmp", "autograder"):
            continue
        if entry.is_symlink():
            args += ["--symlink", os.readlink(entry), str(entry)]
        elif entry.is_dir():
            args += ["--ro-bind", str(entry), str(entry)]
    PIP_CACHE.mkdir(parents=True, exist_ok=True)
    args += ["--bind", str(root), "/autograder", "--bind", str(PIP_CACHE), "/pip-cache",
             "--setenv", "PIP_CACHE_DIR", "/pip-cache", "--setenv", "HOME", "/tmp",
             "--chdir", "/autograder", "bash", "-c", command]
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def autograder(tmp_path_factory):
    """/autograder after Gradescope's image build: the zip unzipped in source/, setup.sh run."""
    release = tmp_path_factory.mktemp("release")
    build(release)
    root = tmp_path_factory.mktemp("autograder")
    with zipfile.ZipFile(release / "autograder.zip") as archive:
        for info in archive.infolist():  # as unzip does: the modes in the zip are kept
            archive.extract(info, root / "source")
            mode = (info.external_attr >> 16) & 0o777
            if mode:
                (root / "source" / info.filename).chmod(mode)
    setup = _gradescope(root, "cd /autograder/source && ./setup.sh && cp run_autograder /autograder/run_autograder")
    assert setup.returncode == 0, setup.stdout[-3000:] + setup.stderr[-3000:]
    return {"root": root, "kit": release / "student"}


def _run(autograder, fill):
    """Put a submission in /autograder/submission (`fill(folder)`), run the autograder, read results.json."""
    root = autograder["root"]
    for folder in ("submission", "results"):
        shutil.rmtree(root / folder, ignore_errors=True)
    (root / "submission").mkdir()
    fill(root / "submission")
    run = _gradescope(root, "/autograder/run_autograder", timeout=900)
    results_path = root / "results" / "results.json"
    assert results_path.is_file(), run.stdout[-3000:] + run.stderr[-3000:]
    return run, json.loads(results_path.read_text(encoding="utf-8"))


def _exact_sum(values):
    return sum(Decimal(str(v)) for v in values)


def _completed_kit(kit, folder):
    shutil.copytree(kit, folder, dirs_exist_ok=True)
    for source in REFERENCE.rglob("*.py"):
        relative = source.relative_to(REFERENCE)
        if not EXCLUDED.intersection(relative.parts):  # what exercises/ mirrors: no experiments/, no fast/
            shutil.copyfile(source, folder / "exercises" / relative)


def test_a_completed_submission_gets_100(autograder):
    run, results = _run(autograder, lambda folder: _completed_kit(autograder["kit"], folder))
    assert run.returncode == 0, run.stderr[-3000:]
    assert results["score"] == 100 and results["max_score"] == 100
    assert _exact_sum(t["max_score"] for t in results["tests"]) == 100  # exactly, not 99.99998
    assert all(t["status"] == "passed" for t in results["tests"])
    assert results["output"].startswith("dlfs grade") and "100.00 / 100.00" in results["output"]


def test_two_loose_files_get_partial_credit(autograder):
    def fill(folder):
        shutil.copyfile(REFERENCE / "functions.py", folder / "functions.py")
        shutil.copyfile(REFERENCE / "layers" / "affine.py", folder / "affine.py")

    run, results = _run(autograder, fill)
    assert run.returncode == 0, run.stderr[-3000:]
    assert 0 < results["score"] < 100 and results["max_score"] == 100
    assert _exact_sum(t["max_score"] for t in results["tests"]) == 100
    passed = {t["tags"][0] for t in results["tests"] if t["status"] == "passed"}
    assert {"softmax", "sigmoid", "Affine"} <= passed
    hidden = [t for t in results["tests"] if t["visibility"] == "hidden"]
    assert hidden and all("not_attempted" in t["tags"] for t in hidden)
    assert "error" not in results["extra_data"]["counts"] or results["extra_data"]["counts"]["error"] == 0


def test_an_empty_submission_still_gets_a_valid_results_json(autograder):
    run, results = _run(autograder, lambda folder: None)
    assert results["score"] == 0 and results["max_score"] == 100
    assert "nothing to grade" in results["output"] or "Grading could not run" in results["output"]
