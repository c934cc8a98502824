"""The book's training loop as a class: mini-batches, optimizer steps, per-epoch accuracies (chapter 6)."""

import numpy as np

from .optimizers import SGD, AdaGrad, Adam, Momentum, Nesterov, RMSprop

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
        # BEGIN SOLUTION
        optimizer_param = {"lr": 0.01} if optimizer_param is None else dict(optimizer_param)
        name = str(optimizer).lower()
        if name not in _OPTIMIZERS:
            raise ValueError(f"unknown optimizer {optimizer!r}; choose one of {', '.join(sorted(_OPTIMIZERS))} (any case)")
        self.network = network
        self.verbose = verbose
        self.x_train, self.t_train = x_train, t_train
        self.x_test, self.t_test = x_test, t_test
        self.epochs = epochs
        self.batch_size = mini_batch_size
        self.evaluate_sample_num_per_epoch = evaluate_sample_num_per_epoch
        self.optimizer = _OPTIMIZERS[name](**optimizer_param)

        self.train_size = x_train.shape[0]
        # A float, as in the book: epochs are counted with current_iter % iter_per_epoch == 0.
        self.iter_per_epoch = max(self.train_size / mini_batch_size, 1)
        self.max_iter = int(epochs * self.iter_per_epoch)
        self.current_iter = 0
        self.current_epoch = 0

        self.train_loss_list = []
        self.train_acc_list = []
        self.test_acc_list = []
        self.final_test_acc = None
        # END SOLUTION

    def train_step(self):
        """One mini-batch step; at an epoch boundary, also the accuracies (book §6.4.3)."""
        # BEGIN SOLUTION
        batch_mask = np.random.choice(self.train_size, self.batch_size)
        x_batch = self.x_train[batch_mask]
        t_batch = self.t_train[batch_mask]

        grads = self.network.gradient(x_batch, t_batch)
        self.optimizer.update(self.network.params, grads)

        loss = self.network.loss(x_batch, t_batch)
        self.train_loss_list.append(loss)
        if self.verbose:
            print(f"train loss:{loss}")

        if self.current_iter % self.iter_per_epoch == 0:
            self.current_epoch += 1
            sample_num = self.evaluate_sample_num_per_epoch
            # x[:None] is the whole array.
            train_acc = self.network.accuracy(self.x_train[:sample_num], self.t_train[:sample_num])
            test_acc = self.network.accuracy(self.x_test[:sample_num], self.t_test[:sample_num])
            self.train_acc_list.append(train_acc)
            self.test_acc_list.append(test_acc)
            if self.verbose:
                print(f"=== epoch:{self.current_epoch}, train acc:{train_acc}, test acc:{test_acc} ===")
        self.current_iter += 1
        # END SOLUTION

    def train(self):
        """Run all steps, then measure the accuracy on the whole test set (book §6.4.3).

        Returns:
            test_acc: float, the final accuracy on x_test (the book only prints it;
                it is also kept as ``final_test_acc``).
        """
        # BEGIN SOLUTION
        for _ in range(self.max_iter):
            self.train_step()
        self.final_test_acc = self.network.accuracy(self.x_test, self.t_test)
        if self.verbose:
            print("=============== Final Test Accuracy ===============")
            print(f"test acc:{self.final_test_acc}")
        return self.final_test_acc
        # END SOLUTION
