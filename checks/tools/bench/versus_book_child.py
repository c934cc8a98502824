"""Child process of the versus-the-book rows (see ``versus_book``): times the book's own code and ours, interleaved.

Usage: ``python -m checks.tools.bench.versus_book_child BOOK_FOLDER THREADS REPEATS [--smoke]``,
with BLAS's thread count fixed by the parent's environment. BOOK_FOLDER is the parent's
temporary copy of the book's repository. Every workload runs the book's network (its own
layers, its Adam, loaded from that folder with the harness's book-layout loader, as
grading does) and the reference's (``reference.fast.accelerate(network, threads=THREADS)``:
the channels-last plan, the batch split over THREADS threads), in float64 and in float32,
one after the other, REPEATS rounds, so all see the same machine; each keeps its best
(least disturbed) time. Prints one JSON line:
{"seconds": {workload: {"book": s, "ours": s, "ours_float32": s}}, "cpu_seconds": {...}, "notes": {...}},
cpu_seconds holding the process's least CPU time (every thread) of one call (of one step
for the training steps, which are timed STEPS_PER_CALL in a row): on a
busy machine the wall times of a two-thread run suffer more than a one-thread run's, and
the CPU times show what each side costs regardless.
"""

import json
import sys
import time

import numpy as np

from checks.isolation.intake.spec import component_table
from checks.isolation.child.sandboxed.workspace import Workspace
from data import book_params_path, load_mnist
from reference import Adam, DeepConvNet, SimpleConvNet
from reference.fast import accelerate, cast_network, install_threaded_update

BATCH = 100
INFERENCE_IMAGES = 2000
# A training step is timed as training runs it: this many steps in a row on each side per
# call, reported per step. One step alone, right after the other side's, starts with the
# caches full of the other side's arrays, which costs the smaller working set the most:
# measured (2026-12-07, two threads, SimpleConvNet float32, best of 10-30 interleaved
# rounds) ours took 16.1-17.0 ms per step one at a time, 14.6-15.8 five in a row and
# 13.4-14.6 ten in a row, while the book's took 143-159 ms in every case.
STEPS_PER_CALL = 5


CPU = {}  # workload -> {name: least CPU seconds (all threads of this process) of one call, or of one step}


def _timed(function):
    start, start_cpu = time.perf_counter(), time.process_time()
    result = function()
    return time.perf_counter() - start, time.process_time() - start_cpu, result


def _interleaved(pairs, repeats, workload=None):
    """{name: best seconds} over `repeats` rounds, each round calling every function once, in order.

    With `workload`, the CPU time of each best call is kept in CPU[workload].
    """
    best = {name: float("inf") for name in pairs}
    cpu = {}
    results = {}
    for name, function in pairs.items():
        results[name] = function()  # warm-up: first-call costs (Adam's state, page faults) stay out
    for _ in range(repeats):
        for name, function in pairs.items():
            seconds, cpu_seconds, results[name] = _timed(function)
            best[name] = min(best[name], seconds)
            cpu[name] = min(cpu.get(name, float("inf")), cpu_seconds)
    if workload is not None:
        CPU[workload] = cpu
    return best, results


def _training_step(network, optimizer, x_train, t_train, batches, steps=1):
    """`steps` of the Trainer's train_step in a row, without its epoch evaluations: gradient, Adam update, loss (book §6.4.3)."""
    position = [0]

    def step():
        for _ in range(steps):
            batch = batches[position[0] % len(batches)]
            position[0] += 1
            x, t = x_train[batch], t_train[batch]
            grads = network.gradient(x, t)
            optimizer.update(network.params, grads)
            loss = network.loss(x, t)
        return loss

    return step


def _our_adam(threads):
    return install_threaded_update(Adam(lr=0.001), threads)


def _ours(network_class, threads, dtype, params=None):
    np.random.seed(0)
    network = accelerate(network_class(), threads=threads)
    if params is not None:
        network.load_params(params)
    return cast_network(network, dtype)


def main(argv):
    book_folder, threads, repeats = argv[0], int(argv[1]), int(argv[2])
    smoke = "--smoke" in argv
    book = Workspace(book_folder, component_table())
    book_simple, book_deep, book_adam = (book.resolve(name) for name in ("SimpleConvNet", "DeepConvNet", "Adam"))
    (x_train, t_train), (x_test, t_test) = load_mnist(normalize=True, flatten=False)
    x_train = x_train.astype(np.float64)  # the book's own load_mnist hands float32; both nets get the same
    n_inference = BATCH if smoke else INFERENCE_IMAGES
    x_test, t_test = x_test[:n_inference].astype(np.float64), t_test[:n_inference]
    rng = np.random.default_rng(0)
    batches = [rng.integers(0, x_train.shape[0], BATCH) for _ in range(8)]
    x_train32, x_test32 = x_train.astype(np.float32), x_test.astype(np.float32)
    seconds, notes = {}, {}

    # DeepConvNet inference with the published weights: accuracy() over 2,000 test images.
    params = str(book_params_path("ch08/deep_convnet_params.pkl"))
    np.random.seed(0)
    theirs = book_deep()
    theirs.load_params(params)
    ours64 = _ours(DeepConvNet, threads, np.float64, params)
    ours32 = _ours(DeepConvNet, threads, np.float32, params)
    best, results = _interleaved({"book": lambda: theirs.accuracy(x_test, t_test, batch_size=BATCH),
                                  "ours": lambda: ours64.accuracy(x_test, t_test, batch_size=BATCH),
                                  "ours_float32": lambda: ours32.accuracy(x_test32, t_test, batch_size=BATCH)},
                                 repeats, "deep_inference")
    seconds["deep_inference"] = best
    notes["deep_inference"] = {"images": n_inference, "accuracy_book": results["book"],
                               "accuracy_ours": results["ours"], "accuracy_ours_float32": results["ours_float32"]}
    seconds["deep_evaluation_1000"], _ = _interleaved(
        {"ours": lambda: ours64.accuracy(x_test[:1000], t_test[:1000]),
         "ours_float32": lambda: ours32.accuracy(x_test32[:1000], t_test[:1000])}, repeats)

    for name, book_class, our_class, rounds in (("simple_step", book_simple, SimpleConvNet, 3 * repeats),
                                                ("deep_step", book_deep, DeepConvNet, repeats)):
        np.random.seed(0)
        theirs = book_class()
        in_row = 1 if smoke else STEPS_PER_CALL
        # Ours as the experiments train: the reference's Adam with its update split over the
        # network's threads (reference.fast.adam; bit-identical to the one-thread update).
        steps = {"book": _training_step(theirs, book_adam(lr=0.001), x_train, t_train, batches, in_row),
                 "ours": _training_step(_ours(our_class, threads, np.float64), _our_adam(threads),
                                        x_train, t_train, batches, in_row),
                 "ours_float32": _training_step(_ours(our_class, threads, np.float32), _our_adam(threads),
                                                x_train32, t_train, batches, in_row)}
        best, _ = _interleaved(steps, 1 if smoke else rounds, name)
        seconds[name] = {who: value / in_row for who, value in best.items()}
        CPU[name] = {who: value / in_row for who, value in CPU[name].items()}
    # The SimpleConvNet accuracy on 1,000 images: train_convnet.py evaluates 1,000 training and
    # 1,000 test images per epoch, and the whole test set once at the end.
    simple64, simple32 = _ours(SimpleConvNet, threads, np.float64), _ours(SimpleConvNet, threads, np.float32)
    seconds["simple_evaluation_1000"], _ = _interleaved(
        {"ours": lambda: simple64.accuracy(x_test[:1000], t_test[:1000]),
         "ours_float32": lambda: simple32.accuracy(x_test32[:1000], t_test[:1000])}, repeats)
    print(json.dumps({"threads": threads, "seconds": seconds, "cpu_seconds": CPU, "notes": notes}))


if __name__ == "__main__":
    main(sys.argv[1:])
