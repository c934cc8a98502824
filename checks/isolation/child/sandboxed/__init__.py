"""The request dispatcher that runs next to the implementation under test.

Imported as `checks.isolation.child.sandboxed` in-process, and as top-level `sandboxed`
in a child process started by `checks/isolation/child/child.py`; it therefore uses only
relative imports, the standard library and NumPy.
"""

from .server import Server

__all__ = ["Server"]
