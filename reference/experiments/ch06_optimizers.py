"""Chapter 6: the optimizers compared (§6.1).

Book scripts: ch06/optimizer_compare_naive.py (paths on f(x, y) = x²/20 + y²,
Figure 6-8) and ch06/optimizer_compare_mnist.py (MNIST losses, Figure 6-9).
"""

import numpy as np

from ._common import resolve_lib, train_on_shared_batches
from ._mnist import mnist

__all__ = ["optimizer_paths", "optimizer_comparison"]

# The order and learning rates of optimizer_compare_naive.py.
_PATH_LEARNING_RATES = {"SGD": 0.95, "Momentum": 0.1, "AdaGrad": 1.5, "Adam": 0.3}

# optimizer_compare_mnist.py builds SGD(), Momentum(), AdaGrad(), Adam() with the
# book's defaults; they are passed explicitly so that a wrong default elsewhere does
# not change this experiment.
_MNIST_OPTIMIZER_PARAMS = {
    "SGD": {"lr": 0.01},
    "Momentum": {"lr": 0.01},
    "AdaGrad": {"lr": 0.01},
    "Adam": {"lr": 0.001},
}


def optimizer_paths(lib=None, steps=30, init=(-7.0, 2.0), learning_rates=None):
    """Paths of the optimizers on f(x, y) = x²/20 + y² (book §6.1.7, Figure 6-8).

    From (-7, 2), 30 updates each with SGD(lr=0.95), Momentum(lr=0.1),
    AdaGrad(lr=1.5), Adam(lr=0.3), the gradient being (x/10, 2y). The book shows SGD
    zig-zagging in y while crawling along x, Momentum rolling like a ball, AdaGrad
    damping y at once, Adam in between. Deterministic. Parameters are 0-d float
    arrays, so optimizers that update in place and ones that rebind both work.

    Args:
        lib: implementation namespace (None: reference); uses ``lib.SGD``,
            ``lib.Momentum``, ``lib.AdaGrad``, ``lib.Adam`` (the keys of learning_rates).
        steps: number of updates.
        init: starting point (x, y).
        learning_rates: dict optimizer name → lr (None: the book's four above).

    Returns:
        dict with
            paths: dict name → (steps + 1, 2) array of (x, y), the start first.
            learning_rates: dict name → lr used.
    """
    lib = resolve_lib(lib)
    learning_rates = dict(_PATH_LEARNING_RATES if learning_rates is None else learning_rates)
    paths = {}
    for name, lr in learning_rates.items():
        optimizer = getattr(lib, name)(lr=lr)
        params = {"x": np.array(float(init[0])), "y": np.array(float(init[1]))}
        path = [(float(params["x"]), float(params["y"]))]
        for _ in range(steps):
            grads = {"x": params["x"] / 10.0, "y": 2.0 * params["y"]}
            optimizer.update(params, grads)
            path.append((float(params["x"]), float(params["y"])))
        paths[name] = np.array(path)
    return {"paths": paths, "learning_rates": learning_rates}


def optimizer_comparison(lib=None, seed=0, iterations=2000, batch_size=128, optimizer_params=None,
                         hidden_size_list=None, progress=None):
    """MNIST training loss per iteration for each optimizer (book §6.1.8, Figure 6-9).

    optimizer_compare_mnist.py: one ``MultiLayerNet(784, [100]*4, 10)`` per optimizer
    (ReLU, He init), all trained on the same mini-batches of 128 drawn from the 60,000
    training images, 2,000 iterations. The book shows SGD clearly slowest and
    Momentum, AdaGrad and Adam much faster, AdaGrad slightly ahead (loss at iteration
    500 ≈0.29 SGD against ≈0.04–0.12 for the others).

    Args:
        lib: implementation namespace (None: reference); uses ``lib.MultiLayerNet`` and
            the optimizer classes named in optimizer_params.
        seed: seed of NumPy's global generator (networks built in order, then batches).
        iterations: number of iterations.
        batch_size: mini-batch size.
        optimizer_params: dict optimizer class name → constructor kwargs (None: SGD,
            Momentum, AdaGrad with lr 0.01 and Adam with lr 0.001, as the book).
        hidden_size_list: hidden layer sizes (None: [100, 100, 100, 100]).
        progress: optional ``progress(done, total)``, called after each iteration.

    Returns:
        dict with
            train_loss: dict optimizer name → (iterations,) batch loss after each update.
    """
    lib = resolve_lib(lib)
    optimizer_params = dict(_MNIST_OPTIMIZER_PARAMS if optimizer_params is None else optimizer_params)
    hidden_size_list = [100] * 4 if hidden_size_list is None else list(hidden_size_list)
    np.random.seed(seed)
    (x_train, t_train), _ = mnist(normalize=True)

    names = list(optimizer_params)
    optimizers = [getattr(lib, name)(**optimizer_params[name]) for name in names]
    networks = [lib.MultiLayerNet(input_size=784, hidden_size_list=hidden_size_list, output_size=10)
                for _ in names]
    losses, _ = train_on_shared_batches(networks, optimizers, x_train, t_train,
                                        batch_size=batch_size, iterations=iterations,
                                        progress=progress)
    return {"train_loss": dict(zip(names, losses))}
