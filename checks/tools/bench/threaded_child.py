"""Child process of the threaded-inference figure (see ``threaded``): prints one JSON line.

Usage: ``python -m checks.tools.bench.threaded_child WORKERS DTYPE [--smoke]``, with BLAS pinned
to one thread by the parent's environment. DeepConvNet with the published weights, in
DTYPE (float64, or float32 with ``cast_network``), its accuracy over the test set with
each batch split over WORKERS threads (``accelerate(network, threads=WORKERS)``), as the
experiments run it.
"""

import json
import sys

import numpy as np

from data import book_params_path, load_mnist
from reference import DeepConvNet
from reference.fast import accelerate, cast_network

from .timing import timed


def main(argv):
    workers, dtype = int(argv[0]), np.dtype(argv[1])
    _, (x_test, t_test) = load_mnist(normalize=True, flatten=False)
    if "--smoke" in argv:
        x_test, t_test = x_test[:100], t_test[:100]
    x_test = x_test.astype(dtype)
    network = accelerate(DeepConvNet(), threads=workers)
    network.load_params(book_params_path("ch08/deep_convnet_params.pkl"))
    cast_network(network, dtype)
    network.accuracy(x_test[:200], t_test[:200])  # warm-up
    seconds, accuracy = timed(lambda: network.accuracy(x_test, t_test))
    print(json.dumps({"seconds": seconds, "accuracy": float(accuracy), "images": int(x_test.shape[0])}))


if __name__ == "__main__":
    main(sys.argv[1:])
