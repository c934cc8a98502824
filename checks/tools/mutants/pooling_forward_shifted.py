"""Max pooling forward shifted by a constant, its backward unchanged (book §7.4.4)."""

from reference import Pooling as _Pooling

COMPONENT = "Pooling"
MISTAKE = "§7.4.4: forward returns each window's maximum + 1; backward still routes dout to the argmax"


class Pooling(_Pooling):
    def forward(self, x):
        return super().forward(x) + 1.0


REPLACES = {"Pooling": Pooling}
