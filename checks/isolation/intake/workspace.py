"""A learner's notebooks made gradable — the glue until the child reads learners' folders itself.

A WORKSPACE spec (one .ipynb, or a folder of notebooks and files) is graded today through
the book-layout folder `checks/isolation/notebooks.py` converts it into. That converter
parses the learner's notebooks, so it runs here in a process of its own, bounded
(address space, CPU time): a notebook of pasted weights or a pathological cell costs
that process, never the grader's. Its notes come back as JSON on stdout.

This module is the one place that knows about the conversion: when the child opens a
learner's folder directly, `stage_workspace` goes and `ImplSpec.staged` stays empty.
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

from ...i18n import translator
from .errors import IntakeError
from .spec import REPO_ROOT

__all__ = ["CONVERT_MEMORY", "CONVERT_SECONDS", "stage_workspace"]

CONVERT_MEMORY = 512 << 20  # address space of the converting process (the book's 9 notebooks peak at 50 MB)
CONVERT_SECONDS = 120  # its CPU time (the book's 9 notebooks: about 1 s)
_ = translator("grading")


def _limits():
    resource.setrlimit(resource.RLIMIT_AS, (CONVERT_MEMORY, CONVERT_MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (CONVERT_SECONDS, CONVERT_SECONDS))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def stage_workspace(path, workdir):
    """(the book-layout folder `path`'s notebooks were converted into, under `workdir`; the notes).

    Raises IntakeError naming the notebook or folder when it cannot be converted.
    """
    dest = Path(tempfile.mkdtemp(prefix="notebooks-", dir=workdir)) / "book"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))}
    run = subprocess.run([sys.executable, "-m", "checks.isolation.intake.workspace", str(path), str(dest)],
                         cwd=REPO_ROOT, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                         preexec_fn=_limits, timeout=CONVERT_SECONDS * 2)
    try:
        answer = json.loads(run.stdout.decode("utf-8"))
    except ValueError:
        last = run.stderr.decode("utf-8", errors="replace").strip().splitlines()[-1:] or [f"exit status {run.returncode}"]
        raise IntakeError(Path(path).name, _("the notebooks could not be converted ({error})", error=last[0][:300])) \
            from None
    if "error" in answer:
        raise IntakeError(Path(path).name, answer["error"])
    return dest, tuple(answer["notes"])


def _main(argv):
    """`python -m checks.isolation.intake.workspace SOURCE DEST` (run by stage_workspace): JSON on stdout."""
    from ..notebooks import NotebookError, convert

    source, dest = argv
    try:
        conversion = convert(source, dest)
    except NotebookError as error:
        answer = {"error": str(error)}
    except (MemoryError, RecursionError) as error:
        answer = {"error": _("the notebooks could not be converted ({error})", error=type(error).__name__)}
    else:
        answer = {"notes": [str(note) for note in conversion.notes]}
    sys.stdout.write(json.dumps(answer))
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
