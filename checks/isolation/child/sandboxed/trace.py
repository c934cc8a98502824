"""What one call into the implementation ran, for the judge to blame only what is on the failing path.

While the judge follows (it sends the names of the book's components, `follow`), each
call runs under a trace function that notes every code object entered, once, and
reports the definitions they belong to (`Affine` for `Affine.backward`, `softmax` for
`softmax`), kept to the names the judge asked about. The trace function returns no
local tracer, so it costs one Python call per function entered, not one per line.

Old copies of the book's code use NumPy aliases that NumPy 1.24 removed (`np.int`).
`restore_numpy_aliases` answers them from NumPy's module `__getattr__` and notes each
use with the place it came from, so the judge can say which code was graded with an
alias restored (a tolerated deviation).
"""

import contextlib
import inspect
import sys

__all__ = ["CallTracer", "restore_numpy_aliases", "take_alias_uses"]

_ALIAS_USES = []  # (alias, filename, line) noted since the last take_alias_uses()
_FUNCTION = inspect.CO_OPTIMIZED  # the code of a function, not of a module or a class body


def _definition(code, frame):
    """The top-level definition a code object belongs to: `Affine` for `Affine.backward`. None for a
    constructor, which builds a component without running what it computes (a network builds
    its loss layer in every check, and calls it only in some), and for a class body."""
    if code.co_name == "__init__" or not code.co_flags & _FUNCTION:  # a class body runs when it is defined
        return None
    qualname = getattr(code, "co_qualname", None)  # Python 3.11+
    if qualname is None:  # 3.10: a method is named by its instance's class
        qualname = code.co_name
        if code.co_argcount and code.co_varnames[0] in ("self", "cls"):
            owner = frame.f_locals.get(code.co_varnames[0])
            owner = owner if isinstance(owner, type) else type(owner)
            qualname = f"{owner.__name__}.{qualname}"
    return qualname.split(".", 1)[0]


class CallTracer:
    """Notes the definitions a call entered, among the names followed.

    In-process the trace function is set for each call and removed after it (and a
    debugger's own, debugpy's in a kernel, is never replaced: the path is then unknown).
    A child process `pin`s it once, before its audit hook starts refusing sys.settrace
    (checks/isolation/child/child.py); between calls it then notes nothing.
    """

    def __init__(self):
        self.names = None  # frozenset of definition names to report; None: not following
        self._seen = None  # {code: definition} during a traced call
        self._pinned = False

    def pin(self):
        """Set the trace function for this process's life (the child calls it before its guard)."""
        sys.settrace(self._trace)
        self._pinned = True

    def follow(self, names):
        self.names = frozenset(names) if names else None

    def _trace(self, frame, event, arg):
        seen = self._seen
        if seen is not None:
            code = frame.f_code
            if code not in seen:
                seen[code] = _definition(code, frame)
        return None

    @contextlib.contextmanager
    def call(self):
        """Trace the block; the yielded set holds the followed definitions it entered, once it is over."""
        ran = set()
        own = not self._pinned
        names = self.names  # as it is now: the call may be one that changes it
        if names is None or (own and sys.gettrace() is not None):
            yield ran
            return
        self._seen = {}
        if own:
            sys.settrace(self._trace)
        try:
            yield ran
        finally:
            if own:
                sys.settrace(None)
            seen, self._seen = self._seen, None
            ran.update(name for name in seen.values() if name in names)


def restore_numpy_aliases(aliases):
    """Answer `np.<alias>` for the removed `aliases` ({name: builtin}), noting each use (see `take_alias_uses`)."""
    import numpy as np

    hook = np.__dict__.get("__getattr__")
    known = getattr(hook, "dlfs_aliases", None)
    if known is not None:  # installed already (one process may open several book layouts)
        known.update({name: value for name, value in aliases.items() if name not in np.__dict__})
        return
    restored = {name: value for name, value in aliases.items() if name not in np.__dict__}
    if not restored:
        return

    def __getattr__(name):
        if name in restored:
            caller = sys._getframe(1)
            use = (name, caller.f_code.co_filename, caller.f_lineno)
            if use not in _ALIAS_USES:
                _ALIAS_USES.append(use)
            return restored[name]
        if hook is None:
            raise AttributeError(f"module 'numpy' has no attribute {name!r}")
        return hook(name)

    __getattr__.dlfs_aliases = restored
    np.__getattr__ = __getattr__


def take_alias_uses():
    """The alias uses noted since the last call: [(alias, filename, line)]."""
    uses = list(_ALIAS_USES)
    _ALIAS_USES.clear()
    return uses
