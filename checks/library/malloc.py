"""How the C allocator keeps the large blocks NumPy frees: as glibc does on its own, not as Dask sets it.

Dask's nanny starts every worker with ``MALLOC_TRIM_THRESHOLD_=65536`` (its config's
``distributed.nanny.pre-spawn-environ``), so that a worker hands memory back to the OS
soon. Setting that variable also freezes glibc's mmap threshold at 128 KiB: every array
above it is a fresh mapping, zeroed page by page by the kernel, and unmapped when freed. An
experiment allocates such arrays at every step (a conv net's column matrices), and
measured on this project's 2-core machine, DeepConvNet's 30 quick-tier steps took 29.4 s
(11.4 s user, 18.0 s system) under that setting against 12.0 s (9.6 s, 2.4 s) without it;
a 20-seed quick run took 23 min of CPU, half of it in the kernel. ``keep_large_blocks``
puts the thresholds where glibc's own adaptive rule ends up for large arrays (mmap from
32 MiB, the heap trimmed past 64 MiB), in the process that calls it, whatever its
environment. Elsewhere than glibc (macOS, musl) it does nothing: the variable means
nothing there either.
"""

import ctypes
import ctypes.util
import functools

__all__ = ["keep_large_blocks"]

# mallopt's parameters (glibc's malloc.h)
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
# DEFAULT_MMAP_THRESHOLD_MAX on 64-bit glibc, and twice it (the adaptive rule's trim threshold)
_MMAP_THRESHOLD, _TRIM_THRESHOLD = 32 << 20, 64 << 20


@functools.lru_cache(maxsize=None)
def keep_large_blocks():
    """Set this process's malloc thresholds (once); True where glibc took them, False elsewhere."""
    name = ctypes.util.find_library("c")
    try:
        mallopt = ctypes.CDLL(name).mallopt
    except (OSError, AttributeError, TypeError):
        return False
    return bool(mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD)) and bool(mallopt(_M_TRIM_THRESHOLD, _TRIM_THRESHOLD))
