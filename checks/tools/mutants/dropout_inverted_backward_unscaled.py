"""Inverted dropout whose backward forgets the 1/(1 − ratio) scaling (book §6.4.3)."""

import numpy as np

from reference import Dropout as _Dropout

COMPONENT = "Dropout"
MISTAKE = "§6.4.3: inverted dropout (x·mask/(1 − ratio) in training) with backward dout·mask, missing /(1 − ratio)"


class Dropout(_Dropout):
    def __init__(self, dropout_ratio=0.5):
        super().__init__(dropout_ratio)
        self.ratio = dropout_ratio

    def forward(self, x, train_flg=True):
        if train_flg:
            self.keep = np.random.rand(*x.shape) > self.ratio
            return x * self.keep / (1.0 - self.ratio)
        return x

    def backward(self, dout):
        return dout * self.keep


REPLACES = {"Dropout": Dropout}
