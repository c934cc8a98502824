"""Chapter 6: activations of a deep network at initialisation (§6.2.2–3).

Book script: ch06/weight_init_activation_histogram.py (Figures 6-10 to 6-14).
"""

import numpy as np

from ._common import resolve_lib

__all__ = ["activation_histograms"]

# Scales of the histogram experiment, as functions of the layer's fan-in n.
_HISTOGRAM_SCALES = {
    "std=1": lambda n: 1.0,
    "std=0.01": lambda n: 0.01,
    "Xavier": lambda n: np.sqrt(1.0 / n),
    "He": lambda n: np.sqrt(2.0 / n),
}

# Ranges of the histograms: the book's plt.hist(a, 30, range=(0, 1)) for sigmoid and
# ReLU; tanh is symmetric around 0.
_HISTOGRAM_RANGES = {"sigmoid": (0.0, 1.0), "relu": (0.0, 1.0), "tanh": (-1.0, 1.0)}


def activation_histograms(lib=None, seed=0, activations=("sigmoid", "relu", "tanh"),
                          weight_inits=("std=1", "std=0.01", "Xavier", "He"),
                          n_samples=1000, node_num=100, n_layers=5, bins=30,
                          return_activations=False):
    """Distribution of each layer's activations at initialisation (book §6.2.2–3, Figures 6-10–6-14).

    weight_init_activation_histogram.py: 1000 Gaussian inputs of 100 features through
    5 layers of 100 units (no biases), weights ``randn(100, 100) * scale``, histograms
    of each layer's output (30 bins on [0, 1]). The book shows, for sigmoid:
    std = 1 piles activations at 0 and 1 (vanishing gradients), std = 0.01 piles them
    at 0.5 (no expressiveness), Xavier (√(1/n)) spreads them; for ReLU, He (√(2/n))
    keeps the spread in every layer while std = 0.01 and Xavier shrink towards 0.

    Every configuration re-seeds the generator, so all of them see the same inputs
    and the same unscaled weight draws: only the activation and the scale differ.

    Args:
        lib: implementation namespace (None: reference); uses ``lib.sigmoid`` and
            ``lib.relu`` (tanh is ``np.tanh``, as in the book's script).
        seed: seed of NumPy's global generator.
        activations: any of "sigmoid", "relu", "tanh".
        weight_inits: any of "std=1", "std=0.01", "Xavier", "He".
        n_samples, node_num, n_layers: input rows, units per layer, number of layers.
        bins: histogram bins (over [0, 1] for sigmoid and ReLU, [-1, 1] for tanh).
        return_activations: also return the raw activations (n_layers, n_samples, node_num).

    Returns:
        dict activation → dict init name → dict with
            hist: (n_layers, bins) int counts per layer (values outside the range are not counted).
            bin_edges: (bins + 1,).
            mean, std: (n_layers,) mean and standard deviation of each layer's activations.
            activations: (n_layers, n_samples, node_num), only with return_activations.
    """
    lib = resolve_lib(lib)
    functions = {"sigmoid": lib.sigmoid, "relu": lib.relu, "tanh": np.tanh}
    result = {}
    for activation in activations:
        result[activation] = {}
        for init in weight_inits:
            np.random.seed(seed)
            x = np.random.randn(n_samples, node_num)
            layers = []
            for _ in range(n_layers):
                w = np.random.randn(node_num, node_num) * _HISTOGRAM_SCALES[init](node_num)
                x = np.asarray(functions[activation](np.dot(x, w)), dtype=float)
                layers.append(x)
            layers = np.array(layers)
            edges = np.linspace(*_HISTOGRAM_RANGES[activation], bins + 1)
            entry = {
                "hist": np.array([np.histogram(z, bins=edges)[0] for z in layers]),
                "bin_edges": edges,
                "mean": layers.reshape(n_layers, -1).mean(axis=1),
                "std": layers.reshape(n_layers, -1).std(axis=1),
            }
            if return_activations:
                entry["activations"] = layers
            result[activation][init] = entry
    return result
