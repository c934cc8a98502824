"""Data for dlfs: MNIST and the book's weight files, downloaded, verified, cached.

Every file is pinned by SHA-256 (see ``data.manifest``) and verified on first
use in each process. Environment: DLFS_DATA_HOME (cache folder), DLFS_MIRROR
(a folder, file:// or http(s):// base tried first), DLFS_OFFLINE=1 (never use
the network; folder mirrors still work).
"""

from .book import book_params_path, load_book_params, load_sample_weight
from .cache import clear_memory_cache
from .config import data_home
from .errors import DataError, DownloadError, IntegrityError, OfflineError, UnsafePickleError
from .fetch import cache_status, fetch_all
from .mnist import load_mnist
from .safe_pickle import restricted_load, restricted_loads

__all__ = [
    "load_mnist",
    "load_book_params",
    "book_params_path",
    "load_sample_weight",
    "restricted_load",
    "restricted_loads",
    "fetch_all",
    "cache_status",
    "data_home",
    "clear_memory_cache",
    "DataError",
    "IntegrityError",
    "DownloadError",
    "OfflineError",
    "UnsafePickleError",
]
