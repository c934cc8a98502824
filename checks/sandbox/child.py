"""Entry point of the child process that runs an implementation under test.

Started by `checks.impl.ChildTransport` as `python -E -s child.py SPEC_JSON`, so its
own folder (holding only the `sandboxed` dispatcher) is the first entry of sys.path
and neither `reference` nor `checks` is importable. The request channel is the
original stdin/stdout; the implementation's own prints go to a log file instead, so
nothing it prints can be mistaken for an answer.
"""

import json
import os
import sys


def main():
    spec = json.loads(sys.argv[1])
    requests = os.fdopen(os.dup(0), "rb", buffering=0)
    answers = os.fdopen(os.dup(1), "wb")
    log = os.open(spec["log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(log, 1)
    os.dup2(log, 2)
    sys.stdout = os.fdopen(1, "w", buffering=1)
    sys.stderr = os.fdopen(2, "w", buffering=1)

    from sandboxed.server import Server
    from sandboxed.wire import recv_message, send_message

    server = Server(spec)
    while True:
        try:
            request = recv_message(requests)
        except EOFError:
            return
        send_message(answers, server.handle(request))


if __name__ == "__main__":
    main()
