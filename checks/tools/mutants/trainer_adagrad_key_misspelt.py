"""The book's first published Trainer (2016-07): 'addgrad' and 'rmsprpo' in its optimizer names (book §6.4.3)."""

from reference import SGD, AdaGrad, Adam, Momentum, Nesterov, RMSprop
from reference import Trainer as _Trainer

COMPONENT = "Trainer"
MISTAKE = ("§6.4.3: optimizer_class_dict holds 'addgrad' and 'rmsprpo' (the book's first common/trainer.py), so "
           "optimizer='adagrad' and 'rmsprop' raise KeyError")


class Trainer(_Trainer):
    def __init__(self, network, x_train, t_train, x_test, t_test, epochs=20, mini_batch_size=100, optimizer="SGD",
                 optimizer_param=None, evaluate_sample_num_per_epoch=None, verbose=True):
        optimizer_class_dict = {"sgd": SGD, "momentum": Momentum, "nesterov": Nesterov, "addgrad": AdaGrad,
                                "rmsprpo": RMSprop, "adam": Adam}
        optimizer_class_dict[optimizer.lower()]  # the KeyError of that copy, for 'adagrad' and 'rmsprop'
        super().__init__(network, x_train, t_train, x_test, t_test, epochs, mini_batch_size, optimizer,
                         optimizer_param, evaluate_sample_num_per_epoch, verbose)


REPLACES = {"Trainer": Trainer}
