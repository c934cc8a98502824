"""Child process of the threaded-inference figure (see ``threaded``): prints one JSON line.

Usage: ``python -m checks.tools.bench.threaded_child WORKERS [--smoke]``, with BLAS pinned
to one thread by the parent's environment.
"""

import json
import sys

import numpy as np

from data import book_params_path, load_mnist
from reference import DeepConvNet
from reference.fast import accelerate
from reference.experiments import predicted_classes_in_threads

from .timing import timed


def main(argv):
    workers = int(argv[0])
    _, (x_test, t_test) = load_mnist(normalize=True, flatten=False)
    if "--smoke" in argv:
        x_test, t_test = x_test[:100], t_test[:100]
    network = accelerate(DeepConvNet())
    network.load_params(book_params_path("ch08/deep_convnet_params.pkl"))
    predicted_classes_in_threads(network, x_test[:10], workers=workers, train_flg=False)  # warm-up
    seconds, classes = timed(lambda: predicted_classes_in_threads(network, x_test, workers=workers,
                                                                  train_flg=False))
    print(json.dumps({"seconds": seconds, "accuracy": float(np.mean(classes == t_test)),
                      "images": int(x_test.shape[0])}))


if __name__ == "__main__":
    main(sys.argv[1:])
