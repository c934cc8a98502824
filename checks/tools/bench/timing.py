"""Wall-clock timing helpers (both cores are in use, so wall time is what counts)."""

import time

__all__ = ["best_of", "timed"]


def timed(function):
    """(seconds, result) of one call, on the monotonic wall clock."""
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def best_of(function, repeats):
    """Shortest wall time of ``repeats`` calls: the least disturbed by other processes."""
    return min(timed(function)[0] for _ in range(max(1, repeats)))
