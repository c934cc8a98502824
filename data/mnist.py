"""``load_mnist``, with the book's signature and the book's dtypes and shapes."""

from __future__ import annotations

import numpy as np

from .fetch import ensure
from .manifest import TEST_IMAGES, TEST_LABELS, TRAIN_IMAGES, TRAIN_LABELS, MnistFile

__all__ = ["load_mnist"]


def _images(entry: MnistFile, idx: bytes, normalize: bool, flatten: bool) -> np.ndarray:
    count, rows, cols = entry.dims
    # A read-only view of the verified bytes; every branch below copies it, so
    # callers get arrays they may modify without touching the in-memory cache.
    pixels = np.frombuffer(idx, dtype=np.uint8, offset=entry.header_size).reshape(count, rows * cols)
    if normalize:
        images = pixels.astype(np.float32)
        # In place on float32 with a float32 divisor: the same rounding as the
        # book's `x = x.astype(np.float32); x /= 255.0`, so accuracies match exactly.
        images /= np.float32(255.0)
    else:
        images = pixels.copy()
    if not flatten:
        images = images.reshape(count, 1, rows, cols)
    return images


def _labels(entry: MnistFile, idx: bytes, one_hot: bool) -> np.ndarray:
    labels = np.frombuffer(idx, dtype=np.uint8, offset=entry.header_size)
    if not one_hot:
        return labels.copy()
    # float64, as the book's _change_one_hot_label builds it with np.zeros.
    encoded = np.zeros((labels.size, 10))
    encoded[np.arange(labels.size), labels] = 1.0
    return encoded


def load_mnist(normalize: bool = True, flatten: bool = True, one_hot_label: bool = False):
    """Load MNIST as the book's ``dataset.mnist.load_mnist`` does (book §3.6.1).

    Args:
        normalize: pixels as float32 in [0, 1] (divided by 255); else uint8 0..255.
        flatten: images as (N, 784); else (N, 1, 28, 28).
        one_hot_label: labels as (N, 10) one-hot float64 rows; else uint8 (N,).

    Returns:
        ``(x_train, t_train), (x_test, t_test)`` with N = 60000 and 10000.
        Every call returns new arrays.

    Raises:
        OfflineError: files missing and no network (lists them and their SHA-256).
        DownloadError: no source gave a copy matching the pinned SHA-256.
    """
    entries = (TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS)
    train_x, train_t, test_x, test_t = ensure(entries)
    return (
        (_images(TRAIN_IMAGES, train_x, normalize, flatten), _labels(TRAIN_LABELS, train_t, one_hot_label)),
        (_images(TEST_IMAGES, test_x, normalize, flatten), _labels(TEST_LABELS, test_t, one_hot_label)),
    )
