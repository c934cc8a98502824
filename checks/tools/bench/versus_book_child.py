"""Child process of the versus-the-book rows (see ``versus_book``): times the book's own code and ours, interleaved.

Usage: ``python -m checks.tools.bench.versus_book_child BOOK_FOLDER THREADS REPEATS [--smoke]``,
with BLAS's thread count fixed by the parent's environment. Every workload runs the
book's network (its own layers, its Adam, loaded from the book's folder with the
harness's book-layout loader, as grading does) and the reference's
(``reference.fast.accelerate(network, threads=THREADS)``) one after the other, REPEATS
rounds, so both see the same machine; each keeps its best (least disturbed) time.
Prints one JSON line: {"seconds": {workload: {"book": s, "ours": s}}, "notes": {...}}.
"""

import json
import sys
import time

import numpy as np

from checks.isolation.child.sandboxed.book_layout import BookLayout
from checks.library.components import book_homes
from data import book_params_path, load_mnist
from reference import Adam, DeepConvNet, SimpleConvNet
from reference.fast import accelerate, cast_network

BATCH = 100
INFERENCE_IMAGES = 2000


def _timed(function):
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def _interleaved(pairs, repeats):
    """{name: best seconds} over `repeats` rounds, each round calling every function once, in order."""
    best = {name: float("inf") for name in pairs}
    results = {}
    for name, function in pairs.items():
        results[name] = function()  # warm-up: first-call costs (Adam's state, page faults) stay out
    for _ in range(repeats):
        for name, function in pairs.items():
            seconds, results[name] = _timed(function)
            best[name] = min(best[name], seconds)
    return best, results


def _training_step(network, optimizer, x_train, t_train, batches):
    """The Trainer's train_step without its epoch evaluations: gradient, Adam update, loss (book §6.4.3)."""
    position = [0]

    def step():
        batch = batches[position[0] % len(batches)]
        position[0] += 1
        x, t = x_train[batch], t_train[batch]
        grads = network.gradient(x, t)
        optimizer.update(network.params, grads)
        return network.loss(x, t)

    return step


def main(argv):
    book_folder, threads, repeats = argv[0], int(argv[1]), int(argv[2])
    smoke = "--smoke" in argv
    book = BookLayout(book_folder, book_homes())
    book_simple, book_deep, book_adam = (book.resolve(name) for name in ("SimpleConvNet", "DeepConvNet", "Adam"))
    (x_train, t_train), (x_test, t_test) = load_mnist(normalize=True, flatten=False)
    x_train = x_train.astype(np.float64)  # the book's own load_mnist hands float32; both nets get the same
    n_inference = BATCH if smoke else INFERENCE_IMAGES
    x_test, t_test = x_test[:n_inference].astype(np.float64), t_test[:n_inference]
    rng = np.random.default_rng(0)
    batches = [rng.integers(0, x_train.shape[0], BATCH) for _ in range(8)]
    x32 = x_train.astype(np.float32)
    seconds, notes = {}, {}

    # DeepConvNet inference with the published weights: accuracy() over 2,000 test images.
    params = str(book_params_path("ch08/deep_convnet_params.pkl"))
    np.random.seed(0)
    theirs = book_deep()
    theirs.load_params(params)
    ours = accelerate(DeepConvNet(), threads=threads)
    ours.load_params(params)
    best, results = _interleaved({"book": lambda: theirs.accuracy(x_test, t_test, batch_size=BATCH),
                                  "ours": lambda: ours.accuracy(x_test, t_test, batch_size=BATCH)}, repeats)
    seconds["deep_inference"] = best
    notes["deep_inference"] = {"images": n_inference, "accuracy_book": results["book"],
                               "accuracy_ours": results["ours"]}
    evaluation, _ = _interleaved({"ours": lambda: ours.accuracy(x_test[:1000], t_test[:1000])}, repeats)

    for name, book_class, our_class, rounds in (("simple_step", book_simple, SimpleConvNet, 3 * repeats),
                                                ("deep_step", book_deep, DeepConvNet, repeats)):
        np.random.seed(0)
        theirs = book_class()
        np.random.seed(0)
        ours64 = accelerate(our_class(), threads=threads)
        np.random.seed(0)
        ours32 = cast_network(accelerate(our_class(), threads=threads), np.float32)
        steps = {"book": _training_step(theirs, book_adam(lr=0.001), x_train, t_train, batches),
                 "ours": _training_step(ours64, Adam(lr=0.001), x_train, t_train, batches),
                 "ours_float32": _training_step(ours32, Adam(lr=0.001), x32, t_train, batches)}
        seconds[name], _ = _interleaved(steps, 1 if smoke else rounds)
    # The SimpleConvNet accuracy on 1,000 images: train_convnet.py evaluates 1,000 training and
    # 1,000 test images per epoch, and the whole test set once at the end.
    seconds["simple_evaluation_1000"] = {}
    np.random.seed(0)
    simple = accelerate(SimpleConvNet(), threads=threads)
    seconds["simple_evaluation_1000"], _ = _interleaved(
        {"ours": lambda: simple.accuracy(x_test[:1000], t_test[:1000])}, repeats)
    seconds["deep_evaluation_1000"] = evaluation
    print(json.dumps({"threads": threads, "seconds": seconds, "notes": notes}))


if __name__ == "__main__":
    main(sys.argv[1:])
