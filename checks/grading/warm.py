"""Grading runs forked from a process that has pytest and the checks imported already.

A grading starts pytest in a fresh process (checks/grading/run.py): about 0.55 s of CPU
before the first check, most of it importing pytest, NumPy and the checks library. A
process that grades more than once (`dlfs grade-all`, a test session) pays that once: from
its second grading on (from its first, after `expect_many`, which grade-all calls), a *warm*
process started with the same environment imports what the
grading's pytest imports and forks a copy of itself for each run, which sets up the run the
way `subprocess.Popen(..., start_new_session=True)` would (its own session, the folder,
the environment, stdin from /dev/null, stdout and stderr into the run's log) and calls
`pytest.main` with the same arguments. The judge's and the implementation's processes below
it are started exactly as before: nothing of the implementation ever runs in the warm process.

What the fork does not carry over is re-read: the environment is the run's own, to the
letter; the warm process is replaced when the environment it was started with differs from a
run's other than in the variables no import reads (`_PER_RUN_PREFIXES`), since a module may read one
at import time (NumPy its BLAS threads). The plugins and the checks' test module are imported
by pytest in the run, not beforehand, so pytest rewrites their assertions as in a fresh process.

Anything that keeps a run from starting warm (no warm process, one that died or is stuck, a
failed fork) starts it the usual way instead: `start` returns None and the caller uses
subprocess.Popen. The warm process's runs end like a fresh process (threads joined, atexit
handlers run, the exit status sent back); one killed by a signal is reported as -9 (SIGKILL),
whichever signal it was: the warm process reaps its runs, so their status is not kept.
"""

import ast
import atexit
import importlib
import json
import os
import select
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

__all__ = ["WarmProcess", "expect_many", "server_pid", "start", "started", "stop"]

_CODE = struct.Struct("<i")
_GO = b"g"
# Variables that differ between runs without changing what any module does at import: dlfs's own
# (every one is read when it is used: the boundary, the language, the folders a run's children may
# not touch, where the data lives) and the test pytest names. Any other difference (BLAS threads,
# PYTHONPATH, the locale) gets a warm process of its own.
_PER_RUN_PREFIXES = ("DLFS_", "PYTEST_CURRENT_TEST")
# the first request waits for the warm process's imports (about 0.5 s), later ones for a fork:
# this only bounds a machine under heavy load, or a warm process that is stuck
_PID_TIMEOUT = 30.0
_SEND_TIMEOUT = 5.0  # a warm process that stopped reading its requests is replaced, never waited on for ever
# a request (the run's arguments and environment) is one datagram: within a socket's send buffer
_MESSAGE_BYTES = 64 << 10
# what the grading's pytest imports: its plugins and the test module, whose own imports are taken
# (checks/grading/run.py `_pytest_command` names the first two, `_TEST_FILE` the third)
_RUN_MODULES = ("checks/suite/wiring.py", "checks/grading/plugin.py", "checks/suite/test_components.py")
_ROOT = Path(__file__).resolve().parents[2]

_lock = threading.Lock()
_server = None  # (environment key, Popen of the warm process, control socket)
_runs = 0  # gradings started in this process: the first starts cold, the next ones warm
started = 0  # of which warm
_served = False  # some run was forked by a warm process of this process
_broken = False  # a warm process died before its first run: warm starts are off for this process


# -- the warm process ----------------------------------------------------------------------
def _imported_by(path):
    """The absolute names of the modules `path` imports, at any depth of its code."""
    parts = path.relative_to(_ROOT).with_suffix("").parts
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(parts[:len(parts) - node.level]) if node.level else ""
            names.append(".".join(filter(None, [base, node.module])))
    return names


def _warm_up():
    """Import what a grading's pytest imports, except the modules pytest itself must import."""
    import _pytest.config
    import pytest  # noqa: F401

    for plugin in _pytest.config.default_plugins:
        importlib.import_module(f"_pytest.{plugin}")
    own = {".".join(Path(p).with_suffix("").parts) for p in _RUN_MODULES}
    for relative in _RUN_MODULES:
        for name in _imported_by(_ROOT / relative):
            if name not in own:
                try:
                    importlib.import_module(name)
                except ImportError:  # an optional import (xdist): pytest imports it if the run needs it
                    pass


def _run(request, channel, log):
    """In the forked copy: the run, as `python -m pytest ARGS` in a new session would do it. Never returns."""
    try:
        os.setsid()
        # The caller answers the pid with one byte: a caller that gave up waiting (and started the
        # run cold) has closed the channel instead, and this copy ends here, having touched nothing.
        channel.sendall(_CODE.pack(os.getpid()))
        if channel.recv(1) != _GO:
            os._exit(0)
    except BaseException:
        os._exit(0)
    code = 3  # pytest's "internal error", if the run cannot even start
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the warm process ignores its children; pytest waits for its own
        signal.signal(signal.SIGINT, signal.default_int_handler)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        tempfile.tempdir = None  # decided again from this run's TMPDIR, if the warm process had decided it
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.close(log)
        import pytest

        code = int(pytest.main(request["args"]))
    except SystemExit as stop:  # as the interpreter maps it
        code = 0 if stop.code is None else stop.code if isinstance(stop.code, int) else 1
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        try:  # what the interpreter's own exit does: wait for non-daemon threads, run the atexit handlers
            threading._shutdown()
            atexit._run_exitfuncs()
            sys.stdout.flush()
            sys.stderr.flush()
        except BaseException:
            pass
        code &= 0xFF
        try:
            channel.sendall(_CODE.pack(code))
        except OSError:
            pass
        os._exit(code)


def serve(control):
    """The warm process: fork a run for each request on `control` until the caller closes it."""
    _warm_up()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps the runs; callers see their end on the channel
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C reaches the caller, which closes the control socket
    while True:
        try:
            message, fds, _flags, _address = socket.recv_fds(control, _MESSAGE_BYTES, 2, socket.MSG_CMSG_CLOEXEC)
        except OSError:
            return
        if not message:
            return
        if len(fds) != 2:
            for fd in fds:
                os.close(fd)
            continue
        channel, log = socket.socket(fileno=fds[0]), fds[1]
        sys.stdout.flush()
        sys.stderr.flush()
        if os.fork() == 0:
            control.close()
            _run(json.loads(message), channel, log)
        channel.close()
        os.close(log)


# -- the caller's side ---------------------------------------------------------------------
class WarmProcess:
    """A run forked by the warm process: `pid` (its session's too) and `wait`, like subprocess.Popen's."""

    def __init__(self, pid, channel, args):
        self.pid = pid
        self.args = args
        self.returncode = None
        self._channel = channel
        self._code = None

    def wait(self, timeout=None):
        """Its exit status once it has ended (-9 when it was killed), else subprocess.TimeoutExpired at `timeout`."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.returncode is None:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not select.select([self._channel], [], [], left)[0]:
                raise subprocess.TimeoutExpired(self.args, timeout)
            data = self._channel.recv(_CODE.size)
            if data:
                (self._code,) = _CODE.unpack(data)
                continue  # the channel closes when the process has gone
            self.returncode = self._code if self._code is not None else -signal.SIGKILL
            self._channel.close()
        return self.returncode


def _imported_with(env):
    """`env` without the variables no import reads (`_PER_RUN_PREFIXES`): what a warm process is started with."""
    return {name: value for name, value in env.items() if not name.startswith(_PER_RUN_PREFIXES)}


def _key(env):
    return tuple(sorted(_imported_with(env).items()))


def _server_for(env):
    """The control socket of a warm process started with `env` (started now if need be), or None."""
    global _server
    key = _key(env)
    if _server is not None and (_server[0] != key or _server[1].poll() is not None):
        _give_up()
        if _broken:
            return None
    if _server is None:
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            process = subprocess.Popen(
                [sys.executable, "-m", "checks.grading.warm", str(theirs.fileno())], cwd=_ROOT,
                env=_imported_with(env), pass_fds=[theirs.fileno()],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                start_new_session=True)
        except OSError:
            mine.close()
            return None
        finally:
            theirs.close()
        mine.settimeout(_SEND_TIMEOUT)
        _server = (key, process, mine)
    return _server[2]


def _stop_server():
    global _server
    if _server is not None:
        _key_, process, control = _server
        _server = None
        control.close()  # the warm process ends when it reads the end of its control socket
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def expect_many():
    """This process is about to grade several times (`grade-all`): its next grading starts warm already."""
    global _runs
    with _lock:
        _runs = max(_runs, 1)


def server_pid():
    """The warm process's pid, or None."""
    with _lock:
        return None if _server is None else _server[1].pid


def stop():
    """End the warm process, if any (at exit; tests)."""
    with _lock:
        _stop_server()


atexit.register(stop)


def start(command, env, cwd, log):
    """Run `command` (`python -m pytest ARGS`) as a WarmProcess, or None: then start it the usual way.

    `log` is the open file its stdout and stderr go to. A process's first grading returns None
    (one grading gains nothing from a warm process) unless `expect_many` was called;
    DLFS_GRADE_WARM=0 turns warm starts off, and so does a warm process that could not start.
    """
    global _runs
    if os.environ.get("DLFS_GRADE_WARM", "1") == "0" or command[1:3] != ["-m", "pytest"]:
        return None
    payload = json.dumps({"args": command[3:], "env": env, "cwd": str(cwd)}).encode()
    if len(payload) > _MESSAGE_BYTES:
        return None
    with _lock:
        _runs += 1
        if _runs == 1 or _broken:
            return None
    try:
        return _forked(command, env, payload, log)
    except OSError:  # no socket, no process: the usual way
        return None


def _forked(command, env, payload, log):
    global started, _served
    with _lock:
        control = _server_for(env)
        if control is None:
            return None
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            socket.send_fds(control, [payload], [theirs.fileno(), log.fileno()])
        except OSError:
            mine.close()
            _give_up()
            return None
        finally:
            theirs.close()
    # the run's first message is its pid; without it (the warm process died, or is stuck), the
    # warm process is replaced and the channel closed, which ends the fork if it comes later
    if select.select([mine], [], [], _PID_TIMEOUT)[0]:
        data = mine.recv(_CODE.size)
        if len(data) == _CODE.size:
            mine.sendall(_GO)
            with _lock:
                started += 1
                _served = True
            return WarmProcess(_CODE.unpack(data)[0], mine, command)
    mine.close()
    with _lock:
        _give_up()
    return None


def _give_up():
    """Replace the warm process (under _lock); off for good if it died before its first run."""
    global _broken
    if _server is not None and _server[1].poll() is not None and not _served:
        _broken = True  # its imports fail here (it ran nothing yet): starting it again would fail again
    _stop_server()


if __name__ == "__main__":
    serve(socket.socket(fileno=int(sys.argv[1])))
