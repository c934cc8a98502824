"""MultiLayerNetExtend.accuracy predicting in training mode (book §6.3.2, §6.4.3)."""

import numpy as np

from reference import MultiLayerNetExtend as _MultiLayerNetExtend

COMPONENT = "MultiLayerNetExtend"
MISTAKE = "§6.4.3: accuracy calls predict(x, train_flg=True): dropout masks and batch statistics at evaluation time"


class MultiLayerNetExtend(_MultiLayerNetExtend):
    def accuracy(self, x, t):
        predicted = np.argmax(self.predict(x, train_flg=True), axis=1)
        t = np.asarray(t)
        if t.ndim != 1:
            t = np.argmax(t, axis=1)
        return np.sum(predicted == t) / float(x.shape[0])


REPLACES = {"MultiLayerNetExtend": MultiLayerNetExtend}
