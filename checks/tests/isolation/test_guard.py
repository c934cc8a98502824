"""The child's audit hook (checks/isolation/child/sandboxed/guard.py) and the policy it is given.

The hook is the early, friendly tripwire: it refuses the same things with no boundary
(a developer's machine) and inside each operating-system boundary.
"""

import json
import os
import subprocess
import textwrap

import pytest

from checks.isolation.adapters import REPO_ROOT, _child_setup, guard_policy, open_implementation
from checks.isolation.boundary import Launch
from checks.isolation.envelope import Envelope
from checks.isolation.intake import resolve
from checks.isolation import boundary as boundary_module
from checks.isolation.boundary import BoundaryUnavailable, choose, fresh_ids, handed_down
from checks.tests.fixtures.boundaries import ATTEMPT_MARK, attempts_in

ATTEMPTS = '''
import io, json, os, pathlib, sys
HERE = os.path.dirname(os.path.abspath(__file__))  # the package, wherever the boundary shows it
def attempt(label, fn):
    try:
        fn()
        outcome = "ALLOWED"
    except BaseException as error:
        outcome = f"{{type(error).__name__}}: {{error}}"
    print({mark!r} + json.dumps([label, outcome]), flush=True)
REPO = {repo!r}
PROTECTED = REPO + "/reference/gates.py"
class Sneaky(str):
    def startswith(self, *args):
        return False
attempt("import reference", lambda: __import__("reference"))
attempt("import checks", lambda: __import__("checks.library.gradcheck"))
attempt("open a protected file", lambda: open(PROTECTED).read())
attempt("io.open_code", lambda: io.open_code(PROTECTED).read())
attempt("os.open", lambda: os.open(PROTECTED, os.O_RDONLY))
attempt("pathlib", lambda: pathlib.Path(PROTECTED).read_text())
attempt("bytes path", lambda: open(PROTECTED.encode()).read())
attempt("str subclass path", lambda: open(Sneaky(PROTECTED)).read())
attempt("through a shipped symlink", lambda: open(HERE + "/link_to_reference/gates.py").read())
attempt("relative ..", lambda: open("../" * 12 + PROTECTED.lstrip("/")).read())
attempt("dir fd of the repository", lambda: os.open(REPO, os.O_RDONLY))
attempt("dir fd of the root", lambda: os.open("/", os.O_RDONLY))
attempt("rename out of reference", lambda: os.rename(PROTECTED, "stolen.py"))
attempt("write build/", lambda: open(REPO + "/build/x.json", "w").write("{{}}"))
attempt("write into the repository", lambda: open(REPO + "/data/x.py", "w").write(""))
attempt("mkdir in the repository", lambda: os.mkdir(REPO + "/evil"))
attempt("subprocess", lambda: __import__("subprocess").run(["true"]))
attempt("fork", lambda: os.fork())
attempt("kill the parent", lambda: os.kill(os.getppid(), 0))
attempt("gc.get_objects", lambda: __import__("gc").get_objects())
attempt("settrace", lambda: sys.settrace(None))
attempt("symlink", lambda: os.symlink(PROTECTED, "x.py"))
# allowed: reading data/ and its own files, writing its work folder
attempt("read data/", lambda: open(REPO + "/data/__init__.py").read())
attempt("write the work folder", lambda: open("scratch.txt", "w").write("ok"))
attempt("temporary file", lambda: __import__("tempfile").TemporaryDirectory().cleanup())
attempt("own package file", lambda: open(HERE + "/gates.py").read())
'''

ALLOWED = {"read data/", "write the work folder", "temporary file", "own package file"}


@pytest.mark.parametrize("boundary_name", ["none", "bubblewrap", "unprivileged-user"])
def test_the_child_refuses_what_a_submission_must_not_do(boundary_name, tmp_path, child_logs, monkeypatch):
    try:
        choose(boundary_name)
    except BoundaryUnavailable as error:
        pytest.skip(f"{boundary_name} cannot run on this machine: {error}")
    monkeypatch.setenv("DLFS_BOUNDARY", boundary_name)
    package = tmp_path / "submission"
    package.mkdir()
    (package / "gates.py").write_text("def AND(x1, x2):\n    return int(x1 and x2)\n")
    os.symlink(REPO_ROOT / "reference", package / "link_to_reference")
    (package / "__init__.py").write_text(
        "from .gates import AND\n" + textwrap.dedent(ATTEMPTS).format(repo=str(REPO_ROOT), mark=ATTEMPT_MARK))
    impl = open_implementation(str(package), isolated=True)
    try:
        assert impl.get("AND")(1, 1) == 1
    finally:
        impl.close()
    outcomes = attempts_in(child_logs)
    assert len(outcomes) > len(ALLOWED)
    assert {label for label, outcome in outcomes.items() if outcome == "ALLOWED"} == ALLOWED, outcomes


def test_the_graders_pytest_run_takes_the_boundary_handed_down_and_probes_only_otherwise(monkeypatch):
    # checks/grading/run.py probes, then hands its choice to its pytest process in the environment
    chosen = choose()
    probed = []
    monkeypatch.setattr(boundary_module, "_choose", lambda *key: probed.append(key) or chosen)
    for key, value in handed_down(chosen).items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("DLFS_BOUNDARY", chosen.name)
    assert choose() == chosen and probed == []
    # for another boundary or another DLFS_CHILD_USER, or not parsable, it is not taken: probed as before
    other = "none" if chosen.name != "none" else "bubblewrap"
    monkeypatch.setenv("DLFS_BOUNDARY", other)
    choose()
    monkeypatch.setenv("DLFS_BOUNDARY", chosen.name)
    monkeypatch.setenv("DLFS_CHILD_USER", "nobody")
    choose()
    monkeypatch.delenv("DLFS_CHILD_USER")
    for garbled in ("{", "[]", '{"name": 1}', '{"nom": "none"}', ""):
        monkeypatch.setenv(next(iter(handed_down(chosen))), garbled)
        assert choose() == chosen
    assert [requested for requested, _ in probed] == [other, chosen.name] + [chosen.name] * 5


def test_policy_trusts_only_our_own_code(tmp_path):
    (tmp_path / "reference").mkdir()  # a learner's package that calls itself reference is still theirs
    (tmp_path / "reference" / "__init__.py").write_text("")
    untrusted = guard_policy(resolve(str(tmp_path / "reference")), tmp_path)
    reference = guard_policy(resolve("reference"), tmp_path)
    mutant = guard_policy(resolve("mutant:affine_dw_transposed"), tmp_path)
    repo = os.path.realpath(REPO_ROOT)
    assert untrusted["deny_imports"] == ["reference", "checks"]
    assert {f"{repo}/reference", f"{repo}/checks", f"{repo}/build"} <= set(untrusted["no_access"])
    assert reference["deny_imports"] == mutant["deny_imports"] == []
    assert f"{repo}/reference" not in reference["no_access"] and f"{repo}/build" in mutant["no_access"]
    assert repo in untrusted["read_only"] and untrusted["writable"] == [os.path.realpath(tmp_path)]


@pytest.mark.skipif(os.geteuid() != 0, reason="dropping to another user needs root")
def test_the_child_can_run_as_an_unprivileged_user():
    """DLFS_CHILD_USER: the limits set before exec also switch user (checked with /bin/sh)."""
    # A uid of its own, as grading gives each child: under the shared "nobody" the
    # process limit counts every other test's nobody processes too (a flake once).
    uid, gid = fresh_ids("")
    run = subprocess.run(["/bin/sh", "-c", "id -u; id -g"], capture_output=True, text=True,
                         preexec_fn=_child_setup(Envelope(memory_bytes=1 << 30), None, Launch([], (uid, gid))))
    assert run.stdout.split() == [str(uid), str(gid)], run.stderr
