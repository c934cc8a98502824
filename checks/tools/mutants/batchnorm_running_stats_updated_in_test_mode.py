"""BatchNormalization that also moves its running statistics in test mode (book §6.3.1)."""

from reference import BatchNormalization as _BatchNormalization

COMPONENT = "BatchNormalization"
MISTAKE = "§6.3.1: the running-average update sits outside the `if train_flg`, so every inference batch changes it"


class BatchNormalization(_BatchNormalization):
    def forward(self, x, train_flg=True):
        out = super().forward(x, train_flg)
        if not train_flg:
            flat = x.reshape(x.shape[0], -1)
            self.running_mean = self.momentum * self.running_mean + (1 - self.momentum) * flat.mean(axis=0)
            self.running_var = self.momentum * self.running_var + (1 - self.momentum) * flat.var(axis=0)
        return out


REPLACES = {"BatchNormalization": BatchNormalization}
