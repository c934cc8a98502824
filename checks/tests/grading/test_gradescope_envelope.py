"""The built autograder.zip inside Gradescope's default envelope: ½ CPU, 768 MB, 10 minutes (issue 25).

`make release` builds the zip with Gradescope's defaults in autograder.json; each
submission below is graded by /autograder/run_autograder in Gradescope's stand-in image
(checks/tests/fixtures/gradescope.py: /sys read-only, so no cgroup of the grader's own,
as in Gradescope's Docker container), the whole run inside cgroups of ½ CPU and 768 MB.
For each, the test prints and checks: its wall time (under the 10 minutes Gradescope
allows), the peak summed RSS and PSS of every process of the run (RSS ≤ 700 MB), and
a valid, complete results.json (every check listed, partial credit kept). The
fork-bomb of memory runs twice: without cgroups for the grader (sampled bounds, as on
Gradescope) and with them (a VM or a privileged container).

Slow: setup.sh installs the grader's dependencies from the package index, and a
submission hanging in every component takes minutes by design.
`pytest -m slow -s checks/tests/grading/test_gradescope_envelope.py` shows the numbers.
"""

import json
import os
import shutil

import pytest

from checks.tests.fixtures.gradescope import Container, autograder_image, completed_kit, gradescope
from checks.tests.fixtures.grading import wrap_exports

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("bwrap") is None, reason="needs bubblewrap (apt-get install bubblewrap)"),
    pytest.mark.skipif(os.geteuid() != 0, reason="Gradescope runs the autograder as root"),
]

GRADESCOPE_SECONDS = 600
MEMORY_BUDGET = 700 << 20  # issue 25: at most 700 MB over the whole process tree

# Each defines `_before()`, which every exported function and method of the completed kit
# runs first (checks/tests/fixtures/grading.py, wrap_exports): the book's code after it.
ATTACKS = {
    "hangs_everywhere": '''
def _before():
    while True:
        pass
''',
    "forks_memory_everywhere": '''
import ctypes as _ctypes
_libc = _ctypes.CDLL(None)


_hoard = []


def _before():
    for _ in range(4):  # four children, 120 MB each, touched, living 20 s
        pid = _libc.fork()
        if pid == 0:
            try:
                _block = b"x" * (120 << 20)
            except MemoryError:
                pass
            _libc.sleep(20)
            _libc._exit(0)
        if pid < 0:  # no new process allowed: hoard it here instead, for good
            _hoard.append(b"x" * (120 << 20))
''',
    "floods_stdout": '''
import os as _os


def _before():
    print("debug " * 20000)  # 120 kB a call, through print and the descriptor
    _os.write(1, b"x" * (1 << 20))
''',
}


def _attacked_kit(kit, folder, attack):
    completed_kit(kit, folder)
    wrap_exports(folder / "exercises", ATTACKS[attack])


def _wrong_kit(kit, folder):
    """A completed kit with three realistic mistakes (the bug corpus has them): partial credit."""
    completed_kit(kit, folder)
    exercises = folder / "exercises"
    for relative, old, new in (
            ("layers/activation.py", "return dout * (1.0 - self.out) * self.out", "return dout * self.out"),
            ("layers/affine.py", "self.db = np.sum(dout, axis=0)", "self.db = np.sum(dout)"),
            ("functions.py", "return np.maximum(0, x)", "return np.maximum(0.1 * x, x)")):
        path = exercises / relative
        text = path.read_text(encoding="utf-8")
        if old in text:
            path.write_text(text.replace(old, new), encoding="utf-8")


KINDS = {
    "correct": lambda kit, folder: completed_kit(kit, folder),
    "wrong": _wrong_kit,
    "empty": lambda kit, folder: None,
    "hangs_everywhere": lambda kit, folder: _attacked_kit(kit, folder, "hangs_everywhere"),
    "forks_memory_everywhere": lambda kit, folder: _attacked_kit(kit, folder, "forks_memory_everywhere"),
    "floods_stdout": lambda kit, folder: _attacked_kit(kit, folder, "floods_stdout"),
}


@pytest.fixture(scope="module")
def image(tmp_path_factory):
    return autograder_image(tmp_path_factory)  # `make release` with its defaults: Gradescope's envelope


def _grade_in_envelope(image, kind, writable_cgroups=False):
    root = image["root"]
    for folder in ("submission", "results"):
        shutil.rmtree(root / folder, ignore_errors=True)
    (root / "submission").mkdir()
    KINDS[kind](image["kit"], root / "submission")
    container = Container(cpus=0.5, memory_bytes=768 << 20)
    try:
        run, wall = container.run(lambda join: gradescope(root, "/autograder/run_autograder", timeout=1200,
                                                          writable_cgroups=writable_cgroups, preexec_fn=join))
        usage = container.usage()
    finally:
        container.remove()
    results = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    tests = results["tests"]
    line = {"kind": kind, "grader_cgroups": writable_cgroups, "wall_s": round(wall, 1), **usage,
            "score": results["score"], "max_score": results["max_score"], "tests": len(tests),
            "passed": sum(t["status"] == "passed" for t in tests), "exit": run.returncode,
            "isolation": results.get("extra_data", {}).get("isolation", ""),
            "limits": results.get("extra_data", {}).get("limits", "")}
    print("\n[gradescope-envelope] " + json.dumps(line))
    return run, results, wall, usage


_counts = {}


@pytest.mark.parametrize("kind,writable_cgroups", [
    ("correct", False), ("wrong", False), ("empty", False), ("floods_stdout", False),
    ("forks_memory_everywhere", False), ("forks_memory_everywhere", True), ("hangs_everywhere", False)])
def test_each_submission_gets_a_complete_results_json_inside_gradescopes_envelope(image, kind, writable_cgroups):
    run, results, wall, usage = _grade_in_envelope(image, kind, writable_cgroups)
    assert wall < GRADESCOPE_SECONDS, f"{kind}: {wall:.0f} s, Gradescope stops at {GRADESCOPE_SECONDS} s"
    assert usage["peak_rss_mb"] << 20 <= MEMORY_BUDGET, usage  # summed RSS: pages shared by forks counted twice
    assert usage["peak_pss_mb"] <= usage["peak_rss_mb"], usage
    assert results["max_score"] == 100 and 0 <= results["score"] <= 100
    for test in results["tests"]:
        assert {"name", "score", "max_score", "status", "output", "visibility"} <= set(test)
    _counts.setdefault("listed", len(results["tests"]))
    assert len(results["tests"]) == _counts["listed"], "every check is listed, whatever happened to it"
    if kind == "empty":  # nothing to grade: every check listed at 0, and the exit status says so
        assert results["score"] == 0 and run.returncode == 2
        assert all(test["score"] == 0 for test in results["tests"])
        return
    assert run.returncode == 0, run.stderr[-3000:]
    # the attack wraps every exported method but __init__: only the checks of what __init__
    # sets (parameters' keys, shapes, initial statistics) and of ch04.TwoLayerNet (not an
    # export, so not wrapped) pass: 19 of 259
    expected = {"correct": lambda s: s == 100, "wrong": lambda s: 50 < s < 100, "floods_stdout": lambda s: s == 100,
                "hangs_everywhere": lambda s: s < 15, "forks_memory_everywhere": lambda s: s < 100}[kind]
    assert expected(results["score"]), (kind, results["score"])
    if kind == "floods_stdout":
        assert "output truncated" in results["output"]
    if kind == "hangs_everywhere":
        assert "TIMED OUT" in json.dumps(results["tests"])
