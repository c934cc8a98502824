"""Chapter 6: random search of hyperparameters on a validation set (§6.5).

Book script: ch06/hyperparameter_optimization.py (Figure 6-24).
"""

import numpy as np

from ._common import resolve_lib, run_trainer
from ._mnist import mnist

__all__ = ["hyperparameter_search"]


def hyperparameter_search(lib=None, seed=0, trials=100, epochs=50, train_size=500,
                          validation_rate=0.2, lr_exponents=(-6, -2), weight_decay_exponents=(-8, -4),
                          batch_size=100, progress=None):
    """Random search of learning rate and weight decay (book §6.5.3–4, Figure 6-24).

    hyperparameter_optimization.py: the first 500 training images, shuffled with
    ``shuffle_dataset``; the first 20% (100) become the validation set, the other 400
    the training set. Each trial draws ``weight_decay = 10 ** uniform(-8, -4)`` then
    ``lr = 10 ** uniform(-6, -2)`` and trains
    ``MultiLayerNet(784, [100]*6, 10, weight_decay_lambda=weight_decay)`` with
    ``Trainer(..., epochs=50, mini_batch_size=100, optimizer='sgd')``, whose
    test set is the validation set. 100 trials. The book: the good region is about
    lr 0.001–0.01 and weight decay 1e-8–1e-6; small learning rates stay near chance.

    The generator is seeded once. Unlike the book's script, which draws each trial's
    weight decay and learning rate just before training it, all trials' values are
    drawn first (in the same order, weight decay then lr per trial): the sampled
    settings then depend on the seed alone, not on how many random numbers an
    implementation's components consume, so every implementation is tried on the same
    settings. The shuffle, the networks and the batches follow from the same generator.

    Args:
        lib: implementation namespace (None: reference); uses ``lib.shuffle_dataset``,
            ``lib.MultiLayerNet``, ``lib.Trainer``.
        seed: seed of NumPy's global generator.
        trials: number of random trials.
        epochs: Trainer epochs per trial.
        train_size: images taken from the start of the training set (the book: 500).
        validation_rate: fraction of them held out for validation.
        lr_exponents, weight_decay_exponents: ranges of the uniform base-10 exponents.
        batch_size: mini-batch size.
        progress: optional ``progress(done, total)``, called after each trial.

    Returns:
        dict with
            lr, weight_decay: (trials,) the sampled values, in trial order.
            val_acc, train_acc: (trials, epochs) the Trainer's accuracy per epoch on the
                validation and training sets (the book ranks trials by val_acc[:, -1]).
    """
    lib = resolve_lib(lib)
    np.random.seed(seed)
    settings = [(10 ** np.random.uniform(*weight_decay_exponents), 10 ** np.random.uniform(*lr_exponents))
                for _ in range(trials)]
    (x_train, t_train), _ = mnist(normalize=True)
    x_train, t_train = lib.shuffle_dataset(x_train[:train_size], t_train[:train_size])
    validation_num = int(x_train.shape[0] * validation_rate)
    x_val, t_val = x_train[:validation_num], t_train[:validation_num]
    x_train, t_train = x_train[validation_num:], t_train[validation_num:]

    lrs, weight_decays, val_acc, train_acc = [], [], [], []
    for trial, (weight_decay, lr) in enumerate(settings):
        network = lib.MultiLayerNet(input_size=784, hidden_size_list=[100] * 6, output_size=10,
                                    weight_decay_lambda=weight_decay)
        record = run_trainer(lib, network, x_train, t_train, x_val, t_val, epochs=epochs,
                             mini_batch_size=batch_size, optimizer="sgd", optimizer_param={"lr": lr})
        lrs.append(lr)
        weight_decays.append(weight_decay)
        val_acc.append(record["test_acc"])
        train_acc.append(record["train_acc"])
        if progress is not None:
            progress(trial + 1, trials)
    return {
        "lr": np.array(lrs),
        "weight_decay": np.array(weight_decays),
        "val_acc": np.array(val_acc).reshape(trials, -1),
        "train_acc": np.array(train_acc).reshape(trials, -1),
    }
