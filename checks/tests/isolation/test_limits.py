"""The in-process time limit (the in-kernel `check()`): an endless loop is stopped where it is, in the main
thread (SIGALRM) and in any other (an asynchronous exception), and nothing of the limit outlives the call."""

import signal
import threading
import time

import pytest

from checks.isolation.child.sandboxed.limits import CallInterrupted, call_with_time_limit


def _loop():
    while True:
        pass


def _swallowing_loop():
    """A loop whose `except Exception` would swallow a KeyboardInterrupt-like Exception, and that
    swallows the first interrupt with a bare except: the repeated ones still stop it."""
    swallowed = 0
    while True:
        try:
            while True:
                pass
        except Exception:  # noqa: BLE001 - the learner's, not enough to keep running
            pass
        except BaseException:
            swallowed += 1
            if swallowed > 1:
                raise


def _in_thread(function):
    outcome = {}

    def run():
        try:
            outcome["value"] = function()
        except BaseException as error:  # noqa: BLE001
            outcome["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    assert not thread.is_alive()
    return outcome


@pytest.mark.parametrize("loop", [_loop, _swallowing_loop])
def test_an_endless_loop_is_stopped_in_this_thread_and_the_timer_is_gone(loop):
    before = signal.getsignal(signal.SIGALRM) if threading.current_thread() is threading.main_thread() else None
    with pytest.raises(CallInterrupted):
        call_with_time_limit(0.2, loop)
    assert call_with_time_limit(0.2, lambda: 7) == 7
    time.sleep(0.3)  # a stray tick would raise here
    if before is not None:
        assert signal.getsignal(signal.SIGALRM) is before and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


@pytest.mark.parametrize("loop", [_loop, _swallowing_loop])
def test_an_endless_loop_is_stopped_in_another_thread(loop):
    outcome = _in_thread(lambda: call_with_time_limit(0.2, loop))
    assert isinstance(outcome.get("error"), CallInterrupted)
    outcome = _in_thread(lambda: (call_with_time_limit(0.2, lambda: 7), time.sleep(0.3))[0])
    assert outcome == {"value": 7}


def test_no_limit_is_a_plain_call():
    assert call_with_time_limit(None, lambda: 3) == 3
