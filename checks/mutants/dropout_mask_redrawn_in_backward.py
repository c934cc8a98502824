"""Dropout whose backward draws a fresh mask instead of reusing forward's (book §6.4.3)."""

import numpy as np

from reference import Dropout as _Dropout

COMPONENT = "Dropout"
MISTAKE = "§6.4.3: backward draws np.random.rand(...) > ratio again, so it drops other units than forward did"


class Dropout(_Dropout):
    def backward(self, dout):
        mask = np.random.rand(*dout.shape) > self.dropout_ratio
        return dout * mask


REPLACES = {"Dropout": Dropout}
