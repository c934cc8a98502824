"""A time limit on a call running in this very process (the in-kernel `check()`).

A child process that hangs is killed from outside (checks/isolation/adapters.py). A
notebook's kernel must survive, so there the call is interrupted from inside:
`call_with_time_limit(seconds, function, *args)` raises `CallInterrupted` in the running
code once the time is up, and again every `REPEAT` seconds should the code swallow it.
In the main thread a SIGALRM timer does it (Jupyter's kernels run cells there); in
another thread, a watcher thread sends the exception asynchronously.

The exception is only ever raised while the guarded call is on the stack: the signal
handler (or the watcher) looks for its frame first, and once the call is over a late
timer tick disarms itself instead of raising into whatever the kernel runs next.

`CallInterrupted` derives from BaseException, so an `except Exception:` in the
learner's loop does not swallow it. Code stuck inside one C call (a huge matrix
product) is interrupted when that call returns, as by Jupyter's own interrupt.
"""

import ctypes
import signal
import sys
import threading

__all__ = ["CallInterrupted", "REPEAT", "call_with_time_limit"]

REPEAT = 0.05


class CallInterrupted(BaseException):
    """The call ran past its time limit and was stopped where it was."""


def _guarded(marker, function, args):
    return function(*args)


def _running(frame, marker):
    """Whether `_guarded(marker, …)` is on the stack ending at `frame`."""
    while frame is not None:
        if frame.f_code is _guarded.__code__ and frame.f_locals.get("marker") is marker:
            return True
        frame = frame.f_back
    return False


def _with_alarm(seconds, function, args):
    marker = object()

    def stop(signum, frame):
        if _running(frame, marker):
            raise CallInterrupted()
        signal.setitimer(signal.ITIMER_REAL, 0)  # a tick after the call was over: stale
        signal.signal(signal.SIGALRM, previous)

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds, REPEAT)
    try:
        return _guarded(marker, function, args)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _with_watcher(seconds, function, args):
    marker = object()
    ident = threading.get_ident()
    done = threading.Event()

    def watch():
        if done.wait(seconds):
            return
        while not done.is_set():
            frame = sys._current_frames().get(ident)
            if not _running(frame, marker):
                return
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), ctypes.py_object(CallInterrupted))
            done.wait(REPEAT)

    watcher = threading.Thread(target=watch, name="dlfs-time-limit", daemon=True)
    watcher.start()
    try:
        return _guarded(marker, function, args)
    finally:
        done.set()
        watcher.join()


def call_with_time_limit(seconds, function, *args):
    """`function(*args)`, stopped with `CallInterrupted` after `seconds` (None: no limit)."""
    if seconds is None:
        return function(*args)
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        return _with_alarm(seconds, function, args)
    return _with_watcher(seconds, function, args)
