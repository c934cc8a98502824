"""BatchNormalization forward shifted by a constant, its backward unchanged (book §6.3.1)."""

from reference import BatchNormalization as _BatchNormalization

COMPONENT = "BatchNormalization"
MISTAKE = "§6.3.1: forward returns γ·x̂ + β + 1 (β added twice, as it were, for β = 1); backward is the book's"


class BatchNormalization(_BatchNormalization):
    def forward(self, x, train_flg=True):
        return super().forward(x, train_flg) + 1.0


REPLACES = {"BatchNormalization": BatchNormalization}
