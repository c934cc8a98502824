"""Tasks on Dask distributed: a LocalCluster on this machine, or an existing scheduler (``--cluster``).

Optional: ``pip install -e '.[cluster]'`` installs Dask distributed; without it a run
over several seeds uses the process pool (``parallel``) and says how to get this path.

Each task is one ``tasks.compute`` call submitted to the cluster; its ``Computed`` (the
data, the PNGs) comes back to this process, which judges it, caches it and writes the
report, so the workers need no shared folder. A worker that dies (killed, out of memory)
is replaced by its nanny, and the scheduler gives its task to another worker, up to
``ALLOWED_FAILURES`` times; an exception raised by an experiment ends the run, naming the
claim, as in a serial run.

The numbers are those of a serial run when every worker computes in the same environment
(``environment.numerics``: NumPy, BLAS and its threads, CPU...): the workers' environments
are read before anything is submitted, and a cluster whose workers differ is refused. The
local cluster's workers are spawned processes with one BLAS thread and one task thread; a
remote cluster's workers are the user's to start (docs/reproduce.md: dask-jobqueue on SLURM
or PBS, dask-kubernetes), from the same installation, with ``--nthreads 1`` (several
threads of one worker would only wait for each other: ``tasks`` holds a lock). Each task
first undoes the malloc setting Dask's nanny gives its workers (``tasks.compute`` calls
``library.malloc``, in whichever process computes): under it the experiments spend half their
time in the kernel.
"""

import contextlib
import importlib.util
import logging

from ..library.blas import blas_thread_settings
from .environment import fingerprint, numerics_digest
from .tasks import ExperimentError, compute
from .texts import _

__all__ = ["available", "INSTALL_HINT", "ALLOWED_FAILURES", "ClusterError", "open_cluster", "run_on_cluster"]

INSTALL_HINT = "pip install -e '.[cluster]'"
# How many times a task may lose its worker before the run gives up on it (Dask's allowed-failures).
ALLOWED_FAILURES = 3
CONNECT_TIMEOUT = "30s"  # to reach an existing scheduler


class ClusterError(RuntimeError):
    """The cluster cannot be used: Dask missing, the scheduler unreachable, workers in different environments."""


def available():
    """Whether Dask distributed is installed."""
    return importlib.util.find_spec("distributed") is not None


def _worker_environment():
    return fingerprint()


@contextlib.contextmanager
def open_cluster(address="local", jobs=2):
    """Yield (Dask client, the workers' environment fingerprint).

    Args:
        address: "local" (a LocalCluster of ``jobs`` worker processes), "in-process" (one worker
            thread in this process: the fast tests), or a scheduler address (tcp://HOST:8786).
    """
    if not available():
        raise ClusterError(_("--cluster needs Dask distributed, which is not installed: {hint}", hint=INSTALL_HINT))
    import dask
    from distributed import Client, LocalCluster

    with dask.config.set({"distributed.scheduler.allowed-failures": ALLOWED_FAILURES}):
        with contextlib.ExitStack() as stack:
            if address in ("local", "in-process"):
                in_process = address == "in-process"
                cluster = stack.enter_context(LocalCluster(
                    n_workers=1 if in_process else jobs, threads_per_worker=1, processes=not in_process,
                    dashboard_address=":0", silence_logs=logging.ERROR,  # any free port: 8787 may be taken
                    **({} if in_process else {"env": blas_thread_settings(1)})))
                client = stack.enter_context(Client(cluster))
            else:
                try:
                    client = stack.enter_context(Client(address, timeout=CONNECT_TIMEOUT))
                except (OSError, TimeoutError) as error:
                    raise ClusterError(_("cannot reach the Dask scheduler at {address}: {error}", address=address,
                                         error=error)) from None
            client.wait_for_workers(1, timeout=120)
            environments = client.run(_worker_environment)
            digests = {worker: numerics_digest(env) for worker, env in environments.items()}
            if len(set(digests.values())) > 1:
                described = "; ".join(f"{worker}: NumPy {env['numpy']}, {env['blas']['library']} "
                                      f"{env['blas']['version']} ×{env['blas']['threads']}, {env['cpu']['model']}"
                                      for worker, env in sorted(environments.items()))
                raise ClusterError(_("the cluster's workers compute in different environments, so the numbers "
                                     "would depend on which worker ran a task: {workers}", workers=described))
            yield client, next(iter(environments.values()))


def run_on_cluster(client, tasks, *, on_result, expected=None):
    """Compute ``tasks`` on the cluster behind ``client``; ``on_result(Computed)`` as each ends.

    Raises:
        ExperimentError: an experiment raised on a worker, or a task lost its worker
            ``ALLOWED_FAILURES`` times.
    """
    from distributed import as_completed
    from distributed.scheduler import KilledWorker

    expected = expected or {}
    ordered = sorted(tasks, key=lambda task: -expected.get(task.claim, float("inf")))
    futures = {}
    for rank, task in enumerate(ordered):
        future = client.submit(compute, task, pure=False, priority=len(ordered) - rank,
                               key=f"{task.claim}-seed{task.opts.seed}-{id(task):x}")
        futures[future] = task
    try:
        for future in as_completed(futures):
            task = futures[future]
            try:
                computed = future.result()
            except KilledWorker:
                raise ExperimentError(task.claim, _("its worker died {count} times before finishing (seed {seed})",
                                                    count=ALLOWED_FAILURES, seed=task.opts.seed)) from None
            except Exception as error:  # noqa: BLE001 (an experiment's exception, raised on a worker)
                raise ExperimentError(task.claim, _("raised on a Dask worker (seed {seed}): {error}",
                                                    seed=task.opts.seed, error=repr(error))) from error
            on_result(computed)
    finally:
        for future in futures:
            future.cancel()
