"""The book's Trainer as published from 2016-11 to 2020-03: 'rmsprpo' in its optimizer names (book §6.4.3)."""

from reference import SGD, AdaGrad, Adam, Momentum, Nesterov, RMSprop
from reference import Trainer as _Trainer

COMPONENT = "Trainer"
MISTAKE = ("§6.4.3: optimizer_class_dict holds 'rmsprpo' (old copies of the book's common/trainer.py), so "
           "Trainer(..., optimizer='rmsprop') raises KeyError")


class Trainer(_Trainer):
    def __init__(self, network, x_train, t_train, x_test, t_test, epochs=20, mini_batch_size=100, optimizer="SGD",
                 optimizer_param=None, evaluate_sample_num_per_epoch=None, verbose=True):
        optimizer_class_dict = {"sgd": SGD, "momentum": Momentum, "nesterov": Nesterov, "adagrad": AdaGrad,
                                "rmsprpo": RMSprop, "adam": Adam}
        optimizer_class_dict[optimizer.lower()]  # the KeyError of those copies, for 'rmsprop'
        super().__init__(network, x_train, t_train, x_test, t_test, epochs, mini_batch_size, optimizer,
                         optimizer_param, evaluate_sample_num_per_epoch, verbose)


REPLACES = {"Trainer": Trainer}
