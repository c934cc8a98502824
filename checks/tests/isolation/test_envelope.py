"""The envelope of one submission (checks/isolation/envelope.py), attacked for real.

Classes of issue 27, step 1 and 2: memory spread over forked processes, processes and
threads, bytes written to /tmp, /var/tmp, /dev/shm and the work folder, System V IPC,
files of one child visible to another (the fallback's staged copies), anything of a
child surviving it, and output floods. Each runs in real child processes under
bubblewrap and under the unprivileged-user fallback, each with all the kernel's help
this machine gives (cgroups, private mount namespaces, seccomp), without cgroups and
mount namespaces (DLFS_KERNEL_LIMITS=off: as in Gradescope's Docker image) and without
seccomp too (DLFS_KERNEL_LIMITS=none: the grader's sampling alone), and prints what it
measured (`pytest -s` shows the numbers).

The attacks go through native calls (ctypes `fork`, `open`, `write`, `shmget`): the
audit hook never sees them, so what stops them is the envelope itself.
"""

import json
import os
import secrets
import textwrap
import time
from pathlib import Path

import pytest

from checks.grading import grade
from checks.isolation.adapters import open_implementation
from checks.isolation.envelope import Envelope, describe, enforcement
from checks.isolation.tree import SHARED_WRITABLE
from checks.library.errors import ImplementationCrashed
from checks.tests.fixtures.boundaries import survivors

MB = 1 << 20
# Small bounds so that each attack meets them within a second or two.
ENVELOPE = Envelope(memory_bytes=256 * MB, tasks=32, scratch_bytes=32 * MB, shm_bytes=8 * MB, output_bytes=64 << 10)

ATTACKS = '''
import ctypes, os, threading, time
libc = ctypes.CDLL(None, use_errno=True)
libc.shmget.restype = ctypes.c_int
TOKEN = {token!r}

def _named():
    libc.prctl(15, ("dlfs" + TOKEN).encode(), 0, 0, 0)  # PR_SET_NAME: the test finds survivors by it

def hog(children, megabytes, settle):
    """Fork `children` processes, each touching `megabytes` MB (8 MB at a time), then sleeping."""
    started = 0
    for _ in range(children):
        pid = libc.fork()  # no audit event
        if pid == 0:
            _named()
            blocks = []
            try:
                for _ in range(megabytes // 8):
                    blocks.append(b"x" * (8 << 20))
                    time.sleep(0.01)
            except MemoryError:
                pass
            libc.sleep(60)
            libc._exit(0)
        started += pid > 0
    time.sleep(settle)
    return started

def threads(count, settle):
    gate = threading.Event()
    started = 0
    try:
        for _ in range(count):
            threading.Thread(target=gate.wait, args=(30,), daemon=True).start()
            started += 1
    except RuntimeError:  # can't start new thread
        pass
    time.sleep(settle)
    gate.set()
    return started

def thread_hog(count, megabytes, settle):
    """`count` threads, each touching `megabytes` MB (8 MB at a time); what each ended with."""
    ended = []
    def work():
        blocks = []
        try:
            for _ in range(megabytes // 8):
                blocks.append(b"x" * (8 << 20))
                time.sleep(0.01)
            ended.append("done")
        except MemoryError:
            ended.append("MemoryError")
        time.sleep(settle)
    workers = []
    for _ in range(count):
        try:
            workers.append(threading.Thread(target=work))
            workers[-1].start()
        except RuntimeError:  # can't start new thread: its stack did not fit either
            workers.pop()
            ended.append("RuntimeError")
    for worker in workers:
        worker.join()
    return sorted(ended)

def forks(count, settle):
    started = 0
    for _ in range(count):
        pid = libc.fork()
        if pid == 0:
            _named()
            libc.sleep(60)
            libc._exit(0)
        if pid < 0:
            break
        started += 1
    time.sleep(settle)
    return started

def fill(path, megabytes):
    """Write up to `megabytes` MB to `path` natively; the bytes written."""
    fd = libc.open(path.encode(), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    if fd < 0:
        return 0
    chunk = ctypes.create_string_buffer(b"x" * (1 << 20), 1 << 20)
    written = 0
    for _ in range(megabytes):
        n = libc.write(fd, chunk, 1 << 20)
        if n <= 0:
            break
        written += n
    libc.close(fd)
    return written

def shm(key, megabytes):
    """A System V shared memory segment (IPC_CREAT | 0600); its id, or -1."""
    return libc.shmget(key, megabytes << 20, 0o1000 | 0o600)

def read(path):
    """Read `path` natively: its first bytes, or the error."""
    fd = libc.open(path.encode(), os.O_RDONLY)
    if fd < 0:
        return "refused: " + os.strerror(ctypes.get_errno())
    buffer = ctypes.create_string_buffer(64)
    count = libc.read(fd, buffer, 64)
    libc.close(fd)
    return buffer.raw[:max(count, 0)].decode("latin-1")

def chatty(megabytes):
    """Print `megabytes` MB through print, os.write on 1 and 2, and libc; then answer."""
    line = "y" * 1023
    for _ in range(megabytes * 1024):
        print(line)
    os.write(1, b"z" * (1 << 20))
    os.write(2, b"w" * (1 << 20))
    libc.write(1, b"v" * 4096, 4096)
    print("\\udcff a lone surrogate")
    return 42

def AND(x1, x2):
    return int(x1 and x2)
'''


@pytest.fixture(params=["on", "off", "none"])
def kernel(request, boundary, monkeypatch):
    """Each boundary with all the kernel's help this machine has ("on": cgroups, mount namespaces, seccomp),
    without cgroups and mount namespaces ("off": Gradescope's Docker container), and without seccomp too
    ("none": the grader's sampling alone)."""
    if request.param == "on":
        monkeypatch.delenv("DLFS_KERNEL_LIMITS", raising=False)
        if enforcement(boundary.name).memory != "cgroup":
            pytest.skip(f"no cgroup here: {enforcement(boundary.name).reasons}")
    else:
        monkeypatch.setenv("DLFS_KERNEL_LIMITS", request.param)
        if request.param == "off" and enforcement(boundary.name).memory != "one process":
            pytest.skip(f"no seccomp filter here: {enforcement(boundary.name).reasons}")
    return request.param


@pytest.fixture
def attacker(tmp_path):
    token = secrets.token_hex(3)
    package = tmp_path / "envelope_attacks"
    package.mkdir()
    (package / "__init__.py").write_text(textwrap.dedent(ATTACKS).format(token=token))
    return package, token


def _open(package, envelope=ENVELOPE, **options):
    return open_implementation(str(package), isolated=True, envelope=envelope, **options)


def _leftover_files(name):
    return [str(path) for root in SHARED_WRITABLE if os.path.isdir(root) for path in Path(root).glob(name)]


def _report(label, boundary, kernel, usage, **more):
    """What the test measured, on one line (`pytest -s`)."""
    print(f"\n[envelope] {label} {boundary.name}/{kernel}: " + json.dumps({**usage, **more}))


def _same_as_off(kernel):
    if kernel == "none":
        pytest.skip("seccomp changes nothing here: the same as DLFS_KERNEL_LIMITS=off")


def test_memory_spread_over_forked_processes_is_bounded_as_a_whole(boundary, kernel, attacker):
    """6 forks x 96 MB = 576 MB against a tree bound of 256 MB (each fork alone is far below it)."""
    if kernel == "off":
        pytest.skip("seccomp refuses the forks as with DLFS_KERNEL_LIMITS=on")
    package, token = attacker
    impl = _open(package)
    try:
        # past the output cap first: the child then prints to /dev/null, its output pipe at its
        # end, and the tree is still sampled
        assert impl.get("chatty")(1) == 42
        try:
            outcome = impl.get("hog")(6, 96, 1.0)
        except ImplementationCrashed as error:
            outcome = str(error)
        give_up = time.monotonic() + 20  # on a loaded machine the forks may still be allocating
        while kernel == "none" and not impl.transport.usage()["over"] and time.monotonic() < give_up:
            time.sleep(0.1)
        usage = impl.transport.usage()
        # the honest part runs again, in a fresh tree (unless the tree was killed after the call
        # returned: then the next call is the one that learns it)
        if kernel != "none" or not isinstance(outcome, int):
            assert impl.get("AND")(1, 1) == 1
    finally:
        impl.close()
    _report("memory in forks", boundary, kernel, usage, outcome=outcome)
    if kernel != "none":
        assert outcome == 0  # seccomp: no fork at all, the memory stays one process's
    else:
        assert usage["over"] == "memory"  # the sampler saw the tree pass the bound and killed it
        assert outcome == 6 or "together used more than 256 MB" in outcome  # killed during the call, or after
    if kernel == "on":
        assert usage["memory_peak"] <= ENVELOPE.memory_bytes  # the cgroup's own count never passes its limit
    assert survivors(token) == []


def test_memory_spread_over_threads_is_bounded_as_a_whole(boundary, kernel, attacker):
    """6 threads x 96 MB in one process against a bound of 256 MB for everything."""
    if kernel != "off":
        pytest.skip("threads share one address space: RLIMIT_AS holds them alike under every setting")
    package, token = attacker
    impl = _open(package)
    try:
        outcome = impl.get("thread_hog")(6, 96, 0.3)
        usage = impl.transport.usage()
    finally:
        impl.close()
    _report("memory in threads", boundary, kernel, usage, outcome=outcome)
    # past the bound, an allocation (or a thread's stack) fails in the submission's own code
    assert "MemoryError" in outcome or "RuntimeError" in outcome
    # sampled RSS also counts bubblewrap's two small processes
    assert usage["memory_peak"] <= ENVELOPE.memory_bytes + (16 << 20)


def test_threads_and_processes_are_bounded_together(boundary, kernel, attacker):
    _same_as_off(kernel)  # threads are sampled under bubblewrap with "off" already
    package, token = attacker
    # memory to spare: each thread's stack counts against RLIMIT_AS, which is the memory bound
    impl = _open(package, ENVELOPE.replace(memory_bytes=1 << 30))
    how = enforcement(boundary.name).tasks
    try:
        outcomes = {}
        for attack in ("threads", "forks"):
            try:  # long enough for the sampler to see them, on a loaded machine too
                outcomes[attack] = impl.get(attack)(200, 3.0 if how == "sampled" else 0.3)
            except ImplementationCrashed as error:
                outcomes[attack] = str(error)
        usage = impl.transport.usage()
    finally:
        impl.close()
    _report("tasks", boundary, kernel, usage, outcomes=outcomes)
    if kernel != "none":
        assert outcomes["forks"] == 0  # seccomp
    for attack, outcome in outcomes.items():
        if how == "sampled":  # the sampler kills a tree past the bound (during the call)
            assert "more than 32 processes and threads" in outcome if isinstance(outcome, str) \
                else outcome < ENVELOPE.tasks, (attack, outcome)
        else:  # the kernel refuses the fork or thread past the bound
            assert isinstance(outcome, int) and outcome < ENVELOPE.tasks, (attack, outcome)
    assert not isinstance(outcomes["threads"], int) or outcomes["threads"] > 2  # not stopped by memory
    if how == "cgroup":
        assert usage["tasks_peak"] <= ENVELOPE.tasks
    if how == "sampled" and not isinstance(outcomes["threads"], int):
        assert usage["over"] == "tasks"
    assert survivors(token) == []


def test_bytes_written_to_tmp_shm_and_the_work_folder_are_bounded_and_gone_afterwards(boundary, kernel, attacker):
    _same_as_off(kernel)
    package, token = attacker
    impl = _open(package)
    how = enforcement(boundary.name).scratch
    # without a bound the writes land on this machine's disks: keep them small there
    asked = 12 if how == "tmpfs" else 4
    places = {"work folder": f"dlfs-fill-{token}-work", "/tmp": f"/tmp/dlfs-fill-{token}-tmp",
              "/var/tmp": f"/var/tmp/dlfs-fill-{token}-var", "/run/lock": f"/run/lock/dlfs-fill-{token}-lock",
              "/dev/shm": f"/dev/shm/dlfs-fill-{token}-shm"}
    try:
        written = {place: impl.get("fill")(path, asked) for place, path in places.items()}
        segment = impl.get("shm")(int(token, 16), 1)
        usage = impl.transport.usage()
    finally:
        impl.close()
    _report("files", boundary, kernel, usage, written_mb={k: round(v / MB, 1) for k, v in written.items()},
            shm_segment=segment, scratch=how)
    if how == "tmpfs":  # 4 x 12 MB asked of /tmp's 32 MB, 12 MB of /dev/shm's 8 MB
        on_tmp = sum(written[place] for place in ("/tmp", "/var/tmp", "/run/lock", "work folder"))
        assert on_tmp <= ENVELOPE.scratch_bytes and written["/dev/shm"] <= ENVELOPE.shm_bytes
        assert written["work folder"] == written["/tmp"] == 12 * MB and on_tmp >= 24 * MB
    else:
        assert written["work folder"] == written["/tmp"] == asked * MB  # not bounded: swept afterwards
    # nothing of it is left on the machine: files, IPC segment
    assert _leftover_files(f"dlfs-fill-{token}-*") == []
    keys = [line.split()[0] for line in Path("/proc/sysvipc/shm").read_text().splitlines()[1:]]
    assert str(int(token, 16)) not in keys
    assert survivors(token) == []


def test_a_child_cannot_read_what_another_child_stages_or_writes(boundary, kernel, tmp_path):
    """Two submissions graded side by side: B reads none of A's staged copy, /tmp files or work folder."""
    _same_as_off(kernel)
    token = secrets.token_hex(3)
    packages = {}
    for name in ("submission_a", "submission_b"):
        package = tmp_path / name
        package.mkdir()
        (package / "__init__.py").write_text(textwrap.dedent(ATTACKS).format(token=token) + f"\nSECRET_{name} = 1\n")
        packages[name] = package
    a, b = _open(packages["submission_a"]), _open(packages["submission_b"])
    try:
        assert a.get("fill")(f"/tmp/dlfs-secret-{token}", 1) == MB
        assert a.get("fill")(f"dlfs-secret-{token}", 1) == MB  # in A's work folder
        launch = a.transport._launch
        staged = (sorted(Path(launch.stage).glob("impl/*submission_a/__init__.py"))
                  if launch.stage is not None else [packages["submission_a"] / "__init__.py"])
        targets = {"A's code as B could reach it": str(staged[0]), "A's file in /tmp": f"/tmp/dlfs-secret-{token}",
                   "A's work folder": str(a.transport.workdir / f"dlfs-secret-{token}")}
        b.get("AND")
        outcomes = {label: b.get("read")(path) for label, path in targets.items()}
    finally:
        a.close()
        b.close()
    _report("visibility", boundary, kernel, {}, outcomes=outcomes)
    assert all(outcome.startswith("refused") for outcome in outcomes.values()), outcomes
    assert _leftover_files(f"dlfs-secret-{token}") == []


def _output_read_in_full(output, at_least, settle=0.5, limit=60.0):
    """output.total once the grader's reader thread has caught up with what the child wrote: the answer
    comes back through its own channel and may overtake the pipe (on a loaded machine by megabytes)."""
    deadline, last, since = time.monotonic() + limit, -1, time.monotonic()
    while time.monotonic() < deadline:
        total = output.total
        if total != last:
            last, since = total, time.monotonic()
        elif total >= at_least and time.monotonic() - since >= settle:
            break
        time.sleep(0.05)
    return output.total


def test_a_flood_of_output_is_kept_up_to_a_cap_and_never_fails_a_print(boundary, attacker):
    package, _ = attacker
    impl = _open(package)
    try:
        assert impl.get("chatty")(8) == 42  # 10 MB through every way of printing
        first = _output_read_in_full(impl.transport.output, 10 * MB)
        # past the cap, the next request points the child's output at /dev/null: printing
        # goes on, at no cost of the pipe, and fails nowhere
        assert impl.get("chatty")(2) == 42
        assert impl.get("AND")(1, 1) == 1
        output, usage = impl.transport.output, impl.transport.usage()
    finally:
        impl.close()
    _report("output", boundary, "kernel", usage)
    assert len(output.kept) == ENVELOPE.output_bytes
    assert first >= 10 * MB and output.total == first and output.dropped == output.total - ENVELOPE.output_bytes


def test_a_chatty_correct_submission_keeps_its_score_and_the_result_says_output_was_cut(boundary, tmp_path):
    package = tmp_path / "chatty"
    package.mkdir()
    (package / "__init__.py").write_text(textwrap.dedent('''
        import os
        print("loading…\\n" * 200000)  # 2 MB at import
        def AND(x1, x2):
            os.write(1, b"debug " * 100000)
            print("x1 =", x1, "x2 =", x2)
            return int(x1 and x2)
        '''))
    out = tmp_path / "out"
    result = grade(str(package), out_dir=out, components=["AND"])
    assert result.score == result.max_score > 0
    assert any(note.startswith("output truncated") for note in result.notes), result.notes
    data = json.loads((out / "results.json").read_text())
    assert "output truncated" in data["output"] and data["extra_data"]["limits"].startswith("memory ")
    print(f"\n[envelope] grade {boundary.name}: " + data["extra_data"]["limits"])


def test_the_summary_says_which_bound_this_machine_cannot_hold(monkeypatch):
    monkeypatch.setenv("DLFS_KERNEL_LIMITS", "off")  # Gradescope's Docker container
    text = describe("bubblewrap", ENVELOPE)
    assert "memory 256 MB for all its processes (one process: seccomp refuses new ones, RLIMIT_AS)" in text
    assert "32 processes and threads (sampled every 0.1 s, not held by the kernel)" in text
    assert "/tmp and work folder 32 MB, /dev/shm 8 MB (tmpfs)" in text and "[no cgroup: " in text
    text = describe("unprivileged-user", ENVELOPE)
    assert "32 processes and threads (RLIMIT_NPROC)" in text and "removed afterwards" in text
    assert "no private mount namespace" in text
    text = describe("none", ENVELOPE)
    assert "files not bounded" in text and "not removed" in text
    monkeypatch.setenv("DLFS_KERNEL_LIMITS", "none")
    text = describe("bubblewrap", ENVELOPE)
    assert "memory 256 MB for all its processes (sampled every 0.1 s, not held by the kernel)" in text
    assert "no seccomp filter" in text


def test_what_a_killed_grader_left_is_removed_by_the_next_one(tmp_path):
    """A grader killed at a time limit cleans nothing up: the next one removes its folders and its children's files."""
    import subprocess
    import tempfile

    from checks.isolation.boundary import TEMPORARY_PREFIXES, fresh_ids, grader_of
    from checks.isolation.tree import sweep_stale

    gone = subprocess.Popen(["true"])
    gone.wait()  # a pid no process has any more
    token = secrets.token_hex(3)
    left = [Path(tempfile.gettempdir()) / f"{prefix}{gone.pid}-{token}" for prefix in TEMPORARY_PREFIXES]
    kept = Path(tempfile.gettempdir()) / f"dlfs-stage-{os.getpid()}-{token}"  # a live grader's
    for folder in [*left, kept]:
        folder.mkdir()
        (folder / "copy.py").write_text("x = 1\n")
    planted = Path("/tmp") / f"dlfs-left-{token}"
    planted.write_text("written by a child of the killed grader\n")
    mine = Path("/tmp") / f"dlfs-mine-{token}"
    mine.write_text("written by a child of this grader\n")
    if os.geteuid() == 0:
        uid = fresh_ids("")[0] - (os.getpid() % (1 << 22) - gone.pid) * 64  # a uid the gone grader chose
        assert grader_of(uid) == gone.pid
        os.chown(planted, uid, uid)
        os.chown(mine, *fresh_ids(""))
    try:
        removed = sweep_stale(TEMPORARY_PREFIXES, grader_of if os.geteuid() == 0 else None)
        assert not any(folder.exists() for folder in left) and kept.exists()
        if os.geteuid() == 0:
            assert not planted.exists() and mine.exists() and str(planted) in removed
    finally:
        import shutil

        shutil.rmtree(kept, ignore_errors=True)
        planted.unlink(missing_ok=True)
        mine.unlink(missing_ok=True)
