"""Convolution forward reshaping the (N·OH·OW, FN) product straight to (N, FN, OH, OW) (book §7.4.3)."""

from reference import Convolution as _Convolution

COMPONENT = "Convolution"
MISTAKE = "§7.4.3: out.reshape(N, FN, OH, OW) instead of reshape(N, OH, OW, FN).transpose(0, 3, 1, 2): values scrambled"


class Convolution(_Convolution):
    def forward(self, x):
        out = super().forward(x)  # (N, FN, OH, OW), correct
        products = out.transpose(0, 2, 3, 1).reshape(-1, out.shape[1])  # the (N·OH·OW, FN) matrix product
        return products.reshape(out.shape)


REPLACES = {"Convolution": Convolution}
