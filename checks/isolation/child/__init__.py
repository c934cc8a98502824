"""Code that runs beside the implementation under test (in-process or in a child process).

`sandboxed/` is the dispatcher that holds the implementation's objects and answers
requests; `child.py` starts it in a child process. Nothing here judges: verdicts are
made by `checks/` from the values that come back.
"""
