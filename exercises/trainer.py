# Generated from reference/trainer.py by `make exercises`. Your exercise: replace each
# `raise NotImplementedError(...)` below with your own code; `make exercises` never overwrites your edits.
"""The book's training loop as a class: mini-batches, optimizer steps, per-epoch accuracies (chapter 6)."""

import numpy as np

from .optimizers import SGD, AdaGrad, Adam, Momentum, Nesterov, RMSprop
from ._messages import not_implemented

__all__ = ["Trainer"]

_OPTIMIZERS = {
    "sgd": SGD,
    "momentum": Momentum,
    "nesterov": Nesterov,
    "adagrad": AdaGrad,
    "rmsprop": RMSprop,
    "adam": Adam,
}


class Trainer:
    """Train a network with mini-batch gradient steps, recording loss and accuracies (book §6.4.3).

    Each step draws a mini-batch with ``np.random.choice(train_size, batch_size)``
    (with replacement, as the book), computes ``network.gradient``, lets the
    optimizer update ``network.params`` and records ``network.loss`` on the same
    batch after the update. At every epoch boundary (iteration 0 included) it
    records the accuracy on the training and test sets (or on their first
    evaluate_sample_num_per_epoch samples).

    Attributes:
        train_loss_list: one loss per step.
        train_acc_list, test_acc_list: one accuracy per epoch.
        final_test_acc: accuracy on the whole test set after train() (None before).
        optimizer: the optimizer object.
    """

    def __init__(self, network, x_train, t_train, x_test, t_test,
                 epochs=20, mini_batch_size=100, optimizer="SGD", optimizer_param=None,
                 evaluate_sample_num_per_epoch=None, verbose=True):
        """Set up the optimizer and the schedule (book §6.4.3).

        Args:
            network: object with params, gradient(x, t), loss(x, t), accuracy(x, t).
            x_train, t_train: training samples and labels (first axis: samples).
            x_test, t_test: test samples and labels.
            epochs: number of epochs; one epoch is train_size / mini_batch_size steps
                (at least 1), and int(epochs · that) steps are run.
            mini_batch_size: samples per step.
            optimizer: 'SGD', 'Momentum', 'Nesterov', 'AdaGrad', 'RMSprop' or 'Adam'
                (any case).
            optimizer_param: keyword arguments of the optimizer; None means {'lr': 0.01}.
            evaluate_sample_num_per_epoch: evaluate accuracies on this many first
                samples of each set (None: the whole sets).
            verbose: print the loss of every step and the accuracies of every epoch.

        Raises:
            ValueError: unknown optimizer name.
        """
        raise NotImplementedError(not_implemented("Trainer.__init__", "§6.4.3", "exercises/trainer.py"))

    def train_step(self):
        """One mini-batch step; at an epoch boundary, also the accuracies (book §6.4.3)."""
        raise NotImplementedError(not_implemented("Trainer.train_step", "§6.4.3", "exercises/trainer.py"))

    def train(self):
        """Run all steps, then measure the accuracy on the whole test set (book §6.4.3).

        Returns:
            test_acc: float, the final accuracy on x_test (the book only prints it;
                it is also kept as ``final_test_acc``).
        """
        raise NotImplementedError(not_implemented("Trainer.train", "§6.4.3", "exercises/trainer.py"))
