"""BatchNormalization normalizing with the unbiased (N − 1) batch variance (book §6.3.1)."""

import numpy as np

from reference import BatchNormalization as _BatchNormalization

COMPONENT = "BatchNormalization"
MISTAKE = "§6.3.1: batch variance with ddof=1 (divides by N − 1, not N), unlike the graph backward follows"


class BatchNormalization(_BatchNormalization):
    def forward(self, x, train_flg=True):
        if not train_flg:
            return super().forward(x, train_flg)
        self.input_shape = x.shape
        x = x.reshape(x.shape[0], -1)
        if self.running_mean is None:
            self.running_mean = np.zeros(x.shape[1])
            self.running_var = np.zeros(x.shape[1])
        mean = x.mean(axis=0)
        xc = x - mean
        var = np.var(x, axis=0, ddof=1)
        std = np.sqrt(var + 10e-7)
        xn = xc / std
        self.batch_size, self.xc, self.xn, self.std = x.shape[0], xc, xn, std
        self.running_mean = self.momentum * self.running_mean + (1 - self.momentum) * mean
        self.running_var = self.momentum * self.running_var + (1 - self.momentum) * var
        return (self.gamma * xn + self.beta).reshape(self.input_shape)


REPLACES = {"BatchNormalization": BatchNormalization}
