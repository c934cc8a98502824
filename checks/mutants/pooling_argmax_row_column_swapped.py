"""Pooling whose argmax indexes the window column by column while backward decodes it row by row (book §7.4.4)."""

from reference import Pooling as _Pooling

COMPONENT = "Pooling"
MISTAKE = "§7.4.4: argmax of the window flattened in column order (kx·pool_h + ky), decoded as row order (ky·pool_w + kx)"


class Pooling(_Pooling):
    def forward(self, x):
        out = super().forward(x)
        ky, kx = divmod(self.arg_max, self.pool_w)
        self.arg_max = kx * self.pool_h + ky
        return out


REPLACES = {"Pooling": Pooling}
