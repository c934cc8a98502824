"""A Trainer taking `epochs` steps in all instead of epochs × (train_size / mini_batch_size) (book §6.4.3)."""

from reference import Trainer as _Trainer

COMPONENT = "Trainer"
MISTAKE = "§6.4.3: max_iter = epochs: train() takes one mini-batch step per epoch instead of a pass over the data"


class Trainer(_Trainer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_iter = self.epochs


REPLACES = {"Trainer": Trainer}
