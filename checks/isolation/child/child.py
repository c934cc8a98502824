"""Entry point of the child process that runs an implementation under test.

Started by `checks.isolation.adapters.ChildTransport` as `python -E -s child.py SPEC_JSON`, so its
own folder (holding only the `sandboxed` dispatcher) is the first entry of sys.path
and neither `reference` nor `checks` is importable. The request channel is the
original stdin/stdout; the implementation's own prints go to its stderr instead (a pipe the
grader drains), so nothing it prints can be mistaken for an answer.

Before any code of the implementation runs, the dispatcher is imported, the audit
hook of `sandboxed/guard.py` and the seccomp filter of `sandboxed/nofork.py` are installed
(neither can be removed) and this folder is taken off sys.path again.
"""

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def _die_with_parent():
    """Ask Linux to kill this process when the process that started it dies (best effort)."""
    parent = os.getppid()
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def main():
    spec = json.loads(sys.argv[1])
    os.umask(0o077)  # what it writes is its own: never readable by another submission's child
    requests = os.fdopen(os.dup(0), "rb", buffering=0)
    answers = os.fdopen(os.dup(1), "wb")
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    # stderr is the pipe the grader drains (checks/isolation/monitor.py): prints go there too,
    # kept up to a cap and dropped beyond it, so a print never blocks or fails
    os.dup2(2, 1)
    sys.stdout = os.fdopen(1, "w", buffering=1, errors="backslashreplace")
    sys.stderr = os.fdopen(2, "w", buffering=1, errors="backslashreplace")
    # opened before the guard, which refuses writes outside the work folder
    quiet = os.open(os.devnull, os.O_WRONLY)

    sys.dont_write_bytecode = True  # -E ignores PYTHONDONTWRITEBYTECODE
    _die_with_parent()
    # another interpreter of the same version than the judge's (the unprivileged-user
    # boundary, when the judge's own is out of that user's reach) finds NumPy here
    sys.path.extend(entry for entry in spec.get("site_packages", ()) if entry not in sys.path)

    from sandboxed.guard import install
    from sandboxed.nofork import install as refuse_new_processes
    from sandboxed.server import Server
    from sandboxed.trace import CallTracer
    from sandboxed.wire import QUIET, WireError, recv_message, send_message

    tracer = CallTracer()
    tracer.pin()  # before the guard, which refuses sys.settrace to the code under test
    if spec.get("guard") is not None:
        install(spec["guard"])
    if spec.get("nofork", True):
        # the kernel refuses it new processes from now on: its memory is one address space (RLIMIT_AS)
        refuse_new_processes()
    sys.path[:] = [entry for entry in sys.path if os.path.abspath(entry or ".") != HERE]

    server = Server(spec, tracer=tracer)
    while True:
        try:
            request = recv_message(requests)
        except EOFError:
            return
        if request == QUIET:
            # past the grader's cap everything printed is dropped anyway: /dev/null drops it
            # without a copy through the pipe (checks/isolation/monitor.py)
            for fd in (1, 2):
                os.dup2(quiet, fd)
            send_message(answers, ("ok", None))
            continue
        answer = server.handle(request)
        try:
            send_message(answers, answer)
        except WireError as error:  # a value the channel cannot carry: the check sees an error
            send_message(answers, ("error", "exception", "WireError", str(error), ""))


if __name__ == "__main__":
    main()
