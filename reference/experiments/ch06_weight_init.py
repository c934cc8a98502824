"""Chapter 6: initial weight values compared on MNIST (§6.2.4).

Book script: ch06/weight_init_compare.py (Figure 6-15). The activation histograms of
§6.2.2–3 are in ``ch06_activations``.
"""

import numpy as np

from ._common import resolve_lib, train_on_shared_batches
from ._mnist import mnist

__all__ = ["weight_init_comparison"]

# weight_init_compare.py's labels and the weight_init_std value each stands for.
_INIT_TYPES = {"std=0.01": 0.01, "Xavier": "sigmoid", "He": "relu"}

def weight_init_comparison(lib=None, seed=0, iterations=2000, batch_size=128, learning_rate=0.01,
                           weight_init_types=None, hidden_size_list=None, progress=None):
    """MNIST training loss per iteration for three weight initialisations (book §6.2.4, Figure 6-15).

    weight_init_compare.py: ``MultiLayerNet(784, [100]*4, 10, weight_init_std=...)``
    (ReLU activations) with std = 0.01, 'sigmoid' (Xavier) and 'relu' (He), one shared
    SGD(lr=0.01), the same mini-batches of 128, 2,000 iterations. The book shows
    std = 0.01 not learning at all (loss flat at ln 10 ≈ 2.30), Xavier and He
    learning, He faster (≈0.34 against ≈1.06 at iteration 500).

    Args:
        lib: implementation namespace (None: reference); uses ``lib.MultiLayerNet``, ``lib.SGD``.
        seed: seed of NumPy's global generator (networks built in order, then batches).
        iterations: number of iterations.
        batch_size: mini-batch size.
        learning_rate: SGD learning rate.
        weight_init_types: dict label → weight_init_std (None: the book's three).
        hidden_size_list: hidden layer sizes (None: [100, 100, 100, 100]).
        progress: optional ``progress(done, total)``, called after each iteration.

    Returns:
        dict with
            train_loss: dict label ("std=0.01", "Xavier", "He") → (iterations,) batch loss.
    """
    lib = resolve_lib(lib)
    weight_init_types = dict(_INIT_TYPES if weight_init_types is None else weight_init_types)
    hidden_size_list = [100] * 4 if hidden_size_list is None else list(hidden_size_list)
    np.random.seed(seed)
    (x_train, t_train), _ = mnist(normalize=True)

    optimizer = lib.SGD(lr=learning_rate)
    names = list(weight_init_types)
    networks = [lib.MultiLayerNet(input_size=784, hidden_size_list=hidden_size_list, output_size=10,
                                  weight_init_std=weight_init_types[name]) for name in names]
    losses, _ = train_on_shared_batches(networks, [optimizer] * len(networks), x_train, t_train,
                                        batch_size=batch_size, iterations=iterations,
                                        progress=progress)
    return {"train_loss": dict(zip(names, losses))}
