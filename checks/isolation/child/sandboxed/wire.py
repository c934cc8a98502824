"""What may cross the boundary between a check and the implementation.

Only *values* cross: numbers, strings, NumPy arrays of numbers, and lists, tuples
and dicts of those. Any other object stays where it was made and is replaced by a
reference (`REF_TAG`, handle, type name, callable?) that the other side can use in
later requests.
"""

import pickle
import struct

import numpy as np

__all__ = ["REF_TAG", "is_value", "make_ref", "is_ref", "send_message", "recv_message"]

REF_TAG = "\x00dlfs-ref"
_SCALARS = (type(None), bool, int, float, complex, str, bytes)
_ARRAY_KINDS = set("biufcSU")
_MAX_DEPTH = 8


def is_value(obj, depth=0):
    """True when `obj` is plain data that can be copied across the boundary."""
    if depth > _MAX_DEPTH:
        return False
    if isinstance(obj, _SCALARS):
        return True
    if isinstance(obj, np.ndarray):
        return obj.dtype.kind in _ARRAY_KINDS
    if isinstance(obj, np.generic):
        return np.dtype(type(obj)).kind in _ARRAY_KINDS
    if type(obj) in (list, tuple):
        return all(is_value(item, depth + 1) for item in obj)
    if isinstance(obj, dict):
        return all(
            isinstance(key, (str, int)) and is_value(item, depth + 1) for key, item in obj.items()
        )
    return False


def make_ref(handle, obj):
    return (REF_TAG, handle, type(obj).__name__, callable(obj))


def is_ref(obj):
    # type() first: a 4-tuple of arguments may start with an array, whose == is elementwise
    return type(obj) is tuple and len(obj) == 4 and type(obj[0]) is str and obj[0] == REF_TAG


_HEADER = struct.Struct("!Q")


def send_message(stream, message):
    """Write one length-prefixed pickle to a binary stream."""
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(payload)))
    stream.write(payload)
    stream.flush()


def recv_message(stream, loads=pickle.loads):
    """Read one length-prefixed pickle; `loads` lets the judging side restrict it."""
    header = _read_exactly(stream, _HEADER.size)
    (size,) = _HEADER.unpack(header)
    return loads(_read_exactly(stream, size))


def _read_exactly(stream, size):
    chunks = []
    remaining = size
    while remaining:
        chunk = stream.read(remaining)
        if not chunk:
            raise EOFError("the other side closed the channel")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)
