"""Canonical digests and JSON of the experiments' data: what results.json and the cache are built from.

``data_digest`` is a SHA-256 over a canonical encoding of an experiment's returned data
(nested dicts, lists, NumPy arrays and scalars): key order, dtype, shape and the raw
little-endian bytes all enter it, so equal digests mean bit-identical data, on any machine.
"""

import hashlib
import json
import math

import numpy as np

from ..files import write_atomic

__all__ = ["data_digest", "jsonable", "write_json"]


def _feed(h, obj):
    if isinstance(obj, dict):
        h.update(b"{%d" % len(obj))
        for key in sorted(obj, key=str):
            _feed(h, str(key))
            _feed(h, obj[key])
        h.update(b"}")
    elif isinstance(obj, (list, tuple)):
        h.update(b"[%d" % len(obj))
        for item in obj:
            _feed(h, item)
        h.update(b"]")
    elif isinstance(obj, (np.ndarray, np.generic)):
        arr = np.asarray(obj)
        # One byte order, whatever the machine: equal values give equal digests everywhere.
        arr = np.ascontiguousarray(arr, dtype=arr.dtype.newbyteorder("<"))
        h.update(f"A{arr.dtype.str}{arr.shape}".encode())
        h.update(arr.tobytes())
    elif obj is None or isinstance(obj, (bool, int, float, str)):
        h.update(f"{type(obj).__name__}:{obj!r};".encode())
    else:
        raise TypeError(f"cannot digest a {type(obj).__name__}")


def data_digest(obj):
    """SHA-256 (hex) of ``obj``'s canonical encoding: nested dicts/lists of arrays and scalars."""
    h = hashlib.sha256()
    _feed(h, obj)
    return h.hexdigest()


def jsonable(obj):
    """``obj`` with NumPy values turned into plain Python ones; NaN and ±inf become strings (strict JSON)."""
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return jsonable(obj.tolist())
    if isinstance(obj, np.generic):
        return jsonable(obj.item())
    if isinstance(obj, float) and not math.isfinite(obj):
        return repr(obj)
    return obj


def write_json(document, path):
    """``document`` as indented UTF-8 JSON (strict: no NaN), written atomically."""
    text = json.dumps(jsonable(document), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    write_atomic(path, text)
