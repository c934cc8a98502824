"""The results cache: a claim's data at a seed, kept so that a rerun computes only what changed.

An entry's key is a SHA-256 over the claim, its experiment calls with their arguments (the
seed among them), the implementation's digest (``calls.implementation_digest``: its source
and the experiments') and the environment's numerics (``environment.numerics_digest``):
change any of them and the entry is no longer found. It keeps the data and the time the
calls took, never the verdict: judges, thresholds and figures are applied anew on each run,
so a changed threshold needs no recomputation.

Entries are pickles written atomically under the cache folder (``build/reproduce-cache`` by
default); they are this machine's own data, read back by this machine. ``make reproduce``
uses it; ``--no-cache`` computes everything again.
"""

import hashlib
import json
import pickle
from pathlib import Path

from ..files import write_atomic
from .tasks import Computed

__all__ = ["ResultCache", "DEFAULT_CACHE"]

DEFAULT_CACHE = "build/reproduce-cache"
_FORMAT = 1  # bump when what an entry holds changes


class ResultCache:
    """Entries under ``folder``, for the implementation digest ``implementation`` and environment ``environment``."""

    def __init__(self, folder, implementation, environment):
        self.folder = Path(folder)
        self.implementation = implementation
        self.environment = environment
        self.hits = self.misses = 0

    def key(self, claim, task, environment=None):
        calls = {key: call.record() for key, call in claim.calls(task.opts).items()}
        identity = {"format": _FORMAT, "claim": claim.name, "calls": calls,
                    "implementation": self.implementation, "environment": environment or self.environment}
        return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()

    def _path(self, key):
        return self.folder / key[:2] / f"{key}.pickle"

    def get(self, claim, task):
        """The cached ``Computed`` of ``task`` (``cached`` set, no PNGs), or None."""
        path = self._path(self.key(claim, task))
        try:
            with path.open("rb") as f:
                entry = pickle.load(f)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
            self.misses += 1
            return None
        self.hits += 1
        return Computed(task, entry["data"], "", entry["run_seconds"], environment=self.environment, cached=True)

    def put(self, claim, computed):
        """Keep ``computed``'s data (not a NOT RUN: that costs nothing to find again).

        Keyed by the environment that computed it (a worker's), which is the one a later run
        looks for when it computes in that environment.
        """
        if computed.data is None or computed.cached:
            return
        entry = {"data": computed.data, "run_seconds": computed.run_seconds}
        key = self.key(claim, computed.task, computed.environment)
        write_atomic(self._path(key), pickle.dumps(entry, protocol=4))
