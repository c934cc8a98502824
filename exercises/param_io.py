# Generated from reference/param_io.py by `make exercises`. Nothing to write here: the exercises use it as it is.
"""Saving and loading a network's params dict as a pickle, the book's file format (chapters 7 and 8).

Files are read only through the values-only unpickler of ``data.safe_pickle``: a
pickle can hold arrays but, read that way, cannot run code. Loading copies into
the network's existing arrays, which its layers share, so nothing has to be rebound.
"""

import os
import pickle
import tempfile
from pathlib import Path

import numpy as np

from data.safe_pickle import restricted_load

__all__ = ["save_params_file", "load_params_into"]


def save_params_file(params, file_name):
    """Write a dict of arrays to ``file_name`` as a pickle, like the book's save_params (book §7.5).

    Args:
        params: dict name -> array.
        file_name: path of the file to write.
    """
    # A temporary file beside the target, moved into place once complete: an interrupted
    # save leaves the previous file intact instead of half a pickle.
    target = Path(file_name)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as f:
            pickle.dump(dict(params), f)
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise


def load_params_into(params, file_name):
    """Copy the arrays of a params pickle into the existing arrays of ``params`` (book §7.5).

    Args:
        params: dict name -> array, updated in place (same array objects, same dtype).
        file_name: path of a pickled dict holding at least the keys of params, each
            with the same shape (extra keys are ignored).

    Raises:
        ValueError: the file is not a dict, or a key is missing or misshapen.
        data.UnsafePickleError: the file holds anything but plain values.
    """
    loaded = restricted_load(file_name)
    if not isinstance(loaded, dict):
        raise ValueError(f"{file_name}: expected a dict of arrays, got {type(loaded).__name__}")
    for key, param in params.items():
        if key not in loaded:
            raise ValueError(f"{file_name}: no parameter {key!r} (the file has {sorted(loaded)})")
        value = np.asarray(loaded[key])
        if value.shape != param.shape:
            raise ValueError(f"{file_name}: {key} has shape {value.shape}, the network needs {param.shape}")
        param[...] = value
