"""Dropout that multiplies by (1 − ratio) in training as well as at test time (book §6.4.3)."""

from reference import Dropout as _Dropout

COMPONENT = "Dropout"
MISTAKE = "§6.4.3: training output is x·mask·(1 − ratio): the test-time scaling applied in both modes"


class Dropout(_Dropout):
    def __init__(self, dropout_ratio=0.5):
        super().__init__(dropout_ratio)
        self.ratio = dropout_ratio

    def forward(self, x, train_flg=True):
        return super().forward(x, train_flg) * ((1.0 - self.ratio) if train_flg else 1.0)


REPLACES = {"Dropout": Dropout}
