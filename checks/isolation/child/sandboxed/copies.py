"""Whether a learner's definition is a copy of the book's published code.

A learner's folder often holds a copy of the book's files (any version since 2016)
beside their own notebooks; their own definition must win over such a copy. The
fingerprints of every published version live in `book_fingerprints.py` (and its data
file); while that module is absent, nothing counts as a copy and the ordinary order
of sources decides.
"""

__all__ = ["is_book_copy"]

try:  # read at import, before the child's audit hook closes the grader's folders
    from .book_fingerprints import is_book_copy as _fingerprinted
except ImportError:  # noqa: SIM105 - absent until the fingerprints are built
    _fingerprinted = None


def is_book_copy(name, node):
    """True when `node` (a function or class definition) is a published version of the book's `name`."""
    if _fingerprinted is None:
        return False
    try:
        return bool(_fingerprinted(name, node))
    except (RecursionError, MemoryError, ValueError, TypeError):  # a tree no version of the book has
        return False
