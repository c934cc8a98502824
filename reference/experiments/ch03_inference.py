"""Chapter 3: inference with the book's pretrained three-layer network (§3.6).

Book scripts: ch03/neuralnet_mnist.py (one image at a time) and
ch03/neuralnet_mnist_batch.py (batches of 100).
"""

import numpy as np

from ._common import resolve_lib
from ._mnist import mnist

__all__ = ["sample_weight_accuracy"]


def sample_weight_accuracy(lib=None, normalize=True, batch_size=None):
    """Accuracy of ``lib.predict`` with ch03/sample_weight.pkl on the 10,000 test images (book §3.6.2–3).

    The book prints "Accuracy:0.9352". Forgetting ``normalize=True`` (feeding pixels
    0–255 to weights trained on [0, 1]) gives 0.9207. Deterministic: no seed.

    Args:
        lib: implementation namespace (None: the ``reference`` package); uses ``lib.predict``.
        normalize: passed to ``load_mnist`` (the book: True).
        batch_size: None to classify one image at a time (neuralnet_mnist.py), or a
            batch size (neuralnet_mnist_batch.py uses 100).

    Returns:
        dict with
            accuracy: float, n_correct / n_images.
            n_correct: int, number of correctly classified test images.
            n_images: int, 10,000.
            predictions: (10000,) int array, the predicted class of each test image.
    """
    lib = resolve_lib(lib)
    from data import load_book_params

    _, (x_test, t_test) = mnist(normalize=normalize, flatten=True, one_hot_label=False)
    network = load_book_params("ch03/sample_weight.pkl")
    n_images = x_test.shape[0]
    if batch_size is None:
        predictions = np.array([np.argmax(lib.predict(network, x)) for x in x_test], dtype=int)
    else:
        predictions = np.concatenate([
            np.argmax(lib.predict(network, x_test[i:i + batch_size]), axis=1)
            for i in range(0, n_images, batch_size)
        ]).astype(int)
    n_correct = int(np.sum(predictions == t_test))
    return {
        "accuracy": n_correct / n_images,
        "n_correct": n_correct,
        "n_images": n_images,
        "predictions": predictions,
    }
