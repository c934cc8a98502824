"""Implementation adapters: how a check reaches the code under test.

What `--impl` names is resolved once into an `ImplSpec` (checks/isolation/intake/); the
adapters open that spec. It runs either in this process (`LocalTransport`) or in a child process
(`ChildTransport`, used for grading: a hang, crash or `os._exit` there costs only the
checks it touches). Both transports give checks the same semantics: arguments and
results are *copied* across the boundary, and other objects stay behind as
`RemoteRef` handles. So a check written against one behaves identically on the other.
"""

import contextlib
import os
import resource
import select
import subprocess
import sys
import time
from pathlib import Path

from ..i18n import N_, language, translator
from ..library.blas import blas_thread_settings
from ..library.calls import Remote
from ..library.components import spellings
from ..library.errors import (
    ImplementationCrashed,
    ImplementationError,
    ImplementationTimeout,
    MissingComponent,
    NotAttempted,
)
from ..library.outcomes import Tolerated, current_trace
from ..locations import PACKAGE_ROOT, temporary_folder
from . import boundary as _boundary
from . import tree
from .cgroup import TreeGroup
from .envelope import FILE_BYTES, Envelope, enforcement
from .monitor import Monitor, Output, output_pipe
from .child.sandboxed.limits import CallInterrupted, call_with_time_limit
from .child.sandboxed.server import Server
from .intake import ImplSpec, resolve
from .child.sandboxed.wire import FIRST_READ, HEADER, QUIET, REF_TAG, WireError, decode, encode, is_ref

__all__ = [
    "ChildTransport",
    "Implementation",
    "LocalTransport",
    "RemoteRef",
    "guard_policy",
    "open_implementation",
]

_ = translator("grading")
# the definitions a call may enter that the grader cares about: every name a component goes by
_FOLLOWED = sorted(spellings())

REPO_ROOT = PACKAGE_ROOT  # the checkout or site-packages: read, never written (checks/locations.py)


class LocalTransport:
    """Runs the implementation in this process; copies values both ways.

    `call_timeout` (seconds, None: none) stops a call that runs longer where it is
    (`child/sandboxed/limits.py`), so that the process — a learner's Jupyter kernel —
    survives an endless loop; the answer is a "timeout" error with the learner's traceback.
    """

    isolated = False
    generation = 0

    def __init__(self, spec, layout=None, call_timeout=None):
        # in this process `data` is importable already; only a child needs it wired in
        self.server = Server({**spec.child_spec(), "support": {}}, layout=layout)
        self.call_timeout = call_timeout

    def request(self, message):
        # through the channel's own encoding, so that both transports copy the same values
        try:
            answer = call_with_time_limit(self.call_timeout, self.server.handle, decode(encode(message)))
        except CallInterrupted:  # stopped in the dispatcher itself, around the implementation's code
            answer = ("error", "timeout", "CallInterrupted", "", "")
        if answer[0] == "error" and answer[1] == "timeout":
            text = _("stopped after {seconds} s: the call did not finish (an endless loop?)",
                     seconds=format(self.call_timeout, "g"))
            answer = (*answer[:3], text, *answer[4:])
        return decode(encode(answer))

    def close(self):
        pass


# Backstop for a child that outlives its checks: total CPU seconds (an orphaned infinite
# loop dies eventually). Its memory, tasks, files and output are bounded by its envelope
# (checks/isolation/envelope.py).
CHILD_CPU_SECONDS = 900
# The largest answer the judge reads, checked from the length header before the body is
# read. The reference's largest answer in a whole grading run is a few MB (a network's
# parameters); decoding is linear in the size, so this also bounds its cost.
ANSWER_BYTES = 64 << 20


def _child_setup(envelope, group, launch):
    """What the child does between fork and exec: join its cgroup, take its limits, become its user."""
    def apply():
        if group is not None:
            group.join()  # first: every process it starts from now on is counted
        # one process can never use more than the whole tree may; past it, a MemoryError there
        resource.setrlimit(resource.RLIMIT_AS, (envelope.memory_bytes, envelope.memory_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        resource.setrlimit(resource.RLIMIT_CPU, (CHILD_CPU_SECONDS, CHILD_CPU_SECONDS))
        resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_BYTES, FILE_BYTES))
        if launch.private is not None:
            launch.private()  # as root: its own /tmp, /dev/shm and work folder
        if launch.ids is not None:  # drop root: the OS then enforces what the audit hook only trips over
            # counts every process and thread of the uid: the child's own when the uid is fresh
            resource.setrlimit(resource.RLIMIT_NPROC, (envelope.tasks, envelope.tasks))
            os.setgroups([])
            os.setgid(launch.ids[1])
            os.setuid(launch.ids[0])
    return apply


def _env_paths(name):
    return [p for p in os.environ.get(name, "").split(os.pathsep) if p]


def _real(path):
    return os.path.realpath(os.fspath(path))


def guard_policy(spec, workdir):
    """What the audit hook of `child/sandboxed/guard.py` lets the child of the ImplSpec `spec` touch.

    The reference and the bug corpus (our own code) may import `reference`; anything
    else may neither import `reference` / `checks` nor open files under them. No
    child may open the repository's `build/` (grading results) or the folders named
    in DLFS_GUARD_DENY, nor write under the repository, the Python installation or
    the folders in DLFS_GUARD_READONLY; only its own work folder is writable there.
    """
    trusted = spec.trusted
    no_access = [REPO_ROOT / "build", *_env_paths("DLFS_GUARD_DENY")]
    if not trusted:
        no_access += [REPO_ROOT / "reference", REPO_ROOT / "checks"]
    read_only = [REPO_ROOT, sys.prefix, sys.exec_prefix, sys.base_prefix, sys.base_exec_prefix,
                 *[p for p in sys.path if p and os.path.isdir(p)], *_env_paths("DLFS_GUARD_READONLY")]
    return {
        "deny_imports": [] if trusted else ["reference", "checks"],
        "no_access": sorted({_real(p) for p in no_access}),
        "read_only": sorted({_real(p) for p in read_only}),
        "writable": [_real(workdir)],
    }


def _protected_folders():
    """Folders the grader protects beyond the repository's own (its run and output folders, other submissions)."""
    return [*_env_paths("DLFS_GUARD_DENY"), *_env_paths("DLFS_GUARD_READONLY")]


class ChildTransport:
    """Runs the implementation in a child process with a time and memory limit per call.

    The child runs inside the operating-system boundary chosen by `checks.isolation.boundary`
    (bubblewrap, an unprivileged user, or none on a developer's machine); `boundary` says
    which. Answers are read within the call's deadline, capped at `answer_bytes`, and
    decoded into plain values only (`child/sandboxed/wire.py`).
    """

    isolated = True

    def __init__(self, spec, call_timeout=20.0, memory_bytes=None, workdir=None, load_timeout=30.0,
                 answer_bytes=ANSWER_BYTES, envelope=None):
        self.spec = spec.child_spec()  # the plain dict the child opens
        self.call_timeout = call_timeout
        # Starting the process and importing the implementation (matplotlib's first import
        # builds a font cache) may take longer than a call: they get this limit instead.
        self.load_timeout = load_timeout
        self.envelope = envelope or Envelope()
        if memory_bytes is not None:
            self.memory_bytes = memory_bytes
        self.answer_bytes = answer_bytes
        _boundary.sweep_stale()
        self._workdir = temporary_folder("child") if workdir is None else None
        self.workdir = Path(workdir or self._workdir.name)
        self.spec["guard"] = guard_policy(spec, self.workdir)
        self.boundary = _boundary.choose()
        self._enforced = enforcement(self.boundary.name)
        self.spec["nofork"] = self._enforced.nofork
        self._launch = None
        self.deadline = None  # time.monotonic() after which every call times out (a check's budget)
        self.generation = 0
        self.process = None
        self.output = Output(self.envelope.output_bytes)  # what it printed, over every restart
        self._quieted = 0  # the generation told to print to /dev/null (past the cap: monitor.py)
        self._output_fd = None
        self._monitor = None
        self._group = None
        self._usage = {"memory_peak": 0, "tasks_peak": 0, "oom_kills": 0, "tasks_refused": 0, "over": None}

    @property
    def memory_bytes(self):
        """The memory all of the child's processes may use together (applied when it (re)starts)."""
        return self.envelope.memory_bytes

    @memory_bytes.setter
    def memory_bytes(self, value):
        self.envelope = self.envelope.replace(memory_bytes=int(value))

    def _start(self):
        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": str(self.workdir),
            "LANG": "C.UTF-8",
            # the learner's language, for what the child writes to them (the stubs' NotImplementedError)
            "DLFS_LANG": language(),
            "MPLBACKEND": "Agg",
            **blas_thread_settings(1),
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONHASHSEED": "0",
            "TMPDIR": str(self.workdir),  # temporary files stay where the child may write
            # RLIMIT_AS is the memory bound: each thread's malloc arena would reserve 64 MB of it
            "MALLOC_ARENA_MAX": "2",
        }
        if self._launch is None:
            self._launch, _ = _boundary.prepare(self.boundary, self.spec, self.workdir, env, _protected_folders(),
                                                self.envelope)
        envelope = self.envelope
        self._group = TreeGroup(envelope.memory_bytes, envelope.tasks) if self._enforced.memory == "cgroup" else None
        read_end, write_end = output_pipe()
        try:
            self.process = subprocess.Popen(
                self._launch.argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=write_end,  # the child points its stdout here too (child.py): one stream, read below
                bufsize=0,
                cwd=self.workdir,
                env=env,
                start_new_session=True,
                preexec_fn=_child_setup(envelope, self._group, self._launch),
            )
        except BaseException:
            os.close(read_end)
            if self._group is not None:
                self._group.remove()
                self._group = None
            raise
        finally:
            os.close(write_end)
        self._output_fd = read_end
        os.set_blocking(self.process.stdin.fileno(), False)
        self.generation += 1
        sampled = self._tree_sampler()
        self._monitor = Monitor(read_end, self.output, sampled,
                                envelope.memory_bytes if self._enforced.memory == "sampled" else None,
                                envelope.tasks if self._enforced.tasks == "sampled" else None, self._over)
        self._monitor.start()

    def _tree_sampler(self):
        """A function listing the child's processes, where no cgroup holds them (else None)."""
        if self._enforced.memory == "cgroup":
            return None
        root, launch = self.process.pid, self._launch
        if launch.ids is not None and launch.own_uid:
            return lambda: tree.owned_by(launch.ids[0])
        return lambda: tree.descendants(root)

    def _over(self, kind, pids):
        """The sampled tree went over a bound: kill all of it (called on the monitor's thread)."""
        tree.kill(pids)

    def _kill(self):
        if self.process is not None:
            leftovers = self._monitor.pids() if self._monitor is not None and self._monitor.pids else []
            try:
                os.killpg(self.process.pid, 9)
            except (ProcessLookupError, PermissionError):
                pass
            tree.kill(leftovers)  # without a boundary: forks that left the process group
            if self._launch is not None:
                self._launch.kill_everything()
            if self._group is not None:
                self._group.kill()
            self.process.wait()
            self.process = None
        self._finish_generation()

    def _finish_generation(self):
        """After the child's tree is gone: what it used, added to the totals; its group removed."""
        if self._monitor is not None:
            self._monitor.stop()
            if not self._monitor.is_alive():  # else left open: never close a descriptor a thread still reads
                os.close(self._output_fd)
            self._output_fd = None
            usage = self._usage
            usage["memory_peak"] = max(usage["memory_peak"], self._monitor.memory_peak)
            usage["tasks_peak"] = max(usage["tasks_peak"], self._monitor.tasks_peak)
            usage["over"] = usage["over"] or self._monitor.exceeded
            self._monitor = None
        if self._group is not None:
            counted = self._group.usage()
            self._group.remove()
            self._group = None
            usage = self._usage
            usage["memory_peak"] = max(usage["memory_peak"], counted["memory_peak"])
            usage["tasks_peak"] = max(usage["tasks_peak"], counted["tasks_peak"])
            usage["oom_kills"] += counted["oom_kills"]
            usage["tasks_refused"] += counted["tasks_refused"]

    def usage(self):
        """What the child's trees used so far (peaks over restarts), and what it printed.

        {"memory_peak": bytes (the cgroup's count, else the sampled sum of RSS), "tasks_peak",
        "oom_kills": processes the kernel killed at the memory bound, "tasks_refused": forks
        refused at the task bound, "over": "memory"/"tasks" when the sampled tree was killed,
        "printed": bytes, "dropped": bytes not kept}
        """
        usage = dict(self._usage)
        if self._group is not None:  # the live tree's count so far
            counted = self._group.usage()
            usage["memory_peak"] = max(usage["memory_peak"], counted["memory_peak"])
            usage["tasks_peak"] = max(usage["tasks_peak"], counted["tasks_peak"])
            usage["oom_kills"] += counted["oom_kills"]
            usage["tasks_refused"] += counted["tasks_refused"]
        if self._monitor is not None:
            usage["memory_peak"] = max(usage["memory_peak"], self._monitor.memory_peak)
            usage["tasks_peak"] = max(usage["tasks_peak"], self._monitor.tasks_peak)
            usage["over"] = usage["over"] or self._monitor.exceeded
        usage["printed"], usage["dropped"] = self.output.total, self.output.dropped
        return usage

    def _killed_for(self):
        """"memory" or "tasks" when the tree was killed for going over that bound (by the kernel or the sampler)."""
        if self._group is not None and self._group.usage()["oom_kills"]:
            return "memory"
        return self._monitor.exceeded if self._monitor is not None else None

    # -- the channel, within a deadline ----------------------------------------------
    def _send(self, payload, until):
        fd = self.process.stdin.fileno()
        view = memoryview(payload)
        while view:
            left = until - time.monotonic()
            if left <= 0 or not select.select([], [fd], [], left)[1]:
                raise _Late()
            try:
                written = os.write(fd, view[:1 << 16])
            except BlockingIOError:
                continue
            view = view[written:]

    def _read_into(self, buffer, done, until):
        """Fill `buffer` from byte `done` on (the rest of an answer whose start has arrived)."""
        view = memoryview(buffer)
        stream = self.process.stdout
        while done < len(buffer):
            left = until - time.monotonic()
            if left <= 0 or not select.select([stream], [], [], left)[0]:
                raise _Late(started=True)
            n = stream.readinto(view[done:])
            if not n:
                raise EOFError("the other side closed the channel")
            done += n

    def _first_read(self, until):
        """The answer's length header and what followed it in the pipe (usually all of a small answer)."""
        stream = self.process.stdout
        chunk = b""
        while len(chunk) < HEADER.size:
            left = until - time.monotonic()
            if left <= 0 or not select.select([stream], [], [], left)[0]:
                raise _Late(started=bool(chunk))
            more = stream.read(FIRST_READ)
            if not more:
                raise EOFError("the other side closed the channel")
            chunk += more
        return chunk

    def _exchange(self, message, until):
        # One request, one answer, each in as few system calls as the pipe allows: about 10,000 of
        # them in a whole grading, where four reads and writes each way took a tenth of its time.
        payload = encode(message)
        payload[:0] = HEADER.pack(len(payload))
        self._send(payload, until)
        chunk = self._first_read(until)
        (size,) = HEADER.unpack_from(chunk)
        if size > self.answer_bytes:
            raise WireError(f"an answer of {size} bytes is over the limit of {self.answer_bytes} bytes")
        if len(chunk) - HEADER.size > size:
            raise WireError("the answer is followed by bytes that belong to no request")
        if len(chunk) - HEADER.size == size:
            body = bytearray(memoryview(chunk)[HEADER.size:])  # writable: decoded arrays may be changed in place
        else:
            body = bytearray(size)
            body[:len(chunk) - HEADER.size] = memoryview(chunk)[HEADER.size:]
            self._read_into(body, len(chunk) - HEADER.size, until)
        return decode(body)  # linear in `size`, capped above

    def request(self, message, timeout=None):
        loading = self.process is None or message[0] == "get"
        if self.process is None:
            self._start()
        timeout = self.call_timeout if timeout is None else timeout
        if loading:
            timeout = max(timeout, self.load_timeout)
        budget_left = None if self.deadline is None else self.deadline - time.monotonic()
        if budget_left is not None and budget_left <= 0:
            self._kill()
            raise ImplementationTimeout(_("the check ran out of its time budget (the implementation was stopped)"))
        wait = timeout if budget_left is None else min(timeout, budget_left)
        try:
            if self.output.dropped and self._quieted != self.generation:
                self._quieted = self.generation
                self._exchange(QUIET, time.monotonic() + wait)
            return self._exchange(message, time.monotonic() + wait)
        except _Late as late:
            self._kill()
            if wait < timeout:
                raise ImplementationTimeout(_("the check ran out of its time budget (the call was stopped)")) from None
            if late.started:
                text = _("the answer did not arrive in full within {seconds} s (the call was stopped)",
                         seconds=format(timeout, "g"))
            else:
                text = _("no answer within {seconds} s (the call was stopped)", seconds=format(timeout, "g"))
            error = ImplementationTimeout(text)
            error.per_call = True  # this very call hangs (not a budget spent by many calls)
            raise error from None
        except (EOFError, BrokenPipeError, OSError) as error:
            code = None
            if self.process is not None:
                try:  # the channel closes a moment before the exit status is there
                    code = self.process.wait(timeout=1.0)
                except subprocess.TimeoutExpired:
                    code = None
            over = self._killed_for()
            self._kill()
            if over == "memory":
                raise ImplementationCrashed(_(
                    "the implementation's processes together used more than {megabytes} MB, the memory the "
                    "submission may use (they were stopped)", megabytes=self.envelope.memory_bytes >> 20)) from None
            if over == "tasks":
                raise ImplementationCrashed(_(
                    "the implementation started more than {count} processes and threads, as many as the "
                    "submission may have (they were stopped)", count=self.envelope.tasks)) from None
            raise ImplementationCrashed(
                _("the implementation's process died ({how}): {error}", how=_describe_exit(code), error=str(error))
            ) from None
        except Exception as error:  # a garbled, oversized or disallowed answer is the implementation's fault
            self._kill()
            raise ImplementationCrashed(_("the implementation's process sent an invalid answer: {error}",
                                          error=str(error))) from None

    def _keep_log(self):
        """Copy what the child printed (the part kept) to DLFS_CHILD_LOG_DIR, if set (debugging, the attack tests)."""
        folder = os.environ.get("DLFS_CHILD_LOG_DIR")
        if not folder:
            return
        target = Path(folder) / f"child-{os.getpid()}-{id(self):x}.log"
        with open(target, "ab") as out:
            out.write(bytes(self.output.kept))

    def close(self):
        self._kill()
        self._keep_log()
        if self._launch is not None:
            self._launch.cleanup()
        if self._workdir is not None:
            self._workdir.cleanup()


class _Late(Exception):
    """The deadline passed while sending a request or reading its answer."""

    def __init__(self, started=False):
        super().__init__()
        self.started = started




def _describe_exit(code):
    if code is None:
        return _("still running, channel broken")
    if code < 0:
        import signal

        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = "an unknown signal"
        return _("killed by signal {number}, {name}", number=-code, name=name)
    return _("exit status {code}", code=code)


class RemoteRef(Remote):
    """A handle on an object that lives beside the implementation.

    Calling it calls the object; reading an attribute returns a copy of the value, or
    another `RemoteRef` for objects that are not plain values (methods, layers).
    """

    __slots__ = ("_impl", "_handle", "_label", "_type_name", "_generation")

    def __init__(self, impl, handle, label, type_name, generation):
        object.__setattr__(self, "_impl", impl)
        object.__setattr__(self, "_handle", handle)
        object.__setattr__(self, "_label", label)
        object.__setattr__(self, "_type_name", type_name)
        object.__setattr__(self, "_generation", generation)

    def __repr__(self):
        return f"<{self._label} in {self._impl.label}>"

    def __call__(self, *args, **kwargs):
        return self._impl._request(self._label, "call", self, args, kwargs)

    def call_returning_args(self, *args, **kwargs):
        """Call, and also return the arguments as they are afterwards (in-place updates)."""
        return self._impl._request(self._label, "call", self, args, kwargs, True)

    def call_with_warnings(self, *args, **kwargs):
        """Call, and also return the warnings it raised, as 'Category: message' strings."""
        return self._impl._request(self._label, "call_warnings", self, args, kwargs)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return self._impl._request(f"{self._label}.{name}", "getattr", self, name)

    def __setattr__(self, name, value):
        self._impl._request(f"{self._label}.{name}", "setattr", self, name, value)

    def assign(self, path, index, value):
        """Set `obj.<path>[index] = value` where the object lives (e.g. a network's weight)."""
        self._impl._request(self._label, "assign", self, tuple(path), index, value)

    def _method_ref(self, method):
        return RemoteMethod(self, method)


class RemoteMethod:
    """`ref.method` of a RemoteRef, called in one request ("call_method"): the child makes the same
    getattr and call as for two requests, and no handle is kept for the bound method."""

    __slots__ = ("_ref", "_name", "_label")

    def __init__(self, ref, name):
        self._ref, self._name, self._label = ref, name, f"{ref._label}.{name}"

    def __repr__(self):
        return f"<{self._label} in {self._ref._impl.label}>"

    def __call__(self, *args, **kwargs):
        return self._ref._impl._request(self._label, "call_method", self._ref, self._name, args, kwargs)


class Implementation:
    """The implementation under test (an ImplSpec), reached through a transport."""

    def __init__(self, spec, transport, workdir=None):
        self.spec = spec
        self.label = spec.display  # in diagnoses: never a temporary folder's full path
        self.transport = transport
        self._workdir = workdir  # a TemporaryDirectory the spec was resolved into, removed at close
        self._reads_folder = bool(spec.homes)  # a learner's folder (BOOK, WORKSPACE): read by workspace.py
        self.chapter = None  # the chapter of the check running now (`checking`): which definition `get` finds
        self.provenance = {}  # (component, chapter, extension) -> where the child found it (workspace.py's records)
        self._failed_loads = {}  # where a component is loaded from -> why loading it failed
        self._broken_calls = {}  # (op, label) of calls that hung or killed the process -> (error class, why)
        self._following = None  # the transport generation whose server follows the components' definitions
        self._variant = None  # (component, index) of the learner's other definition being graded (`variant`)
        self._variant_lists = {}  # (component, chapter) -> [where]: the learner's other definitions (`variants`)

    def _load_key(self, name, chapter, extension=None):
        """What `get(name)` loads: in a learner's folder a definition chosen per component, chapter and extension
        (the child itself remembers a file or cell whose loading never finished), the whole package otherwise."""
        if self._reads_folder:
            return (name, chapter, extension)
        return "*"

    @contextlib.contextmanager
    def checking(self, chapter):
        """`get` finds components as a check of `chapter` needs them (a learner's ch04 or ch05 TwoLayerNet)."""
        saved, self.chapter = self.chapter, chapter
        try:
            yield self
        finally:
            self.chapter = saved

    def variants(self, name):
        """Where the learner's other definitions of `name` are, for the chapter being checked: [{"file", "cell",
        "line", "chapter"}] (checks/isolation/child/sandboxed/workspace.py); [] for a package, or when the child
        cannot say. Each is graded besides the one `get` finds (checks/suite/test_components.py)."""
        if not self._reads_folder:
            return []
        key = (name, self.chapter)
        if key not in self._variant_lists:
            try:
                found = self._request(f"{name} (its other definitions)", "variants", name, self.chapter)
            except (ImplementationError, ImplementationTimeout, ImplementationCrashed, MissingComponent):
                found = []
            self._variant_lists[key] = [where for where in found or () if isinstance(where, dict)]
        return self._variant_lists[key]

    @contextlib.contextmanager
    def variant(self, name, index):
        """While inside, `get(name)` finds the learner's other definition number `index` (`variants`), and
        diagnoses name it (`Affine (ch05/layers.py)`); yields False when it cannot be loaded (a failing import,
        a hang at import: not graded, as no definition that cannot be loaded is chosen either)."""
        where = self.variants(name)[index]
        place = where.get("file") if where.get("cell") is None else f"{where.get('file')}, cell {where.get('cell')}"
        saved = self._variant, self.label
        self._variant = (name, index, place)
        self.label = f"{saved[1]}: {place}"
        try:
            try:
                self.get(name)
                loaded = True
            except (MissingComponent, ImplementationTimeout, ImplementationCrashed):
                loaded = False
            yield loaded
        finally:
            self._variant, self.label = saved

    @property
    def isolated(self):
        return self.transport.isolated

    def get(self, name, chapter=None, extension=None):
        """The component `name` (class, function or value), or MissingComponent.

        `chapter`: the chapter whose contract the caller checks (default: the one `checking`
        set, else the component's own); a learner's folder may hold a definition per chapter.
        `extension`: what the book asks beyond the component's first listing (`Extension`,
        checks/library/components.py): a definition that has it.
        Loading runs the implementation's import-time code. When that hangs or kills
        the process (an unguarded training loop, os._exit at import), later `get`s of
        names loaded the same way fail at once instead of paying the time limit again.
        """
        chapter = self.chapter if chapter is None else chapter
        key = self._load_key(name, chapter, extension)
        variant = self._variant if self._variant is not None and self._variant[0] == name else None
        if variant is not None:  # the learner's other definition (`variant`), named where it is
            key, label = (key, variant[1]), f"{name} ({variant[2]})"
        else:
            label = name
        extra = () if extension is None and variant is None else (extension, None if variant is None else variant[1])
        failed = self._failed_loads.get(key)
        if failed is not None:
            error_class, first, text = failed
            raise error_class(f"{label}: not loaded again — loading {first} failed earlier: {text}")
        try:
            value = self._request(label, "get", name, chapter, *extra)
        except MissingComponent:
            if variant is None:
                self._note_provenance(name, chapter, extension)
            raise
        except (ImplementationTimeout, ImplementationCrashed) as error:
            self._failed_loads[key] = (type(error), name, str(error))
            raise
        self._note_provenance(name, chapter, extension)
        return value

    def _note_provenance(self, name, chapter, extension=None):
        """Ask once where the child found `name` for `chapter` (kept for the report: `sources`)."""
        if not self._reads_folder or (name, chapter, extension) in self.provenance:
            return
        try:
            extra = () if extension is None else (extension,)
            record = self._request(f"{name} (where it was found)", "provenance", name, chapter, *extra)
        except (ImplementationError, ImplementationTimeout, ImplementationCrashed, MissingComponent):
            return
        if isinstance(record, dict):
            self.provenance[(name, chapter, extension)] = record

    def sources(self):
        """{"notes", "resolved", "defined"}: what the child read and where each component came from.

        Plain records (checks/isolation/child/sandboxed/workspace.py). Asked of a running child
        only: a child stopped by a time-out is not started again just to answer.
        """
        report = {"notes": [], "resolved": [], "defined": []}
        if self._reads_folder and getattr(self.transport, "process", True) is not None:
            try:
                answer = self._request("sources", "sources")
                if isinstance(answer, dict):
                    report = answer
            except (ImplementationError, ImplementationTimeout, ImplementationCrashed, MissingComponent):
                pass
        seen = {(r.get("component"), r.get("chapter"), r.get("extension")) for r in report.get("resolved", ())}
        resolved = list(report.get("resolved", ())) + [record for key, record in self.provenance.items()
                                                       if key not in seen]
        return {"notes": list(report.get("notes", ())), "resolved": resolved, "defined": list(report.get("defined", ()))}

    def probe(self, name):
        """A test function from `sandboxed/probes.py`, living beside the implementation."""
        return self._request(f"probe {name}", "probe", name)

    def seed(self, seed):
        """Seed the global NumPy generator of the process running the implementation."""
        self._request("numpy.random.seed", "seed", seed)

    def close(self):
        self.transport.close()
        if self._workdir is not None:
            self._workdir.cleanup()

    # -- plumbing ---------------------------------------------------------
    def _generation(self):
        return getattr(self.transport, "generation", 0)

    def _encode(self, value):
        if isinstance(value, RemoteRef):
            if value._generation != self._generation():
                raise ImplementationCrashed(
                    _("{label} was lost when the implementation's process was restarted", label=value._label)
                )
            return (REF_TAG, value._handle, value._type_name, True)
        if type(value) in (list, tuple):
            return type(value)(self._encode(item) for item in value)
        if type(value) is dict:
            return {key: self._encode(item) for key, item in value.items()}
        return value

    def _decode(self, value, label):
        if is_ref(value):
            return RemoteRef(self, value[1], label, value[2], self._generation())
        if type(value) in (list, tuple):
            return type(value)(self._decode(item, f"{label}[{i}]") for i, item in enumerate(value))
        if type(value) is dict:
            return {key: self._decode(item, f"{label}[{key!r}]") for key, item in value.items()}
        return value

    def _follow(self, trace):
        """Have the server report the components' definitions each call enters, while a check is traced."""
        wanted = None if trace is None else self._generation()
        if wanted == self._following:
            return
        self.transport.request(("follow", _FOLLOWED if trace is not None else None))
        self._following = wanted

    def _note(self, trace, info, failed):
        """Put what the implementation's side said about a call (`info`, its answer's trace) into `trace`."""
        if trace is None:
            return
        info = info if isinstance(info, dict) else {}
        trace.add_call((str(name) for name in info.get("ran", ())), failed=failed)
        for alias, where in info.get("numpy_aliases", ()):
            reason = N_("np.{alias}, an alias NumPy 1.24 removed, was restored for grading (write {alias})",
                        alias=str(alias))
            trace.tolerate(Tolerated("", reason, str(where)))

    def _request(self, label, op, *args):
        trace = current_trace()
        # A call that hung or killed the process once (an infinite loop, os._exit or a
        # segfault in Affine.backward) is not made again in this run: later checks
        # reaching it fail at once instead of waiting, or restarting the process, again.
        # a method called in one request is the call of its bound method: remembered alike
        op_kind = "call" if op == "call_method" else op
        earlier = self._broken_calls.get((op_kind, label))
        if earlier is not None:
            error_class, text = earlier
            if trace is not None:
                trace.refused = True
            raise error_class(f"{label}: " + _("not called again — it {what} earlier", what=text))
        message = (op, *self._encode(args))
        try:
            self._follow(trace)
            answer = self.transport.request(message)
        except ImplementationTimeout as error:
            if getattr(error, "per_call", False) and op_kind in ("call", "call_warnings"):
                self._broken_calls[(op_kind, label)] = (ImplementationTimeout, _("ran out of time ({error})",
                                                                              error=str(error)))
            raise ImplementationTimeout(f"{label}: {error}") from None
        except ImplementationCrashed as error:
            if op_kind in ("call", "call_warnings"):
                self._broken_calls[(op_kind, label)] = (ImplementationCrashed, _("crashed the process ({error})",
                                                                              error=str(error)))
            raise ImplementationCrashed(f"{label}: {error}") from None
        if answer[0] == "ok":
            self._note(trace, answer[2] if len(answer) > 2 else None, failed=False)
            return self._decode(answer[1], label)
        _status, kind, type_name, text, trace_text, *info = answer
        if kind == "missing":
            raise MissingComponent(label, text)
        self._note(trace, info[0] if info else None, failed=True)
        if kind == "timeout":  # stopped where it was, in this process (LocalTransport's time limit)
            if op_kind in ("call", "call_warnings"):
                self._broken_calls[(op_kind, label)] = (ImplementationTimeout, _("ran out of time ({error})", error=text))
            if trace_text:
                text += "\n\n" + _("Traceback in the implementation:") + "\n" + trace_text.rstrip()
            raise ImplementationTimeout(f"{label}: {text}")
        error_class = NotAttempted if kind == "not_implemented" else ImplementationError
        raise error_class(label, type_name, text, trace_text)


def open_implementation(impl="reference", isolated=False, **child_options):
    """Open `impl` (an ImplSpec, or an IMPL value resolved here) in-process or in a child process.

    A value that needs files written (a zip, loose files, notebooks) is resolved into a
    temporary folder removed by `close()`. Raises IntakeError for a value naming nothing gradable.
    """
    workdir = None
    if not isinstance(impl, ImplSpec):
        workdir = temporary_folder("intake")
        try:
            impl = resolve(impl, workdir.name)
        except BaseException:
            workdir.cleanup()
            raise
    transport = ChildTransport(impl, **child_options) if isolated else LocalTransport(impl)
    return Implementation(impl, transport, workdir)
