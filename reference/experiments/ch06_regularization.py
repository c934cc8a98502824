"""Chapter 6: overfitting, weight decay and Dropout (§6.4).

Book scripts: ch06/overfit_weight_decay.py (Figures 6-20, 6-21; λ = 0 is the plain
overfitting run) and ch06/overfit_dropout.py (Figure 6-23).
"""

import numpy as np

from ._common import iterations_for_epochs, resolve_lib, run_progress, run_trainer, train_on_shared_batches
from ._mnist import mnist

__all__ = ["weight_decay_overfitting", "dropout_overfitting", "final_accuracies"]


def _subsets(train_size, test_size):
    (x_train, t_train), (x_test, t_test) = mnist(normalize=True)
    return (x_train[:train_size], t_train[:train_size]), (x_test[:test_size], t_test[:test_size])


def weight_decay_overfitting(lib=None, seed=0, weight_decay_lambdas=(0.0, 0.1), train_size=300,
                             epochs=201, batch_size=100, learning_rate=0.01, test_size=None,
                             hidden_size_list=None, progress=None):
    """Train/test accuracy per epoch on 300 images, without and with weight decay (book §6.4.1–2).

    overfit_weight_decay.py: the first 300 training images,
    ``MultiLayerNet(784, [100]*6, 10, weight_decay_lambda=λ)``, SGD(lr=0.01), batches of
    100 (3 iterations per epoch), accuracy on the 300 training images and the 10,000
    test images every epoch, 201 epochs. The book: with λ = 0 train accuracy reaches
    ≈1.0 while test stays ≈0.75 (Figure 6-20); with λ = 0.1 the gap shrinks and train
    accuracy stays below 1.0 (Figure 6-21).

    The generator is re-seeded for every λ, so every run starts from the same
    (unregularised) initial weights and sees the same mini-batches.

    Args:
        lib: implementation namespace (None: reference); uses ``lib.MultiLayerNet``, ``lib.SGD``.
        seed: seed of NumPy's global generator.
        weight_decay_lambdas: the λ values to run.
        train_size: number of training images (the book: 300).
        epochs: number of evaluations (the book: 201).
        batch_size, learning_rate: mini-batch size and SGD learning rate.
        test_size: evaluate on the first test_size test images (None: all 10,000).
        hidden_size_list: hidden layer sizes (None: [100] * 6).
        progress: optional ``progress(done, total)``, in iterations over all λ.

    Returns:
        dict with
            weight_decay_lambdas: (L,) the λ values.
            train_acc, test_acc: (L, epochs) accuracies per epoch.
    """
    lib = resolve_lib(lib)
    hidden_size_list = [100] * 6 if hidden_size_list is None else list(hidden_size_list)
    (x_train, t_train), (x_test, t_test) = _subsets(train_size, test_size)
    iter_per_epoch = max(x_train.shape[0] / batch_size, 1)
    iterations = iterations_for_epochs(epochs, iter_per_epoch)

    train_acc, test_acc = [], []
    for k, weight_decay_lambda in enumerate(weight_decay_lambdas):
        np.random.seed(seed)
        network = lib.MultiLayerNet(input_size=784, hidden_size_list=hidden_size_list, output_size=10,
                                    weight_decay_lambda=weight_decay_lambda)
        _, acc = train_on_shared_batches(
            [network], [lib.SGD(lr=learning_rate)], x_train, t_train,
            batch_size=batch_size, iterations=iterations, record_loss=False,
            eval_every=iter_per_epoch,
            evaluate=lambda net: (net.accuracy(x_train, t_train), net.accuracy(x_test, t_test)),
            progress=run_progress(progress, k, len(weight_decay_lambdas), iterations))
        train_acc.append(acc[0, :, 0])
        test_acc.append(acc[0, :, 1])
    return {
        "weight_decay_lambdas": np.array(weight_decay_lambdas, dtype=float),
        "train_acc": np.array(train_acc),
        "test_acc": np.array(test_acc),
    }


def dropout_overfitting(lib=None, seed=0, dropout_ratio=0.2, use_dropout=(False, True), train_size=300,
                        epochs=301, batch_size=100, learning_rate=0.01, test_size=None,
                        hidden_size_list=None, progress=None):
    """Train/test accuracy per epoch on 300 images, without and with Dropout (book §6.4.3, Figure 6-23).

    overfit_dropout.py: the first 300 training images,
    ``MultiLayerNetExtend(784, [100]*6, 10, use_dropout=True, dropout_ration=0.2)``
    trained by ``Trainer(..., epochs=301, mini_batch_size=100, optimizer='sgd',
    optimizer_param={'lr': 0.01})``, which records accuracy on the 300 training images
    and the test images every epoch. The book: with Dropout the train–test gap
    shrinks and train accuracy no longer reaches 1.0, compared with Figure 6-20 (the
    λ = 0 run of ``weight_decay_overfitting``). Here the same Trainer run with
    ``use_dropout=False`` is that baseline, unless ``use_dropout`` leaves it out.

    The generator is re-seeded for each run, so all start from the same draws.

    Args:
        lib: implementation namespace (None: reference); uses ``lib.MultiLayerNetExtend``, ``lib.Trainer``.
        seed: seed of NumPy's global generator.
        dropout_ratio: the Dropout ratio (the book: 0.2).
        use_dropout: the runs to make, in order (False: without Dropout, True: with).
        train_size: number of training images (the book: 300).
        epochs: Trainer epochs (the book: 301).
        batch_size, learning_rate: mini-batch size and SGD learning rate.
        test_size: evaluate on the first test_size test images (None: all 10,000).
        hidden_size_list: hidden layer sizes (None: [100] * 6).
        progress: optional ``progress(done, total)``, called after each training step
            (counted over all runs).

    Returns:
        dict with
            use_dropout: (R,) bool, the runs made.
            train_acc, test_acc: (R, epochs) the Trainer's train_acc_list and test_acc_list.
    """
    lib = resolve_lib(lib)
    hidden_size_list = [100] * 6 if hidden_size_list is None else list(hidden_size_list)
    (x_train, t_train), (x_test, t_test) = _subsets(train_size, test_size)

    train_acc, test_acc = [], []
    for k, dropout_on in enumerate(use_dropout):
        np.random.seed(seed)
        network = lib.MultiLayerNetExtend(input_size=784, hidden_size_list=hidden_size_list,
                                          output_size=10, use_dropout=bool(dropout_on),
                                          dropout_ration=dropout_ratio)
        record = run_trainer(lib, network, x_train, t_train, x_test, t_test, epochs=epochs,
                             mini_batch_size=batch_size, optimizer="sgd",
                             optimizer_param={"lr": learning_rate},
                             progress=None if progress is None else
                             lambda done, total, k=k: progress(k * total + done, len(use_dropout) * total))
        train_acc.append(record["train_acc"])
        test_acc.append(record["test_acc"])
    return {
        "use_dropout": np.array(use_dropout, dtype=bool),
        "train_acc": np.array(train_acc),
        "test_acc": np.array(test_acc),
    }


def final_accuracies(runs, last_epochs=10):
    """Each run's train and test accuracy at the end, and their gap (book §6.4).

    Averaged over the last `last_epochs` evaluations: one epoch's accuracy on 300
    training images moves by a few points, the mean of ten is what the curves settle at.

    Args:
        runs: the dict returned by weight_decay_overfitting or dropout_overfitting
            (train_acc, test_acc: (R, E) arrays, one row per run).
        last_epochs: evaluations averaged.

    Returns:
        dict with train, test, gap: lists of R floats (gap = train − test).
    """
    train = [float(np.mean(row[-last_epochs:])) for row in np.asarray(runs["train_acc"])]
    test = [float(np.mean(row[-last_epochs:])) for row in np.asarray(runs["test_acc"])]
    return {"train": train, "test": test, "gap": [a - b for a, b in zip(train, test)]}
