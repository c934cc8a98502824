"""How many threads BLAS uses: read from the environment once, when NumPy loads.

So it is set for a process before anything imports NumPy (``make check``'s workers,
``make reproduce``, the child processes that run an implementation), never changed
inside one. This module imports nothing heavy, so it can be used before NumPy.
"""

import os

__all__ = ["BLAS_THREAD_VARIABLES", "blas_thread_settings", "pin_blas_threads"]

# OpenBLAS (NumPy's wheels), an OpenMP build, Intel MKL.
BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def blas_thread_settings(threads):
    """The environment variables that give BLAS `threads` threads, as a dict to merge into an environment."""
    return {variable: str(threads) for variable in BLAS_THREAD_VARIABLES}


def pin_blas_threads(threads=1):
    """Give this process's BLAS `threads` threads unless the user chose otherwise; before NumPy loads."""
    for variable, value in blas_thread_settings(threads).items():
        os.environ.setdefault(variable, value)
