"""checks/library/malloc.py: a Dask worker's environment no longer maps and zeroes every large array afresh.

Counted in page faults, not seconds: a child process started as Dask's nanny starts a worker
(``MALLOC_TRIM_THRESHOLD_=65536``) allocates and frees a 2 MiB array 50 times, before and
after ``keep_large_blocks``. Before, each allocation is a new mapping (512 pages faulted in
each time); after, the heap keeps the block and hands it back.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from checks.library.malloc import keep_large_blocks

ROOT = Path(__file__).resolve().parents[3]

CHILD = """
import json, resource
import numpy as np
from checks.library.malloc import keep_large_blocks

def faults():
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(50):
        block = np.ones(1 << 18)  # 2 MiB
        del block
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before

as_dask_sets_it = faults()
took = keep_large_blocks()
faults()  # the heap grows once
print(json.dumps({"took": took, "before": as_dask_sets_it, "after": faults()}))
"""


@pytest.mark.skipif(not keep_large_blocks(), reason="not glibc: MALLOC_TRIM_THRESHOLD_ means nothing here")
def test_a_worker_under_dasks_malloc_setting_reuses_large_blocks_once_kept():
    env = dict(os.environ, MALLOC_TRIM_THRESHOLD_="65536", PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, check=True, cwd=ROOT)
    counts = json.loads(out.stdout)
    assert counts["took"]
    assert counts["before"] >= 50 * 400, counts  # about 512 pages per allocation
    assert counts["after"] <= counts["before"] // 20, counts
