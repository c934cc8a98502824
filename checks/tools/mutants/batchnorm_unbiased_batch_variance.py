"""BatchNormalization normalizing with the unbiased (N − 1) batch variance (book §6.3.1)."""

import numpy as np

from reference import BatchNormalization as _BatchNormalization

COMPONENT = "BatchNormalization"
MISTAKE = "§6.3.1: batch variance with ddof=1 (divides by N − 1, not N), unlike the graph backward follows"


class BatchNormalization(_BatchNormalization):
    def forward(self, x, train_flg=True):
        if not train_flg:
            return super().forward(x, train_flg)
        flat = x.reshape(x.shape[0], -1)
        if self.running_mean is None:
            self.running_mean, self.running_var = np.zeros(flat.shape[1]), np.zeros(flat.shape[1])
        mean = flat.mean(axis=0)
        var = np.var(flat, axis=0, ddof=1)
        self.centered = flat - mean
        self.sd = np.sqrt(var + 10e-7)
        self.normalized = self.centered / self.sd
        self.shape_seen = x.shape
        self.running_mean = self.momentum * self.running_mean + (1 - self.momentum) * mean
        self.running_var = self.momentum * self.running_var + (1 - self.momentum) * var
        return (self.gamma * self.normalized + self.beta).reshape(x.shape)

    def backward(self, dout):
        # the graph of the biased variance mean(xc²), as in the book
        dout = dout.reshape(dout.shape[0], -1)
        batch_size = dout.shape[0]
        self.dbeta = dout.sum(axis=0)
        self.dgamma = np.sum(self.normalized * dout, axis=0)
        dxn = self.gamma * dout
        dxc = dxn / self.sd
        dsd = -np.sum(dxn * self.centered / (self.sd * self.sd), axis=0)
        dvar = 0.5 * dsd / self.sd
        dxc += (2.0 / batch_size) * self.centered * dvar
        dx = dxc - np.sum(dxc, axis=0) / batch_size
        return dx.reshape(self.shape_seen)


REPLACES = {"BatchNormalization": BatchNormalization}
