"""DeepConvNet inference on two threads with one BLAS thread each, timed in a child process.

BLAS fixes its thread count when NumPy loads, so this figure runs ``python -m
checks.tools.bench.threaded_child`` with OPENBLAS_NUM_THREADS=1 (and its MKL/OpenMP twins). The
child prints one JSON line: seconds, accuracy, images. The parent compares it with
the GEMM peak it measured itself on both cores.
"""

import json
import os
import subprocess
import sys

from ...library.blas import blas_thread_settings

__all__ = ["measure_in_child"]


def measure_in_child(repo_root, workers, smoke, dtype="float64"):
    """Run ``threaded_child`` in a child process with one BLAS thread; return its JSON result."""
    env = dict(os.environ, **blas_thread_settings(1))
    command = [sys.executable, "-m", "checks.tools.bench.threaded_child", str(workers), dtype,
               *(["--smoke"] if smoke else [])]
    completed = subprocess.run(command, cwd=repo_root, env=env, capture_output=True, text=True)
    if completed.returncode != 0:
        raise RuntimeError(f"threaded DeepConvNet inference failed (exit {completed.returncode}):\n"
                           f"{completed.stderr[-2000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])
