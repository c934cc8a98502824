# Generated from reference/layers/__init__.py by `make exercises`. Nothing to write here: the exercises use it as it is.
"""Layers with forward and backward passes (chapters 5–7).

Every layer follows the same protocol: ``forward(x)`` (plus ``t`` or ``train_flg``
where the book has them) and ``backward(dout) -> dx``; parameter gradients are
stored on the layer (``dW``, ``db``, ...). One import line per module and one
``__all__`` entry per class, so adding a layer means adding lines.
"""

from .activation import Relu, Sigmoid
from .affine import Affine
from .softmax_with_loss import SoftmaxWithLoss
from .dropout import Dropout
from .batch_normalization import BatchNormalization
from .convolution import Convolution
from .pooling import Pooling

__all__ = [
    "Relu",
    "Sigmoid",
    "Affine",
    "SoftmaxWithLoss",
    "Dropout",
    "BatchNormalization",
    "Convolution",
    "Pooling",
]
