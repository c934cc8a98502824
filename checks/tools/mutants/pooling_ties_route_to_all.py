"""Pooling backward sending a window's gradient to every element equal to its maximum (book §7.4.4)."""

import numpy as np

from reference import Pooling as _Pooling

COMPONENT = "Pooling"
MISTAKE = "§7.4.4: backward uses the mask x == max, so tied maxima each get the full dout (the gradient is counted twice)"


class Pooling(_Pooling):
    def forward(self, x):
        self.input_seen = x
        self.output_seen = super().forward(x)
        return self.output_seen

    def backward(self, dout):
        height, width = self.input_seen.shape[2:]
        out_h, out_w = self.output_seen.shape[2:]
        pad = ((0, 0), (0, 0), (self.pad, self.pad), (self.pad, self.pad))
        padded_x = np.pad(self.input_seen, pad)
        padded = np.zeros(padded_x.shape)
        for ky in range(self.pool_h):
            for kx in range(self.pool_w):
                window = (slice(None), slice(None), slice(ky, ky + self.stride * (out_h - 1) + 1, self.stride),
                          slice(kx, kx + self.stride * (out_w - 1) + 1, self.stride))
                padded[window] += np.where(padded_x[window] == self.output_seen, dout, 0.0)
        return padded[:, :, self.pad:self.pad + height, self.pad:self.pad + width]


REPLACES = {"Pooling": Pooling}
