"""Convolution forward shifted by a constant, its backward unchanged (book §7.4.3)."""

from reference import Convolution as _Convolution

COMPONENT = "Convolution"
MISTAKE = ("§7.4.3: forward returns the convolution + 0.5 (a constant added to every output map); backward is the "
           "book's, so the gradient checks agree with it")


class Convolution(_Convolution):
    def forward(self, x):
        return super().forward(x) + 0.5


REPLACES = {"Convolution": Convolution}
