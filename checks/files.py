"""Writing a file whole or not at all: the one atomic write of checks/.

A reader (a grader polling results.json, a second process of a sharded class, a rerun
reading the cache) sees the previous file or the complete new one, never a part: the
content goes to a temporary file beside the target, is flushed to disk, then renamed over
it (`os.replace` is atomic within one file system). data/cache.py keeps its own, which
also verifies a digest before the rename; reference/param_io.py keeps its own because
reference/ imports nothing from checks/.
"""

import os
import tempfile
from pathlib import Path

__all__ = ["write_atomic"]


def write_atomic(path, content):
    """Write `content` (str, as UTF-8, or bytes) to `path`, creating its folder; readable by others (0644)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        # errors="replace": a lone surrogate that escaped sanitising still cannot make the write fail
        content = content.encode("utf-8", errors="replace")
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)  # mkstemp makes 0600; what is written here is meant to be read
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
