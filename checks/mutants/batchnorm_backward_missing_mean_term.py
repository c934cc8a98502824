"""BatchNormalization backward that forgets the path through the batch mean (book §6.3.1)."""

import numpy as np

from reference import BatchNormalization as _BatchNormalization

COMPONENT = "BatchNormalization"
MISTAKE = "§6.3.1: backward stops at dxc and never subtracts mean(dxc): the mean's dependence on x is dropped"


class BatchNormalization(_BatchNormalization):
    def backward(self, dout):
        dout = dout.reshape(dout.shape[0], -1)
        self.dbeta = dout.sum(axis=0)
        self.dgamma = np.sum(self.xn * dout, axis=0)
        dxn = self.gamma * dout
        dxc = dxn / self.std
        dstd = -np.sum(dxn * self.xc / (self.std * self.std), axis=0)
        dvar = 0.5 * dstd / self.std
        dxc += (2.0 / self.batch_size) * self.xc * dvar
        return dxc.reshape(self.input_shape)


REPLACES = {"BatchNormalization": BatchNormalization}
