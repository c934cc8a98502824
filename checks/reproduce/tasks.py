"""One unit of a run: a claim's experiment calls at one seed, computed where an engine puts it.

A ``Task`` names a claim, the options (with its seed) and whether to draw the claim's
figures; ``compute(task)`` runs the calls on the implementation and returns a
``Computed``: the data (what the judge reads and the results cache keeps), the PNGs when
asked, the time taken and the digest of the environment that computed it. Every engine
(``engines``: this process, worker processes, a Dask cluster) calls ``compute``; the
judging happens in the process that writes the report, in the reader's language.

The experiments seed NumPy's global generator themselves, so a task's data depends on
nothing but the task (and the implementation and environment): the process, the order and
the machine that runs it do not matter. ``compute`` holds a process-wide lock, since the
global generator is shared by the threads of a process (a Dask worker may run several).
"""

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..library.malloc import keep_large_blocks
from ..locations import temporary_folder
from .calls import implementation_namespace, missing_component, run_calls
from .claims import claim_named
from .environment import numerics_digest
from .texts import _

__all__ = ["Task", "Computed", "ExperimentError", "compute", "draw_figures"]

_RNG_LOCK = threading.Lock()
_NAMESPACES = {}  # impl → namespace, built once per process


class ExperimentError(RuntimeError):
    """A claim's experiment raised, or the process or worker running it died, away from the caller."""

    def __init__(self, claim_name, detail):
        super().__init__(_("experiment {name}: {detail}", name=claim_name, detail=detail))
        self.claim_name = claim_name


@dataclass(frozen=True)
class Task:
    """A claim at one seed: ``claim`` (its name), ``opts`` (with the seed), and whether to draw its figures."""

    claim: str
    opts: object
    figures: bool = False

    @property
    def key(self):
        return self.claim, self.opts.seed


@dataclass
class Computed:
    """What ``compute`` returns.

    Attributes:
        task: the task.
        data: {call key: returned data} (None when NOT RUN).
        not_run_reason: the component the implementation lacks (empty when run).
        run_seconds: wall time of the experiment calls.
        pngs: {figure file: PNG bytes} when the task drew its figures.
        figure_seconds: wall time of drawing them.
        environment: ``environment.numerics_digest()`` of the process that computed it.
        cached: taken from the results cache rather than computed by this run.
    """

    task: Task
    data: dict = None
    not_run_reason: str = ""
    run_seconds: float = 0.0
    pngs: dict = field(default_factory=dict)
    figure_seconds: float = 0.0
    environment: str = ""
    cached: bool = False


def _namespace(impl):
    if impl not in _NAMESPACES:
        _NAMESPACES[impl] = implementation_namespace(impl)
    return _NAMESPACES[impl]


def draw_figures(claim, data):
    """({file: PNG bytes}, seconds) of ``claim``'s figures drawn from ``data``."""
    start = time.perf_counter()
    pngs = {}
    with temporary_folder("figures") as folder:
        for fig in claim.figures:
            path = Path(folder) / fig.file
            fig.draw({key: data[key] for key in fig.keys if key in data}, path)
            pngs[fig.file] = path.read_bytes()
    return pngs, time.perf_counter() - start


def compute(task, report=None):
    """Run ``task``'s experiment calls (and its figures when asked) in this process.

    Args:
        report: optional ``report(fraction, postfix)`` moved as the calls progress (0–1).

    Returns:
        Computed; NOT RUN (``not_run_reason`` set, no data) when the implementation lacks a
        component. Other exceptions from the experiments propagate.
    """
    # Whichever process computes (this one, a pool worker, a Dask worker; checks/library/malloc.py):
    # glibc raises its thresholds only as mapped blocks are freed, and until then maps and zeroes
    # the experiments' large arrays afresh. DeepConvNet's 30 quick steps in a new process: 296,000
    # page faults and 0.96 s in the kernel with glibc's own thresholds, 30,000 and 0.12 s with these.
    keep_large_blocks()
    claim = claim_named(task.claim)
    calls = claim.calls(task.opts)
    lib = _namespace(task.opts.impl)
    count = len(calls)

    def progress(index, key):
        def moved(done, total):
            if report is not None:
                report((index + done / max(total, 1)) / count, f"{key} {done}/{total}")
        return moved

    def done(index, key):
        if report is not None:
            report((index + 1) / count, key)

    with _RNG_LOCK:
        start = time.perf_counter()
        try:
            data = run_calls(calls, lib, progress=progress, done=done)
        except (NotImplementedError, AttributeError) as error:
            reason = missing_component(error, lib)
            if reason is None:
                raise
            return Computed(task, not_run_reason=reason, run_seconds=time.perf_counter() - start,
                            environment=numerics_digest())
        run_seconds = time.perf_counter() - start
        pngs, figure_seconds = draw_figures(claim, data) if task.figures else ({}, 0.0)
    return Computed(task, data, "", run_seconds, pngs, figure_seconds, numerics_digest())
