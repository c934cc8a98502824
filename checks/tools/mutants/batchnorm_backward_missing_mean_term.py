"""BatchNormalization backward that forgets the path through the batch mean (book §6.3.1)."""

import numpy as np

from reference import BatchNormalization as _BatchNormalization

COMPONENT = "BatchNormalization"
MISTAKE = "§6.3.1: backward stops at dxc and never subtracts mean(dxc): the mean's dependence on x is dropped"


class BatchNormalization(_BatchNormalization):
    def forward(self, x, train_flg=True):
        out = super().forward(x, train_flg)  # the right values and running statistics
        if train_flg:
            flat = x.reshape(x.shape[0], -1)
            self.centered = flat - flat.mean(axis=0)
            self.sd = np.sqrt(np.mean(self.centered ** 2, axis=0) + 10e-7)
            self.normalized = self.centered / self.sd
            self.shape_seen = x.shape
        return out

    def backward(self, dout):
        dout = dout.reshape(dout.shape[0], -1)
        batch_size = dout.shape[0]
        self.dbeta = dout.sum(axis=0)
        self.dgamma = np.sum(self.normalized * dout, axis=0)
        dxn = self.gamma * dout
        dxc = dxn / self.sd
        dsd = -np.sum(dxn * self.centered / (self.sd * self.sd), axis=0)
        dvar = 0.5 * dsd / self.sd
        dxc += (2.0 / batch_size) * self.centered * dvar
        return dxc.reshape(self.shape_seen)  # missing: dx = dxc − mean(dxc)


REPLACES = {"BatchNormalization": BatchNormalization}
