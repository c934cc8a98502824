"""Convolution whose im2col lists windows position-major, (out_y, out_x, image), not image-major (book §7.4.3)."""

from reference import Convolution as _Convolution

COMPONENT = "Convolution"
MISTAKE = ("§7.4.3: col.transpose(4, 5, 0, 1, 2, 3) instead of transpose(0, 4, 5, 1, 2, 3) in im2col: rows run "
           "(oy, ox, n), so reshape(N, OH, OW, FN) hands one image's outputs to another (right for one image)")


class Convolution(_Convolution):
    def forward(self, x):
        out = super().forward(x)  # (N, FN, OH, OW), correct
        n, fn, oh, ow = out.shape
        # The (N·OH·OW, FN) product as position-major rows give it, reshaped as if image-major.
        position_major = out.transpose(2, 3, 0, 1).reshape(-1, fn)
        return position_major.reshape(n, oh, ow, fn).transpose(0, 3, 1, 2)


REPLACES = {"Convolution": Convolution}
