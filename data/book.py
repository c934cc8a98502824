"""The pretrained parameter files published with the book's code.

Each file is checked against its pinned SHA-256 before a single byte is
unpickled, and then unpickled only through the values-only unpickler: a
tampered file is refused, and even a file that somehow passed could not run code.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .errors import IntegrityError
from .fetch import ensure, ensure_path
from .manifest import book_file
from .safe_pickle import restricted_loads

__all__ = ["load_book_params", "book_params_path", "load_sample_weight"]


def book_params_path(relpath: str) -> Path:
    """Path of the verified cached copy of a book file, e.g. ``"ch08/deep_convnet_params.pkl"``.

    For code with the book's ``load_params(file_name)`` signature. The file is
    verified now; read it with ``data.safe_pickle.restricted_load``.
    """
    return ensure_path(book_file(relpath))


def load_book_params(relpath: str) -> dict[str, np.ndarray]:
    """The parameter dict stored in a book file (book §3.6.2, §7.5, §8.1).

    Args:
        relpath: ``"ch03/sample_weight.pkl"``, ``"ch07/params.pkl"`` or
            ``"ch08/deep_convnet_params.pkl"``.

    Returns:
        A new dict of new arrays (``W1``, ``b1``, ...), as the book's pickle holds them.

    Raises:
        OfflineError, DownloadError: no verified copy could be obtained.
        DataError: ``relpath`` is not one of the pinned files.
    """
    entry = book_file(relpath)
    (content,) = ensure([entry])  # verified against the pinned SHA-256
    params = restricted_loads(content)
    if not isinstance(params, dict) or not all(
        isinstance(k, str) and isinstance(v, np.ndarray) for k, v in params.items()
    ):
        # Cannot happen with the pinned file; guards against a wrong pin.
        raise IntegrityError(f"{relpath}: expected a dict of arrays, got {type(params).__name__}")
    return dict(params)


def load_sample_weight() -> dict[str, np.ndarray]:
    """The ch03 network's weights (``init_network()`` in the book, §3.6.2)."""
    return load_book_params("ch03/sample_weight.pkl")
