"""Calling a component the way the book and its networks call it.

Two rules of the book's call contract (how the book's own scripts and networks call each
component), in one place for every check:

- A component is reached for a case through `get(impl, case)`: the case's component, or
  another one the check needs, looked up for the chapter the case belongs to (its section),
  and for what the case asks beyond the first listing of it the book prints (`Extension`).
- Keywords are the book's (`lr=`, `train_flg=`, `dropout_ratio=`). A learner who renamed
  one (`learning_rate=`, `train_flag=`) still has the book's positional order, which is
  how the book's own scripts call most of them (`SGD(lr)`, `layer.forward(x, train_flg)`):
  when the implementation rejects a keyword, `book_call` calls again with every argument
  in the book's order (`Component.calls`, `checks/library/components.py`), skipped ones at
  the book's default; a parameter with a book default that the implementation does not take
  at all (a TwoLayerNet without `weight_init_std`) is left out, as the book's scripts leave it.
  Rejecting a keyword happens when the arguments are bound, before any of the
  implementation's code runs, so nothing is done twice.
"""

import abc
import re

from .components import component
from .errors import ImplementationError

__all__ = ["book_call", "book_call_returning_args", "book_method", "construct", "get", "rejected_keyword"]


def get(impl, case, name=None, method=None):
    """The component `name` (default: the case's own) of `impl`, for `case`'s chapter.

    Where the case (or the `method` the check calls) checks what the book asks beyond the
    component's first listing (`Extension`, components.py), the definition that has it.
    """
    name = name or case.component
    try:
        extension = component(name).extension(case.config if name == case.component else None, method)
    except KeyError:  # not one of the book's components (a check's helper name): nothing beyond it
        extension = None
    return impl.get(name) if extension is None else impl.get(name, extension=extension.form)


def rejected_keyword(error):
    """Whether `error` (raised by the implementation) says a keyword argument is not accepted."""
    return isinstance(error, ImplementationError) and error.type_name == "TypeError" \
        and "unexpected keyword argument" in error.message


_UNEXPECTED = re.compile(r"unexpected keyword argument '(\w+)'")


def _call(target, signature, args, kwargs, how):
    try:
        return how(target)(*args, **kwargs)
    except ImplementationError as error:
        positional = signature.positional(args, kwargs) if (kwargs and signature is not None) else None
        if positional is None or not rejected_keyword(error):
            raise
        rejected = _UNEXPECTED.search(error.message)
    try:
        return how(target)(*positional)
    except ImplementationError as error:
        # not renamed but left out: a parameter the book gives a default (§4.5.1's weight_init_std=0.01),
        # which the book's own scripts do not pass either (ch04/train_neuralnet.py): call on without it,
        # at the implementation's own default
        name = rejected.group(1) if rejected else None
        if name not in signature.defaults or error.type_name != "TypeError" or "positional argument" not in error.message:
            raise
    return _call(target, signature, args, {key: value for key, value in kwargs.items() if key != name}, how)


def book_call(target, name, method, *args, **kwargs):
    """`target(*args, **kwargs)` for component `name`'s `method` ("__init__", "__call__", "forward", …),
    again positionally in the book's order when a keyword is rejected."""
    return _call(target, component(name).signature(method), args, kwargs, lambda t: t)


def book_call_returning_args(target, name, method, *args, **kwargs):
    """`book_call` through `call_returning_args` (in-place changes to the arguments come back too)."""
    return _call(target, component(name).signature(method), args, kwargs, lambda t: t.call_returning_args)


def construct(impl, case, *args, name=None, method=None, **kwargs):
    """A new object of the case's component (or `name`), built as the book builds it (`method`: see `get`)."""
    name = name or case.component
    return book_call(get(impl, case, name, method), name, "__init__", *args, **kwargs)


class Remote(abc.ABC):
    """An object that lives beside the implementation (checks/isolation/adapters.py's RemoteRef).

    Its `_method_ref(method)` is `obj.method` called in one request to the implementation's
    process instead of two (the getattr, then the call): in a full grading of the reference, 3,897
    of 14,035 requests were getattrs for such calls, each a round trip through the pipe.
    """

    __slots__ = ()

    @abc.abstractmethod
    def _method_ref(self, method):
        """A callable that calls `self.method(...)` where the object lives."""


def book_method(obj, name, method, *args, **kwargs):
    """`obj.method(*args, **kwargs)` for an object of component `name`, as the book calls it."""
    target = obj._method_ref(method) if isinstance(obj, Remote) else getattr(obj, method)
    return book_call(target, name, method, *args, **kwargs)
