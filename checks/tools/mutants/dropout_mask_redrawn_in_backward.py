"""Dropout whose backward draws a fresh mask instead of reusing forward's (book §6.4.3)."""

import numpy as np

from reference import Dropout as _Dropout

COMPONENT = "Dropout"
MISTAKE = "§6.4.3: backward draws np.random.rand(...) > ratio again, so it drops other units than forward did"


class Dropout(_Dropout):
    def __init__(self, dropout_ratio=0.5):
        super().__init__(dropout_ratio)
        self.ratio = dropout_ratio

    def backward(self, dout):
        return dout * (np.random.rand(*dout.shape) > self.ratio)


REPLACES = {"Dropout": Dropout}
