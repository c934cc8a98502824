"""Chapter 6: Batch Normalization (§6.3).

Book script: ch06/batch_norm_test.py (Figures 6-18 and 6-19).
"""

import numpy as np

from ._common import iterations_for_epochs, resolve_lib, run_progress, train_on_shared_batches
from ._mnist import mnist

__all__ = ["BOOK_WEIGHT_SCALES", "batch_norm_comparison"]

# batch_norm_test.py's 16 initial weight scales, from 1 down to 1e-4.
BOOK_WEIGHT_SCALES = np.logspace(0, -4, num=16)


def batch_norm_comparison(lib=None, seed=0, weight_scales=None, train_size=1000, epochs=20,
                          batch_size=100, learning_rate=0.01, hidden_size_list=None, progress=None):
    """Training accuracy per epoch with and without Batch Normalization (book §6.3.2, Figures 6-18, 6-19).

    batch_norm_test.py: the first 1,000 training images; for each weight scale w,
    ``MultiLayerNetExtend(784, [100]*5, 10, weight_init_std=w, use_batchnorm=True)`` and
    the same network without BN (built in that order) take SGD(lr=0.01) steps on the
    same mini-batches of 100; every epoch (10 iterations) both networks' accuracy on
    the 1,000 training images is recorded, 20 epochs. The book shows BN learning
    faster, and learning for far more of the 16 scales ``np.logspace(0, -4, 16)``
    than the plain network.

    The generator is re-seeded for every scale, so a scale's result does not depend
    on which other scales were run.

    Args:
        lib: implementation namespace (None: reference); uses ``lib.MultiLayerNetExtend``, ``lib.SGD``.
        seed: seed of NumPy's global generator.
        weight_scales: initial weight std values (None: the book's 16, ``BOOK_WEIGHT_SCALES``).
        train_size: number of training images (the book: 1,000).
        epochs: number of evaluations (the book: 20).
        batch_size: mini-batch size.
        learning_rate: SGD learning rate.
        hidden_size_list: hidden layer sizes (None: [100] * 5).
        progress: optional ``progress(done, total)``, in iterations over all scales.

    Returns:
        dict with
            weight_scales: (S,) the scales.
            train_acc: (S, epochs) accuracy of the network without BN.
            bn_train_acc: (S, epochs) accuracy of the network with BN.
    """
    lib = resolve_lib(lib)
    weight_scales = BOOK_WEIGHT_SCALES if weight_scales is None else np.asarray(weight_scales, dtype=float)
    hidden_size_list = [100] * 5 if hidden_size_list is None else list(hidden_size_list)
    (x_train, t_train), _ = mnist(normalize=True)
    x_train, t_train = x_train[:train_size], t_train[:train_size]
    iter_per_epoch = max(x_train.shape[0] / batch_size, 1)
    iterations = iterations_for_epochs(epochs, iter_per_epoch)

    train_acc, bn_train_acc = [], []
    for s, scale in enumerate(weight_scales):
        np.random.seed(seed)
        bn_network = lib.MultiLayerNetExtend(input_size=784, hidden_size_list=hidden_size_list,
                                             output_size=10, weight_init_std=float(scale),
                                             use_batchnorm=True)
        network = lib.MultiLayerNetExtend(input_size=784, hidden_size_list=hidden_size_list,
                                          output_size=10, weight_init_std=float(scale))
        optimizer = lib.SGD(lr=learning_rate)
        # At the largest scales the plain network's activations overflow: that failure is
        # the book's point (Figure 6-19), not something to warn about.
        with np.errstate(over="ignore", invalid="ignore"):
            _, acc = train_on_shared_batches(
                [bn_network, network], [optimizer, optimizer], x_train, t_train,
                batch_size=batch_size, iterations=iterations, record_loss=False,
                eval_every=iter_per_epoch, evaluate=lambda net: (net.accuracy(x_train, t_train),),
                progress=run_progress(progress, s, len(weight_scales), iterations))
        bn_train_acc.append(acc[0, :, 0])
        train_acc.append(acc[1, :, 0])
    return {
        "weight_scales": np.array(weight_scales, dtype=float),
        "train_acc": np.array(train_acc),
        "bn_train_acc": np.array(bn_train_acc),
    }
