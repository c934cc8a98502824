"""A Trainer whose name table sends 'adam' to SGD: it trains, just not with Adam (book §6.4.3)."""

from reference import SGD
from reference import Trainer as _Trainer

COMPONENT = "Trainer"
MISTAKE = "§6.4.3: optimizer_class_dict maps 'adam' to SGD (a copied line left unedited), so Adam is never used"


class Trainer(_Trainer):
    def __init__(self, network, x_train, t_train, x_test, t_test, epochs=20, mini_batch_size=100, optimizer="SGD",
                 optimizer_param=None, evaluate_sample_num_per_epoch=None, verbose=True):
        super().__init__(network, x_train, t_train, x_test, t_test, epochs, mini_batch_size, optimizer,
                         optimizer_param, evaluate_sample_num_per_epoch, verbose)
        if str(optimizer).lower() == "adam":
            self.optimizer = SGD(**{k: v for k, v in (optimizer_param or {}).items() if k == "lr"})


REPLACES = {"Trainer": Trainer}
