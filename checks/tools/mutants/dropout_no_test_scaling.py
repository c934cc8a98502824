"""Dropout that returns x unchanged at test time (book §6.4.3)."""

from reference import Dropout as _Dropout

COMPONENT = "Dropout"
MISTAKE = "§6.4.3: test mode returns x instead of x·(1 − dropout_ratio), so test activations are too large"


class Dropout(_Dropout):
    def forward(self, x, train_flg=True):
        if train_flg:
            return super().forward(x, train_flg)
        return x


REPLACES = {"Dropout": Dropout}
