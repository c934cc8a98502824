"""A values-only unpickler: NumPy arrays, scalars and dtypes, and builtin containers.

Unpickling an arbitrary pickle runs whatever callables it names (``os.system``,
``builtins.eval``...). This unpickler resolves globals from a fixed table
instead of importing anything, so a pickle can only build plain data. It reads
the book's weight files (written by old NumPy, module ``numpy.core.multiarray``)
and today's pickles (``numpy._core``, protocol 5's ``_frombuffer``), and is also
meant for decoding values sent back by untrusted child processes.

A hostile pickle can still ask for a huge array (MemoryError); it cannot run code.
"""

from __future__ import annotations

import collections
import io
import os
import pickle
from collections.abc import Mapping
from types import MappingProxyType
from typing import IO, Any

import numpy as np

from .errors import UnsafePickleError

try:  # NumPy >= 2 (and the forward-compatible shims of 1.26)
    from numpy._core import multiarray as _multiarray
    from numpy._core import numeric as _numeric
except ImportError:  # pragma: no cover - NumPy < 1.26
    from numpy.core import multiarray as _multiarray  # type: ignore[no-redef]
    from numpy.core import numeric as _numeric  # type: ignore[no-redef]

__all__ = ["restricted_loads", "restricted_load", "ALLOWED_GLOBALS"]


def _frombuffer(buf: Any, dtype: Any, shape: Any, order: str, axis_order: Any = None) -> np.ndarray:
    """Protocol-5 array reconstruction, refusing object dtypes (raw bytes cannot hold objects).

    NumPy >= 2.3 adds ``axis_order`` for arrays that are neither C- nor F-contiguous.
    """
    if not isinstance(dtype, np.dtype) or dtype.hasobject:
        raise pickle.UnpicklingError(f"_frombuffer with dtype {dtype!r} is not allowed")
    if axis_order is None:
        return _numeric._frombuffer(buf, dtype, shape, order)
    return _numeric._frombuffer(buf, dtype, shape, order, axis_order)


# A fixed list rather than codecs.lookup: looking a codec up imports modules.
_LATIN1_NAMES = frozenset({"latin1", "latin-1", "latin_1", "iso-8859-1", "iso8859-1", "iso_8859_1", "l1"})


def _latin1_encode(text: Any, encoding: str = "utf-8") -> bytes:
    """How protocol 0-2 pickles store bytes: ``_codecs.encode(str, 'latin1')``.

    Only the latin-1 form is accepted, so no codec machinery can be reached.
    """
    if not isinstance(text, str) or str(encoding).lower() not in _LATIN1_NAMES:
        raise pickle.UnpicklingError(f"_codecs.encode with {encoding!r} is not allowed")
    return text.encode("latin-1")


def _numpy_globals() -> dict[tuple[str, str], Any]:
    table: dict[tuple[str, str], Any] = {
        ("numpy", "ndarray"): np.ndarray,
        ("numpy", "dtype"): np.dtype,
    }
    # Old NumPy wrote numpy.core.*, NumPy 2 writes numpy._core.*: same objects.
    for package in ("numpy.core", "numpy._core"):
        table[(f"{package}.multiarray", "_reconstruct")] = _multiarray._reconstruct
        table[(f"{package}.multiarray", "scalar")] = _multiarray.scalar
        table[(f"{package}.numeric", "_frombuffer")] = _frombuffer
    return table


ALLOWED_GLOBALS: Mapping[tuple[str, str], Any] = MappingProxyType({
    **_numpy_globals(),
    **{
        ("builtins", cls.__name__): cls
        for cls in (dict, list, tuple, set, frozenset, complex, slice, bytearray, bytes, range)
    },
    ("builtins", "Ellipsis"): Ellipsis,
    ("builtins", "xrange"): range,  # Python 2 pickles
    ("_codecs", "encode"): _latin1_encode,
    ("collections", "OrderedDict"): collections.OrderedDict,
})


class _RestrictedUnpickler(pickle.Unpickler):
    def __init__(self, file: IO[bytes], extra: Mapping[tuple[str, str], Any] | None):
        # latin1 lets Python 2 NumPy pickles load (their array data are str).
        super().__init__(file, encoding="latin1")
        self._extra = extra or {}

    def find_class(self, module: str, name: str) -> Any:
        # Overriding find_class skips pickle's own Python-2 name mapping; do the
        # part that concerns allowed names here.
        if module == "__builtin__":
            module = "builtins"
        key = (module, name)
        if key in self._extra:
            return self._extra[key]
        if key in ALLOWED_GLOBALS:
            return ALLOWED_GLOBALS[key]
        raise UnsafePickleError(module, name)

    def persistent_load(self, pid: Any) -> Any:
        raise UnsafePickleError("<persistent id>", repr(pid)[:60])


def restricted_load(file: IO[bytes] | str | os.PathLike[str], *, extra_globals: Mapping[tuple[str, str], Any] | None = None) -> Any:
    """Unpickle from a binary file object (or a path), admitting values only.

    ``extra_globals`` maps further ``(module, name)`` pairs to the objects to
    use for them, for callers that knowingly accept more (e.g. a class of
    their own); nothing is ever imported by name.

    Raises:
        UnsafePickleError: the pickle names anything outside the allow-list.
    """
    if isinstance(file, (str, os.PathLike)):
        with open(file, "rb") as handle:
            return _RestrictedUnpickler(handle, extra_globals).load()
    return _RestrictedUnpickler(file, extra_globals).load()


def restricted_loads(data: bytes | bytearray | memoryview, *, extra_globals: Mapping[tuple[str, str], Any] | None = None) -> Any:
    """Unpickle ``data``, admitting values only (see ``restricted_load``)."""
    return _RestrictedUnpickler(io.BytesIO(data), extra_globals).load()
