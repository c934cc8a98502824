"""Tracebacks a learner reads: their own frames, their own file names, nothing of the grader.

A traceback through the grader's dispatcher names files the learner never wrote
(`…/child/sandboxed/server.py`) and the temporary folder a submission is graded in
(`/tmp/dlfs-submission-…/submission/exercises/layers/affine.py`). `learner_traceback`
keeps the frames outside the grader, names a file of the submission relative to the
folder the learner knows (`exercises/layers/affine.py`, `common/layers.py`), a library's
file from its package on (`numpy/core/fromnumeric.py`), and any other file by its name.
"""

import os
import traceback
from pathlib import Path

__all__ = ["learner_traceback", "shown_path"]

# the grader's side of the boundary: checks/isolation/ (the dispatcher, the child, the adapters)
_HARNESS = Path(__file__).resolve().parents[2]
_MAX_FRAMES = 6


def _inside(path, folder):
    try:
        Path(path).relative_to(folder)
        return True
    except ValueError:
        return False


def shown_path(filename, root=None):
    """How a file is named to a learner: relative to `root`, a library's from its package on, else its name."""
    if filename.startswith("<"):
        return filename
    path = os.path.realpath(filename)
    if root is not None and _inside(path, root):
        return Path(path).relative_to(root).as_posix()
    parts = Path(path).parts
    for marker in ("site-packages", "dist-packages"):
        if marker in parts:
            return "/".join(parts[parts.index(marker) + 1:])
    return Path(path).name


def learner_traceback(error, root=None, limit=_MAX_FRAMES):
    """The traceback of `error` as text, without the grader's frames or its folders.

    Args:
        error: the exception (with its `__traceback__`).
        root: the folder file names are shown relative to (a package's parent, so that
            `exercises/…` reads as in the stubs; a book-layout folder itself); None for names only.
        limit: how many of the innermost frames to keep.
    """
    root = os.path.realpath(root) if root is not None else None
    frames = []
    for frame in traceback.extract_tb(error.__traceback__):
        filename = frame.filename
        if filename.startswith("<frozen ") or (not filename.startswith("<")
                                               and _inside(os.path.realpath(filename), _HARNESS)):
            continue
        frames.append(traceback.FrameSummary(shown_path(filename, root), frame.lineno, frame.name,
                                             line=frame.line))
    if isinstance(error, SyntaxError) and error.filename:  # its message names the file itself
        error.filename = shown_path(error.filename, root)
    text = "".join(traceback.format_exception_only(type(error), error))
    if not frames:
        return text
    shown = traceback.StackSummary.from_list(frames[-limit:])
    return "Traceback (most recent call last):\n" + "".join(shown.format()) + text
