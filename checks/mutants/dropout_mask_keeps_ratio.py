"""Dropout whose mask keeps the fraction dropout_ratio instead of dropping it (book §6.4.3)."""

import numpy as np

from reference import Dropout as _Dropout

COMPONENT = "Dropout"
MISTAKE = "§6.4.3: mask = rand(...) < dropout_ratio (comparison reversed): keeps ratio of the units, drops 1 − ratio"


class Dropout(_Dropout):
    def forward(self, x, train_flg=True):
        if train_flg:
            self.mask = np.random.rand(*x.shape) < self.dropout_ratio
            return x * self.mask
        return x * (1.0 - self.dropout_ratio)


REPLACES = {"Dropout": Dropout}
