"""A pytest plugin recording which functions of a folder run: `-p checks.tests.library.book_api_tracer`.

DLFS_TRACE_ROOT names the folder, DLFS_TRACE_OUT the JSON file it writes at the end: the sorted
["file:qualname"] of every function or method defined under the folder that was called.

The implementation is served in this process (LocalTransport), and everything a check makes it run
goes through `Server.handle`: the trace function is set for each request only, not for pytest's and
the checks' own calls, which were most of the calls traced (a whole component run took twice as long
under a process-wide tracer, 17.8 against 9.6 s of CPU).
"""

import json
import os
import sys
import threading
from pathlib import Path

_CALLED = set()


def _qualname(frame):
    code = frame.f_code
    qualname = getattr(code, "co_qualname", None)  # Python 3.11+
    if qualname is None:
        owner = frame.f_locals.get("self")
        qualname = f"{type(owner).__name__}.{code.co_name}" if owner is not None else code.co_name
    return qualname


def pytest_configure(config):
    root = os.environ.get("DLFS_TRACE_ROOT")
    if not root:
        return
    prefix = os.path.realpath(root) + os.sep

    def tracer(frame, event, arg):
        if event == "call":
            filename = frame.f_code.co_filename
            if filename.startswith(prefix):
                _CALLED.add(f"{Path(filename[len(prefix):]).as_posix()}:{_qualname(frame)}")
        return None  # no line events: only calls are recorded

    from checks.isolation.child.sandboxed.server import Server

    handle = Server.handle

    def traced_handle(self, request):
        previous = sys.gettrace()
        sys.settrace(tracer)
        try:
            return handle(self, request)
        finally:
            sys.settrace(previous)

    Server.handle = traced_handle
    threading.settrace(tracer)  # threads a book's function starts are traced from their start


def pytest_unconfigure(config):
    sys.settrace(None)
    out = os.environ.get("DLFS_TRACE_OUT")
    if out:
        Path(out).write_text(json.dumps(sorted(_CALLED), indent=1), encoding="utf-8")
