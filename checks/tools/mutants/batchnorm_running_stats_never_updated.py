"""BatchNormalization that never moves its running statistics (book §6.3.1)."""

import numpy as np

from reference import BatchNormalization as _BatchNormalization

COMPONENT = "BatchNormalization"
MISTAKE = "§6.3.1: training forward never updates running_mean/running_var, so test mode normalizes with zeros"


class BatchNormalization(_BatchNormalization):
    def forward(self, x, train_flg=True):
        before = (self.running_mean, self.running_var)
        out = super().forward(x, train_flg)
        if before[0] is None:
            before = (np.zeros_like(self.running_mean), np.zeros_like(self.running_var))
        self.running_mean, self.running_var = before
        return out


REPLACES = {"BatchNormalization": BatchNormalization}
