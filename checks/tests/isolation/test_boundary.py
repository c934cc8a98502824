"""The operating-system boundary around the child (checks/isolation/boundary.py), attacked for real.

Each attack below goes around the audit hook on purpose (native calls through ctypes, a
`chdir` race between threads, raw bytes on the answer channel): what stops it must be
the boundary itself. Every test runs in a real child process under bubblewrap and
under the unprivileged-user fallback (each skipped, with the reason, where this
machine cannot run it; CI runs both).

Classes (the sandbox issue): reading `reference/` (native open, a directory descriptor,
a chdir race), `.git` objects, a process started through a call that raises no audit
event outliving its check, signalling the judge (kill, pidfd), reading the judge's
environment through /proc, planting code in the grader's site-packages or checks/,
forging results.json, writing into another submission's folder in grade-all.
"""

import json
import os
import secrets
import site
import subprocess
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from checks.grading.batch import grade_all
from checks.isolation.adapters import REPO_ROOT, open_implementation
from checks.tests.fixtures.boundaries import ATTEMPT_MARK, attempts_in, survivors

NATIVE_ATTACKS = '''
import ctypes, json, os, threading, time
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
HERE = os.path.dirname(os.path.abspath(__file__))
REPO, JUDGE, TOKEN = {repo!r}, {judge}, {token!r}

def attempt(label, fn):
    try:
        fn()
        outcome = "ALLOWED"
    except BaseException as error:
        outcome = f"{{type(error).__name__}}: {{error}}"
    print({mark!r} + json.dumps([label, outcome]), flush=True)

def fail(what):
    errno = ctypes.get_errno()
    raise OSError(errno, os.strerror(errno), what)

def native_read(path):
    fd = libc.open(path.encode(), os.O_RDONLY)
    if fd < 0:
        fail(path)
    buffer = ctypes.create_string_buffer(64)
    count = libc.read(fd, buffer, 64)
    libc.close(fd)
    if count <= 0:
        fail(path)

def native_write(path):
    fd = libc.open(path.encode(), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    if fd < 0:
        fail(path)
    libc.write(fd, b"planted = True\\n", 15)
    libc.close(fd)

def openat_reference():
    directory = libc.open(REPO.encode(), os.O_RDONLY | os.O_DIRECTORY)
    if directory < 0:
        fail(REPO)
    fd = libc.openat(directory, b"reference/__init__.py", os.O_RDONLY)
    if fd < 0:
        fail("reference/__init__.py")

def chdir_race():
    home = os.getcwd()
    stop = []
    def flip():
        while not stop:
            for place in (REPO, home):
                try:
                    os.chdir(place)
                except OSError:
                    pass
    flipper = threading.Thread(target=flip)
    flipper.start()
    try:
        for _ in range(3000):
            try:
                with open("reference/__init__.py") as handle:
                    handle.read(16)
                return
            except OSError:
                pass
        raise PermissionError("3000 tries, never read")
    finally:
        stop.append(1)
        flipper.join()
        os.chdir(home)

def orphan():
    pid = libc.fork()  # no audit event: the hook never sees it
    if pid == 0:
        libc.setsid()
        libc.prctl(15, ("dlfs" + TOKEN).encode(), 0, 0, 0)  # PR_SET_NAME: the test looks for it
        libc.sleep(60)
        libc._exit(0)
    if pid < 0:
        fail("fork")

def pidfd_signal():
    pidfd = libc.syscall(434, JUDGE, 0)  # pidfd_open
    if pidfd < 0:
        fail("pidfd_open")
    if libc.syscall(424, pidfd, 0, None, 0) < 0:  # pidfd_send_signal, signal 0: the permission check
        fail("pidfd_send_signal")

def kill_judge():
    if libc.kill(JUDGE, 0) < 0:
        fail("kill")

attempt("native read of reference/", lambda: native_read(REPO + "/reference/__init__.py"))
attempt("native read of checks/", lambda: native_read(REPO + "/checks/library/gradcheck.py"))
attempt("openat through a directory descriptor", openat_reference)
attempt("chdir race between threads", chdir_race)
attempt("read .git", lambda: native_read({git_file!r}))
attempt("read the git objects' folder", lambda: native_read({git_head!r}))
attempt("read the judge's environment through /proc", lambda: native_read(f"/proc/{{JUDGE}}/environ"))
attempt("signal the judge", kill_judge)
attempt("signal the judge through a pidfd", pidfd_signal)
attempt("plant code in the grader's site-packages", lambda: native_write({site_file!r}))
attempt("plant code in checks/", lambda: native_write(REPO + "/checks/dlfs_planted_" + TOKEN + ".py"))
attempt("forge results.json", lambda: native_write({out!r} + "/results.json"))
attempt("write into another submission", lambda: native_write({other!r} + "/planted.py"))
attempt("start a process that outlives the check", orphan)

def AND(x1, x2):
    return int(x1 and x2)
'''

# Refused by every boundary (ALLOWED would be a hole). The orphan is judged by whether it survives.
MUST_FAIL = {
    "native read of reference/", "native read of checks/", "openat through a directory descriptor",
    "chdir race between threads", "read .git", "read the git objects' folder",
    "read the judge's environment through /proc", "signal the judge", "signal the judge through a pidfd",
    "plant code in the grader's site-packages", "plant code in checks/", "forge results.json",
    "write into another submission",
}
# Judged by their effect on the real files (`planted`), not by what the child saw: in a checkout
# under /tmp, bubblewrap shows the child a private /tmp where a write into "checks/" succeeds
# and vanishes with the sandbox.
WRITES = {"plant code in the grader's site-packages", "plant code in checks/", "forge results.json",
          "write into another submission"}


def _git_dirs():
    """(REPO/.git, the HEAD of the folder holding the objects) of this checkout."""
    common = subprocess.run(["git", "rev-parse", "--path-format=absolute", "--git-common-dir"], cwd=REPO_ROOT,
                            capture_output=True, text=True).stdout.strip()
    return str(REPO_ROOT / ".git" / "HEAD") if (REPO_ROOT / ".git").is_dir() else str(REPO_ROOT / ".git"), \
        str(Path(common or REPO_ROOT / ".git") / "HEAD")


def _open_folder(prefix):
    """A folder anyone may write (the worst case for a submission's or an output folder)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    os.chmod(folder, 0o777)
    return folder


@pytest.fixture
def attack_package(tmp_path, monkeypatch):
    """(package folder, token, folders to check afterwards) of a submission running every native attack."""
    token = secrets.token_hex(3)
    other, out = _open_folder("dlfs-other-submission-"), _open_folder("dlfs-out-")
    # as grade() and grade-all say: the output folder is protected, other submissions read-only
    monkeypatch.setenv("DLFS_GUARD_DENY", str(out))
    monkeypatch.setenv("DLFS_GUARD_READONLY", str(other))
    git_file, git_head = _git_dirs()
    site_file = os.path.join(site.getsitepackages()[0], f"dlfs_planted_{token}.py")
    package = tmp_path / "hostile"
    package.mkdir()
    (package / "__init__.py").write_text(textwrap.dedent(NATIVE_ATTACKS).format(
        repo=str(REPO_ROOT), judge=os.getpid(), token=token, mark=ATTEMPT_MARK, git_file=git_file,
        git_head=git_head, site_file=site_file, out=str(out), other=str(other)))
    planted = [Path(site_file), REPO_ROOT / "checks" / f"dlfs_planted_{token}.py", out / "results.json",
               other / "planted.py"]
    yield package, token, planted, git_head
    for path in planted:
        if path.exists():  # (unlink on a read-only checkout says EROFS even for a file that is not there)
            path.unlink()
    for folder in (other, out):
        os.chmod(folder, 0o700)
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()
    for pid in survivors(token):
        os.kill(pid, 9)


def _exposed_git(boundary, git_head):
    """The fallback locks only the checkout's own folders: a git folder elsewhere (a worktree's) stays readable."""
    return boundary.name == "unprivileged-user" and not Path(git_head).resolve().is_relative_to(REPO_ROOT)


def test_native_attacks_are_stopped_by_the_boundary(boundary, attack_package, child_logs):
    package, token, planted, git_head = attack_package
    impl = open_implementation(str(package), isolated=True)
    try:
        assert impl.get("AND")(1, 1) == 1  # the honest part still works inside the boundary
    finally:
        impl.close()
    outcomes = attempts_in(child_logs)
    assert MUST_FAIL <= set(outcomes), outcomes
    expected = MUST_FAIL - WRITES - ({"read the git objects' folder"} if _exposed_git(boundary, git_head) else set())
    allowed = sorted(label for label in expected if outcomes[label] == "ALLOWED")
    assert not allowed, f"{boundary.describe()} let these through: {allowed}\n{outcomes}"
    # nothing reached the grader's side, and nothing the submission started survives it
    assert [path for path in planted if path.exists()] == []
    assert survivors(token) == [], "a process started through fork() outlived the child"


def test_a_hostile_submission_in_a_batch_gains_nothing(boundary, attack_package, child_logs, tmp_path):
    """grade-all: the attacker and a victim graded together; scores, reports and the victim's folder hold."""
    package, token, planted, git_head = attack_package
    submissions = tmp_path / "submissions"
    submissions.mkdir()
    attacker = submissions / "attacker"
    package.rename(attacker)
    victim = submissions / "victim"
    victim.mkdir()
    (victim / "__init__.py").write_text("def AND(x1, x2):\n    return int(x1 and x2)\n")
    before = {p.name: p.read_bytes() for p in victim.iterdir()}
    # the attacker aims at the victim's folder too
    init = attacker / "__init__.py"
    init.write_text(init.read_text() + f"\nattempt('write into the victim', lambda: native_write({str(victim)!r}"
                                        " + '/__init__.py'))\n")

    rows = grade_all(submissions, tmp_path / "out", jobs=2, components=["AND"])

    assert [row["status"] for row in rows] == ["graded", "graded"]
    assert rows[0]["score"] == rows[1]["score"] == rows[0]["max_score"]  # the honest AND, no more
    for name in ("attacker", "victim"):
        data = json.loads((tmp_path / "out" / name / "results.json").read_text())
        assert data["score"] == float(rows[0]["max_score"])
        assert data["extra_data"]["isolation"].startswith(boundary.name)
    assert {p.name: p.read_bytes() for p in victim.iterdir()} == before
    outcomes = attempts_in(child_logs)
    assert outcomes.get("write into the victim", "ALLOWED") != "ALLOWED"
    assert outcomes["native read of reference/"] != "ALLOWED"
    assert [path for path in planted if path.exists()] == []


def test_the_judge_environment_holds_no_secret_a_child_could_read(boundary, tmp_path, child_logs, monkeypatch):
    """The child's own environment is cleared to a few variables; the judge's is out of its reach."""
    monkeypatch.setenv("DLFS_TEST_SECRET", "s3cret-" + secrets.token_hex(4))
    package = tmp_path / "env_reader"
    package.mkdir()
    (package / "__init__.py").write_text(textwrap.dedent(f'''
        import json, os
        print({ATTEMPT_MARK!r} + json.dumps(["environment", sorted(os.environ)]), flush=True)
        def AND(x1, x2):
            return int(x1 and x2)
        '''))
    impl = open_implementation(str(package), isolated=True)
    try:
        assert impl.get("AND")(1, 1) == 1
    finally:
        impl.close()
    names = attempts_in(child_logs)["environment"]
    assert "DLFS_TEST_SECRET" not in names
    assert set(names) <= {"PATH", "HOME", "LANG", "DLFS_LANG", "MPLBACKEND", "PYTHONDONTWRITEBYTECODE",
                          "PYTHONHASHSEED", "TMPDIR", "PWD", "LC_CTYPE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
                          "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS", "BLIS_NUM_THREADS",
                          "MALLOC_ARENA_MAX"}


def test_the_staged_copies_are_not_writable_by_the_child(boundary, tmp_path):
    """Under the fallback the child reads copies; under bubblewrap the originals, read-only."""
    package = tmp_path / "writer"
    package.mkdir()
    (package / "__init__.py").write_text(textwrap.dedent('''
        import os
        HERE = os.path.dirname(os.path.abspath(__file__))
        def try_write():
            import ctypes
            libc = ctypes.CDLL(None, use_errno=True)
            fd = libc.open((HERE + "/__init__.py").encode(), os.O_WRONLY | os.O_APPEND)
            return fd >= 0
        '''))
    impl = open_implementation(str(package), isolated=True)
    try:
        assert impl.get("try_write")() is False
    finally:
        impl.close()
    assert "try_write" in (package / "__init__.py").read_text()


READS_ONLY = '''
import ctypes, json, os
libc = ctypes.CDLL(None, use_errno=True)
def attempt(label, ok):
    print({mark!r} + json.dumps([label, "ALLOWED" if ok else "refused"]), flush=True)
attempt("native read of reference/", libc.open({reference!r}.encode(), os.O_RDONLY) >= 0)
attempt("read the judge's environment through /proc", libc.open(b"/proc/{judge}/environ", os.O_RDONLY) >= 0)
def AND(x1, x2):
    return int(x1 and x2)
'''


def test_without_a_boundary_the_native_attacks_get_through(tmp_path, child_logs, monkeypatch):
    """The attacks above are real: with the audit hook alone (a developer's machine) they succeed."""
    monkeypatch.setenv("DLFS_BOUNDARY", "none")
    package = tmp_path / "reader"
    package.mkdir()
    (package / "__init__.py").write_text(textwrap.dedent(READS_ONLY).format(
        mark=ATTEMPT_MARK, reference=str(REPO_ROOT / "reference" / "__init__.py"), judge=os.getpid()))
    impl = open_implementation(str(package), isolated=True)
    try:
        assert impl.get("AND")(1, 1) == 1
        assert impl.transport.boundary.name == "none"
    finally:
        impl.close()
    assert attempts_in(child_logs) == {"native read of reference/": "ALLOWED",
                                       "read the judge's environment through /proc": "ALLOWED"}


def test_the_probes_load_numpy_with_one_blas_thread_as_the_children_do(monkeypatch):
    """Each grading command probes its boundary by loading NumPy there: with the children's one BLAS
    thread, not OpenBLAS's thread per core (0.1 s more of CPU per command, on 2 cores). The commands
    are read, not run: what is asserted is what they would start."""
    from checks.isolation import boundary
    from checks.library.blas import blas_thread_settings

    commands = []

    def run(argv, *args, env=None, **kwargs):
        commands.append((list(argv), env))
        return subprocess.CompletedProcess(argv, 0, "", "")

    monkeypatch.setattr(boundary.subprocess, "run", run)
    monkeypatch.setattr(boundary, "_bwrap", lambda: "/usr/bin/bwrap")
    assert boundary._probe_bubblewrap() is None
    monkeypatch.setattr(boundary.os, "geteuid", lambda: 0)
    assert boundary._probe_unprivileged(None)[0] is None
    (sandboxed, _), (unprivileged, env) = commands
    settings = {sandboxed[i + 1]: sandboxed[i + 2] for i, word in enumerate(sandboxed) if word == "--setenv"}
    assert blas_thread_settings(1).items() <= settings.items(), sandboxed
    assert blas_thread_settings(1).items() <= env.items(), env
