"""Answer a check's requests against the implementation's objects.

One dispatcher serves both transports: called directly in-process, or fed from a
pipe in a child process. Requests are tuples `(op, *args)`; answers are

    ("ok", value[, trace])
    ("error", kind, type_name, message, traceback_text[, trace])

with kind one of "not_implemented", "exception", "timeout" (the call was stopped by
`limits.CallInterrupted`, in-process only) and "missing". `trace`, present when there
is something to say, is a dict of plain values: "ran", the followed definitions the
call entered (`trace.py`; the judge blames a prerequisite only when it is on the
failing path), and "numpy_aliases", [[alias, "file:line"]] for each removed NumPy
alias the call was answered (a tolerated deviation). Objects that are not plain
values stay in `self.objects` and travel as references (see `wire.py`).
"""

import itertools
import os
import random
import traceback
import warnings
from pathlib import Path

import numpy as np

from .limits import CallInterrupted
from .loaders import open_layout
from .missing import MissingName
from .probes import PROBES
from .trace import CallTracer, take_alias_uses
from .tracebacks import learner_traceback, shown_path
from .wire import is_ref, is_value, make_ref

__all__ = ["Server"]


# An exception's text crosses the channel capped: a submission raising a 3 MB message must cost
# its checks a diagnosis, not the whole answer (the judge caps again, in bytes, for its reports).
MAX_ERROR_CHARS = 1 << 16


def _message(error):
    try:
        return str(error)
    except BaseException:  # noqa: BLE001 - a __str__ that raises is the submission's, not ours
        return f"<{type(error).__name__} whose message could not be read>"


def _capped(text):
    if len(text) <= MAX_ERROR_CHARS:
        return text
    return f"{text[:MAX_ERROR_CHARS]}… ({len(text) - MAX_ERROR_CHARS} more characters not shown)"


class Server:
    def __init__(self, spec, layout=None, tracer=None):
        self.layout = open_layout(spec) if layout is None else layout
        # tracebacks name files as the learner knows them: exercises/… for a package, common/… for a book layout
        path = spec.get("path")
        self.shown_root = getattr(self.layout, "shown_root", None) or (None if path is None else Path(path).parent)
        self.objects = {}
        self._handles = itertools.count(1)
        self.tracer = CallTracer() if tracer is None else tracer

    # -- encoding ---------------------------------------------------------
    def _export(self, obj):
        if is_value(obj):
            return obj
        handle = next(self._handles)
        self.objects[handle] = obj
        return make_ref(handle, obj)

    def _import(self, value):
        if is_ref(value):
            return self.objects[value[1]]
        if type(value) in (list, tuple):
            return type(value)(self._import(item) for item in value)
        if type(value) is dict:
            return {key: self._import(item) for key, item in value.items()}
        return value

    # -- dispatch ---------------------------------------------------------
    def handle(self, request):
        op, *args = request
        with self.tracer.call() as ran:
            try:
                answer = ("ok", getattr(self, "op_" + op)(*args))
            except MissingName as missing:
                return ("error", "missing", "MissingName", missing.detail, "")
            except BaseException as error:  # noqa: BLE001 - SystemExit from a submission included
                kind = "timeout" if isinstance(error, CallInterrupted) else \
                    "not_implemented" if isinstance(error, NotImplementedError) else "exception"
                text = learner_traceback(error, self.shown_root)
                if kind == "timeout":  # where it was stopped: the frames, not the harness's exception
                    text = text.removesuffix("".join(traceback.format_exception_only(type(error), error)))
                answer = ("error", kind, type(error).__name__, _capped(_message(error)), _capped(text))
        trace = self._trace(ran)
        return (*answer, trace) if trace else answer

    def _trace(self, ran):
        """What the call ran and tolerated (see the module's docstring), {} when nothing."""
        trace = {}
        if ran:
            trace["ran"] = sorted(ran)
        aliases = take_alias_uses()
        if aliases:
            root = None if self.shown_root is None else os.path.realpath(self.shown_root)
            trace["numpy_aliases"] = [[alias, f"{shown_path(filename, root)}:{line}"]
                                      for alias, filename, line in aliases]
        return trace

    def op_follow(self, names):
        """Report which of `names` (definitions: classes, functions) each later call enters; None: stop."""
        self.tracer.follow(names)

    def op_get(self, name, chapter=None, extension=None, variant=None):
        options = {key: value for key, value in (("extension", extension), ("variant", variant)) if value is not None}
        return self._export(self.layout.resolve(name, chapter, **options))

    def op_variants(self, name, chapter=None):
        """Where the learner's other definitions of `name` are, each graded too (workspace.py), [] elsewhere."""
        variants = getattr(self.layout, "variants", None)
        return [] if variants is None else variants(name, chapter)

    def op_provenance(self, name, chapter=None, extension=None):
        """Where `name` (checked for `chapter`, and `extension`) came from: a plain record (workspace.py), or None."""
        provenance = getattr(self.layout, "provenance", None)
        if provenance is None:
            return None
        return provenance(name, chapter) if extension is None else provenance(name, chapter, extension=extension)

    def op_sources(self):
        """What was read and resolved so far, and the notes about it: {"notes": [...], "resolved": [...]}."""
        report = getattr(self.layout, "report", None)
        return {"notes": [], "resolved": []} if report is None else report()

    def op_call(self, target, args, kwargs, return_args=False):
        return self._invoke(self._import(target), args, kwargs, return_args)

    def op_call_method(self, target, name, args, kwargs):
        """`target.name(*args, **kwargs)`: op_getattr then op_call, in one request."""
        return self._invoke(getattr(self._import(target), name), args, kwargs)

    def _invoke(self, function, args, kwargs, return_args=False):
        args = self._import(args)
        kwargs = self._import(kwargs)
        result = function(*args, **kwargs)
        if return_args:
            return (self._export(result), [self._export(arg) for arg in args])
        return self._export(result)

    def op_call_warnings(self, target, args, kwargs):
        """Call, and also return the warnings raised during the call as strings."""
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = self._import(target)(*self._import(args), **self._import(kwargs))
        return (self._export(result), [f"{w.category.__name__}: {w.message}" for w in caught])

    def op_probe(self, name):
        return self._export(PROBES[name])

    def op_getattr(self, target, name):
        return self._export(getattr(self._import(target), name))

    def op_setattr(self, target, name, value):
        setattr(self._import(target), name, self._import(value))

    def op_assign(self, target, path, index, value):
        """`obj.<path>[index] = value`, path being attribute names or ("item", key)."""
        target = self._import(target)
        for step in path:
            target = target[step[1]] if isinstance(step, tuple) else getattr(target, step)
        target[index] = value

    def op_seed(self, seed):
        np.random.seed(seed)
        random.seed(seed)

    def op_release(self, target):
        self.objects.pop(target[1], None)

    def op_ping(self):
        return "pong"
