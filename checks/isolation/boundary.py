"""The operating-system boundary around the child process that runs an implementation.

The audit hook of `child/sandboxed/guard.py` is a tripwire for Python code; this module
decides what the *operating system* enforces around the child, strongest first:

- "bubblewrap": `bwrap` runs the child in its own user, mount, PID, IPC, UTS, cgroup
  and network namespaces. It sees the Python runtime and its site-packages, the
  child-side package (`checks/isolation/child/`), the implementation's folder and the
  support package `data/`, all read-only; its own work folder (read-write), a private
  `/tmp`, a minimal `/dev` and the `/proc` of its own PID namespace. Nothing else of
  the repository (`reference/`, `checks/`, `build/`, `.git`), no other submission, no
  home folder, no network; the judge is not in its PID namespace, so it can neither
  signal it nor read its environment. No capabilities, no nested user namespaces. An
  installed dlfs (site-packages, which the child needs) has an empty tmpfs over each of
  its judge folders instead.
- "unprivileged-user": where bubblewrap cannot run (a container without user
  namespaces) and we are root, the child runs under a uid of its own (a fresh one
  per child, or DLFS_CHILD_USER). What it needs is *copied* into a staging folder it
  can read; `reference/`, `checks/`, `build/`, `.git` of this checkout and the folders
  the grader protects lose their permissions for "other" users (their owner's and
  group's access is unchanged); an installed dlfs's folders are left as they are. A different uid can neither signal the judge nor read
  its `/proc/PID/environ`; every process of the child's uid is killed when it stops.
- "none": a developer's machine without either (not root, no bwrap): only the audit
  hook and the resource limits stand between the submission and the grader.

DLFS_BOUNDARY=auto (default) | bubblewrap | unprivileged-user | none chooses; a named
boundary that cannot run is an error rather than a silent downgrade.
"""

import dataclasses
import functools
import json
import os
import pwd
import re
import shutil
import site
import stat
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

from . import private_mounts
from .envelope import Envelope
from ..library.blas import blas_thread_settings
from ..locations import PACKAGE_ROOT, TEMPORARY_KINDS, checkout, kept_temporary_folder, temporary_folder

__all__ = ["main", "BOUNDARIES", "Boundary", "BoundaryUnavailable", "CHILD_DIR", "Launch", "choose", "handed_down",
           "prepare"]

BUBBLEWRAP, UNPRIVILEGED, NONE = "bubblewrap", "unprivileged-user", "none"
BOUNDARIES = (BUBBLEWRAP, UNPRIVILEGED, NONE)
REPO_ROOT = PACKAGE_ROOT  # the checkout or site-packages: read, never written (checks/locations.py)
CHILD_DIR = Path(__file__).resolve().parent / "child"
# what no child may read under the fallback (bubblewrap shows none of it anyway)
JUDGE_FOLDERS = ("reference", "checks", "build", ".git")
_SANDBOX_UID = 65534  # the uid inside bubblewrap's user namespace ("nobody")
_FRESH_UID_BASE = 2_000_000_000  # fallback uids: above every subordinate-uid range in use
_PROBE = "import numpy"
# The probe's environment: one BLAS thread, as the children it stands for have (adapters.py); with
# none set, OpenBLAS started a thread per core on loading, 0.1 s more of CPU for every grading command.
_PROBE_ENV = blas_thread_settings(1)


class BoundaryUnavailable(RuntimeError):
    """The boundary asked for (DLFS_BOUNDARY) cannot run on this machine."""


@dataclass(frozen=True)
class Boundary:
    """The boundary chosen for this process's children."""

    name: str  # one of BOUNDARIES
    python: str  # the interpreter the child runs
    detail: str  # one line for reports: what encloses the child, or why nothing stronger does
    user: str = ""  # DLFS_CHILD_USER for the fallback ("" = a fresh uid per child)
    site_packages: tuple = ()  # given to the child when `python` is not the judge's own interpreter

    def describe(self):
        return f"{self.name} ({self.detail})"


def _runtime_folders():
    """The folders of the Python runtime and its packages (read-only inside the boundary)."""
    paths = {sys.prefix, sys.exec_prefix, sys.base_prefix, sys.base_exec_prefix,
             os.path.dirname(os.path.realpath(sys.executable))}
    paths.update(p for p in site.getsitepackages() if os.path.isdir(p))
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        path = sysconfig.get_paths().get(key)
        if path and os.path.isdir(path):
            paths.add(path)
    real = {os.path.realpath(p) for p in paths} | {p for p in paths}
    # a folder inside another one is bound with it
    ordered = sorted(real)
    return [p for i, p in enumerate(ordered) if not any(p.startswith(q + "/") for q in ordered[:i])]


def _site_packages():
    return tuple(p for p in site.getsitepackages() if os.path.isdir(p))


# -- bubblewrap ------------------------------------------------------------------------
@functools.lru_cache(maxsize=None)
def _bwrap():
    return shutil.which("bwrap")


def _system_mounts():
    args = ["--ro-bind", "/usr", "/usr"]
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        path = f"/{name}"
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += ["--ro-bind", path, path]
    for name in ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime"):
        path = f"/etc/{name}"
        if os.path.exists(path):
            args += ["--ro-bind", path, path]
    return args


def bubblewrap_command(command, workdir, env, read_only, envelope=None):
    """argv running `command` (a list) inside bubblewrap, `read_only` folders visible read-only.

    /tmp and /dev/shm are tmpfs of the envelope's sizes; the work folder is on /tmp's
    (or, outside /tmp, a tmpfs of its own of the same size): RAM the child can fill
    only that far, gone with it.
    """
    envelope = envelope or Envelope()
    workdir = os.fspath(workdir)
    args = [_bwrap(), "--unshare-all", "--unshare-user", "--disable-userns", "--cap-drop", "ALL",
            "--uid", str(_SANDBOX_UID), "--gid", str(_SANDBOX_UID), "--hostname", "dlfs-child",
            "--die-with-parent", "--new-session", "--clearenv", *_system_mounts(),
            # first: what comes later (a submission under /tmp) is mounted on top of it
            "--proc", "/proc", "--dev", "/dev", "--size", str(envelope.shm_bytes), "--tmpfs", "/dev/shm",
            "--size", str(envelope.scratch_bytes), "--tmpfs", "/tmp"]
    bound = ["/usr"]
    repo = str(REPO_ROOT)
    # The judge's folders (reference/, checks/…) stay out of sight. A checkout is simply never
    # bound. An installed dlfs lives in site-packages, which the child needs (NumPy): that is
    # bound, an empty tmpfs covers each of dlfs's judge folders in it, and the child-side
    # package and the implementation's folders are bound on top.
    hidden = [str(REPO_ROOT / name) for name in JUDGE_FOLDERS if (REPO_ROOT / name).is_dir()]

    def inside(path, folders):
        return any(path == folder or path.startswith(folder.rstrip("/") + "/") for folder in folders)

    def bind(path):
        path = os.fspath(path)
        if not os.path.exists(path) or (inside(path, bound) and not inside(path, hidden)):
            return []
        if path == "/" or (checkout() is not None and inside(repo, [path])):
            return []  # a folder holding the whole checkout would show reference/: never bound
        bound.append(path)
        return ["--ro-bind", path, path]

    for path in _runtime_folders():
        args += bind(path)
    covered = hidden if inside(repo, bound) else []
    for folder in covered:
        args += ["--tmpfs", folder]
    for path in read_only:
        args += bind(path)
    for folder in covered:
        args += ["--remount-ro", folder]
    if workdir.startswith("/tmp/"):
        args += ["--dir", workdir]
    else:
        args += ["--size", str(envelope.scratch_bytes), "--tmpfs", workdir]
    args += ["--remount-ro", "/", "--chdir", workdir]
    for key, value in env.items():
        args += ["--setenv", key, value]
    return [*args, "--", *command]


def _probe_bubblewrap():
    if _bwrap() is None:
        return "bwrap is not installed (Debian package bubblewrap)"
    with temporary_folder("probe") as workdir:
        argv = bubblewrap_command([sys.executable, "-E", "-s", "-c", _PROBE], workdir, _PROBE_ENV, [])
        run = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    if run.returncode != 0:
        return f"bwrap cannot run here ({(run.stderr.strip().splitlines() or ['exit status %d' % run.returncode])[-1]})"
    return None


# -- the unprivileged user -----------------------------------------------------------------
_uid_counter = iter(range(1 << 30))


def fresh_ids(user):
    """(uid, gid) for one child: DLFS_CHILD_USER's, or a uid and gid no account or other child uses."""
    if user:
        entry = pwd.getpwnam(user)
        return entry.pw_uid, entry.pw_gid
    uid = _FRESH_UID_BASE + (os.getpid() % (1 << 22)) * 64 + next(_uid_counter) % 64
    return uid, uid  # a group of its own too: what is staged for it is readable by that group only


def grader_of(uid):
    """The pid of the grader that chose the fresh `uid` (fresh_ids), or None for any other uid."""
    offset = uid - _FRESH_UID_BASE
    return offset // 64 if 0 <= offset < (1 << 22) * 64 else None


# What one grader process makes in the temporary folder, named after its pid
# (`dlfs-<kind>-<pid>-…`, checks/locations.py): removed when it is done, or by the next grader if it was killed.
TEMPORARY_PREFIXES = tuple(f"dlfs-{kind}-" for kind in TEMPORARY_KINDS)


@functools.lru_cache(maxsize=None)
def sweep_stale():
    """Once per process: remove what killed graders left (their folders, their children's files)."""
    from .tree import sweep_stale as sweep

    return sweep(TEMPORARY_PREFIXES, grader_of if os.geteuid() == 0 else None)


def drop_to(uid, gid):
    """A preexec function: become uid/gid with no supplementary groups."""
    def apply():
        os.setgroups([])
        os.setgid(gid)
        os.setuid(uid)
    return apply


def _interpreters():
    """The judge's interpreter, then others of the same version (another user may reach only those)."""
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    seen = []
    for candidate in (sys.executable, f"/usr/local/bin/{version}", f"/usr/bin/{version}"):
        if os.path.isfile(candidate) and os.path.realpath(candidate) not in seen:
            seen.append(os.path.realpath(candidate))
            yield candidate


def _probe_unprivileged(user):
    if os.geteuid() != 0:
        return "not root, so no other user to run the child as", None
    if user:
        try:
            pwd.getpwnam(user)
        except KeyError:
            return f"DLFS_CHILD_USER={user} is no user here", None
    uid, gid = fresh_ids(user)
    packages = ":".join(_site_packages())
    code = f"import sys; sys.path.extend({list(_site_packages())!r}); {_PROBE}"
    for python in _interpreters():
        try:
            run = subprocess.run([python, "-E", "-s", "-c", code], stdin=subprocess.DEVNULL, capture_output=True,
                                 timeout=60, cwd="/", env={"PATH": "/usr/bin:/bin", **_PROBE_ENV},
                                 preexec_fn=drop_to(uid, gid))
        except (OSError, subprocess.SubprocessError):
            continue
        if run.returncode == 0:
            return None, python
    return f"uid {uid} can run no Python {sys.version_info.major}.{sys.version_info.minor} with NumPy " \
           f"from {packages}", None


# -- choosing ------------------------------------------------------------------------------
def choose(requested=None):
    """The boundary for children of this process: `requested`, else DLFS_BOUNDARY, else the strongest.

    Probed once per process and setting (a probe starts Python with NumPy, ≈0.2 s).
    """
    requested = requested or os.environ.get("DLFS_BOUNDARY") or "auto"
    if requested not in ("auto", *BOUNDARIES):
        raise BoundaryUnavailable(f"DLFS_BOUNDARY={requested}: expected auto, {', '.join(BOUNDARIES)}")
    user = os.environ.get("DLFS_CHILD_USER", "")
    return _handed_down(requested, user) or _choose(requested, user)


# The grader's pytest run (checks/grading/run.py) starts its children inside the boundary the
# grader chose and probed a moment before: it is handed down in this variable, not probed again
# (one probe per grading run instead of two). Set by the grader in the environment it gives its
# own pytest process; a value for another boundary or user, or one that does not parse, is ignored.
_CHOSEN = "DLFS_BOUNDARY_CHOSEN"


def handed_down(boundary):
    """{variable: value} for the environment of a process that is to use `boundary` without probing it."""
    return {_CHOSEN: json.dumps(dataclasses.asdict(boundary))}


def _handed_down(requested, user):
    try:
        fields = json.loads(os.environ.get(_CHOSEN) or "null")
        boundary = Boundary(**{**fields, "site_packages": tuple(fields.get("site_packages", ()))})
    except (ValueError, TypeError, AttributeError):
        return None
    if boundary.name != requested or boundary.user != user:
        return None
    return boundary


@functools.lru_cache(maxsize=None)
def _choose(requested, user):
    reasons = []
    if requested in ("auto", BUBBLEWRAP):
        why = _probe_bubblewrap()
        if why is None:
            version = subprocess.run([_bwrap(), "--version"], capture_output=True, text=True).stdout.split()
            return Boundary(BUBBLEWRAP, sys.executable,
                            f"{' '.join(version) or 'bwrap'}: own mount, PID, IPC and network namespaces")
        if requested == BUBBLEWRAP:
            raise BoundaryUnavailable(f"DLFS_BOUNDARY=bubblewrap: {why}")
        reasons.append(why)
    if requested in ("auto", UNPRIVILEGED):
        why, python = _probe_unprivileged(user)
        if why is None:
            who = f"user {user}" if user else "a fresh uid per child"
            extra = () if python == sys.executable else _site_packages()
            return Boundary(UNPRIVILEGED, python, f"{who}, {python}; {'; '.join(reasons) or 'bwrap not used'}",
                            user=user, site_packages=extra)
        if requested == UNPRIVILEGED:
            raise BoundaryUnavailable(f"DLFS_BOUNDARY=unprivileged-user: {why}")
        reasons.append(why)
    return Boundary(NONE, sys.executable, "audit hook and resource limits only: "
                    + ("; ".join(reasons) if reasons else "asked for by DLFS_BOUNDARY=none"))


# -- preparing one child -------------------------------------------------------------------
@dataclass
class Launch:
    """How to start one child: argv, preexec steps, and what to undo when it is gone."""

    argv: list
    ids: tuple | None  # (uid, gid) to switch to before exec, for the fallback
    stage: Path | None = None  # copies of what the child reads (fallback)
    own_uid: bool = False  # no other process uses ids' uid (not a named DLFS_CHILD_USER)
    private: object = None  # run as root before dropping to ids: the child's own /tmp… (private_mounts.py)
    scratch: Path | None = None  # the empty folder private_mounts builds the child's /tmp at

    def kill_everything(self):
        """Kill every process of the child's own uid (a fork that left its process group included).

        Only for a fresh uid: a named user (nobody) may run other children, or daemons.
        """
        if self.ids is None or not self.own_uid:
            return
        kill = shutil.which("kill") or "/bin/kill"
        for _ in range(2):  # a fork racing the first round dies in the second
            try:
                subprocess.run([kill, "-KILL", "-1"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, timeout=10, preexec_fn=drop_to(*self.ids))
            except (OSError, subprocess.SubprocessError):
                pass

    def cleanup(self):
        """Remove the staged copies and, for a uid of its own, whatever the child left where everyone may write."""
        for attribute in ("stage", "scratch"):
            folder = getattr(self, attribute)
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)
                setattr(self, attribute, None)
        if self.ids is not None and self.own_uid:
            from .tree import remove_ipc, sweep_files

            sweep_files(self.ids[0])
            remove_ipc(self.ids[0])


def _lock(path):
    """Take "other" users' permissions off `path` (the owner's and group's stay)."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return
    if stat.S_ISLNK(mode):
        return
    if mode & 0o007:
        os.chmod(path, stat.S_IMODE(mode) & ~0o007)


def _copy(source, target, gid):
    """Copy `source` to `target`, readable by group `gid` only (the child's), writable by nobody but root."""
    source = Path(source)
    if source.is_dir():
        # a link leaving the folder still points into the original place, locked or not the child's
        shutil.copytree(source, target, symlinks=True, copy_function=shutil.copyfile,
                        ignore=shutil.ignore_patterns("__pycache__", ".git"))
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target, follow_symlinks=False)
    for path in [target, *(target.rglob("*") if target.is_dir() else ())]:
        if not path.is_symlink():
            os.chown(path, 0, gid)
            os.chmod(path, 0o750 if path.is_dir() else 0o640)
    return str(target)


def _stage_spec(spec, stage, gid, counter=None):
    """`spec` with every folder the child reads replaced by a copy under `stage`."""
    spec = dict(spec)
    counter = iter(range(1 << 20)) if counter is None else counter

    def copy(path):
        return _copy(path, stage / "impl" / f"{next(counter)}-{Path(path).name}", gid)

    spec["path"] = copy(spec["path"])
    if spec.get("base"):
        spec["base"] = _stage_spec(spec["base"], stage, gid, counter)
    spec["support"] = {name: copy(folder) for name, folder in spec.get("support", {}).items()}
    return spec


def _spec_folders(spec):
    folders = [spec["path"], *spec.get("support", {}).values()]
    if spec.get("base"):
        folders += _spec_folders(spec["base"])
    return folders


def prepare(boundary, spec, workdir, env, protected=(), envelope=None):
    """(Launch, spec as the child sees it) for one child of `spec` running in `workdir`.

    `protected`: more folders the child must not reach (the grader's run and output
    folders, other submissions); bubblewrap does not show them, the fallback locks them.
    `envelope`: the sizes of the child's /tmp, /dev/shm and work folder (envelope.py).
    """
    import json

    envelope = envelope or Envelope()
    if boundary.name == BUBBLEWRAP:
        child = CHILD_DIR / "child.py"
        argv = bubblewrap_command([boundary.python, "-E", "-s", str(child), json.dumps(spec)], workdir, env,
                                  [CHILD_DIR, *_spec_folders(spec)], envelope)
        return Launch(argv, None), spec
    if boundary.name == UNPRIVILEGED:
        ids = fresh_ids(boundary.user)
        # an installed dlfs's folders are not ours to change (a shared, often read-only
        # site-packages): there the fallback hides nothing of dlfs from the child's uid, which
        # can read site-packages anyway (docs/install.md)
        judge = [REPO_ROOT / name for name in JUDGE_FOLDERS] if checkout() is not None else []
        # what the child may still read of a checkout (data/: the book's datasets); under /tmp, the
        # private /tmp below would hide it, so it is bound back (a clone under /tmp grades alike)
        readable = [REPO_ROOT / "data"] if checkout() is not None else []
        for path in [*judge, *protected]:
            _lock(path)
        # what the child reads is staged where only its group may read it: not another submission's child
        stage = kept_temporary_folder("stage")
        os.chown(stage, 0, ids[1])
        os.chmod(stage, 0o750)
        child_dir = Path(_copy(CHILD_DIR, stage / "child", ids[1]))
        spec = _stage_spec(spec, stage, ids[1])
        if boundary.site_packages:
            spec["site_packages"] = list(boundary.site_packages)
        os.chown(workdir, *ids)
        os.chmod(workdir, 0o700)
        argv = [boundary.python, "-E", "-s", str(child_dir / "child.py"), json.dumps(spec)]
        launch = Launch(argv, ids, stage, own_uid=not boundary.user)
        if private_mounts.probe() is None:
            launch.scratch = kept_temporary_folder("scratch")
            launch.private = private_mounts.preexec(envelope.scratch_bytes, envelope.shm_bytes, launch.scratch,
                                                    [stage, *_runtime_folders(), *boundary.site_packages,
                                                     *readable], workdir, ids)
        return launch, spec
    argv = [boundary.python, "-E", "-s", str(CHILD_DIR / "child.py"), json.dumps(spec)]
    return Launch(argv, None), spec


def main(argv=None):
    """`python -m checks.isolation.boundary` (`make boundary`): which boundary grading would use here."""
    try:
        print(f"isolation: {choose().describe()}")
    except BoundaryUnavailable as error:
        print(f"isolation: unavailable: {error}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
