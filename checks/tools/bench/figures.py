"""The figures of ``make bench``, one function per table row, all timed on the wall clock.

Each returns a Measurement: seconds, the FLOPs its matrix products perform (from
``flops``; None where nothing is counted) and a note. ``figures_for(options)`` lists
them in table order, the GEMM peak first. ``options.smoke`` shrinks every workload
to a token size, so a test can run the whole table in seconds.
"""

import dataclasses
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable, Optional

import numpy as np

from reference import Adam, DeepConvNet, SimpleConvNet
from reference.fast import accelerate, kernels
from reference.layers import Convolution

from .flops import TRAINING_STEP_FACTOR, conv_forward_flops, network_forward_flops
from .threaded import measure_in_child
from .timing import best_of, timed

__all__ = ["Options", "Measurement", "Figure", "figures_for", "REPO_ROOT"]

REPO_ROOT = Path(__file__).resolve().parents[3]
BATCH = 100  # the book's mini-batch for the conv nets (train_convnet.py, train_deepnet.py)
MNIST_TRAIN_SIZE = 60_000


@dataclasses.dataclass(frozen=True)
class Options:
    """What to run. smoke: token workloads (for the test); make_check: time `make check`;
    full_epoch: train a real SimpleConvNet epoch instead of extrapolating; steps: timed
    training steps for the extrapolation; seed: of every random input."""
    smoke: bool = False
    make_check: bool = True
    full_epoch: bool = False
    steps: int = 20
    seed: int = 0


@dataclasses.dataclass(frozen=True)
class Measurement:
    """One row of the table."""
    figure: str
    seconds: Optional[float]  # None: not measured in this run (the note says why)
    flops: Optional[float] = None
    note: str = ""

    @property
    def gflops_per_second(self):
        return None if self.flops is None or self.seconds is None else self.flops / self.seconds / 1e9


@dataclasses.dataclass(frozen=True)
class Figure:
    """A named measurement, run by ``measure(options)``."""
    name: str
    measure: Callable[[Options], Measurement]


def gemm_peak(options):
    """Float64 GEMM throughput: best of several n×n products, n = 2048 (both cores)."""
    n, repeats = (256, 2) if options.smoke else (2048, 5)
    rng = np.random.default_rng(options.seed)
    a, b = rng.random((n, n)), rng.random((n, n))
    a @ b  # warm-up: BLAS threads start, pages are mapped
    seconds = best_of(lambda: a @ b, repeats)
    return Measurement(f"GEMM float64 {n}×{n}×{n} (best of {repeats})", seconds, 2.0 * n ** 3,
                       "the peak the other rows are compared with")


def _conv_layers():
    """(network name, index, Convolution layer with its input) of both conv nets, book defaults."""
    found = []
    for name, network in (("DeepConvNet", DeepConvNet()), ("SimpleConvNet", SimpleConvNet())):
        network.predict(np.zeros((1, 1, 28, 28)))  # every layer records its input shape
        layers = network.layers.values() if isinstance(network.layers, dict) else network.layers
        convs = [layer for layer in layers if isinstance(layer, Convolution)]
        found += [(name, i, layer) for i, layer in enumerate(convs, start=1)]
    return found


def _conv_figure(name, index, layer):
    n_filters, channels, filter_h, filter_w = layer.W.shape
    _, _, height, width = layer.x.shape
    label = (f"{name} conv{index}: {n_filters}×{channels}×{filter_h}×{filter_w} on {height}×{width}, "
             f"pad {layer.pad} (fwd+bwd)")

    def measure(options):
        batch, repeats = (2, 1) if options.smoke else (BATCH, 5)
        rng = np.random.default_rng(options.seed)
        # The channels-last kernels the experiments run (reference.fast.plan), not the book's layer.
        W, b = rng.standard_normal(layer.W.shape), rng.standard_normal(n_filters)
        x = np.ascontiguousarray(kernels.to_nhwc(rng.standard_normal((batch, channels, height, width))))
        weights = kernels.filters_matrix(W)
        out = kernels.conv_forward(kernels.padded(x, layer.pad), weights, b, filter_h, filter_w)
        dout = rng.standard_normal(out.shape)

        def step():
            xp = kernels.padded(x, layer.pad)
            if channels == 1:  # as the plan runs a first layer: its windows kept for dW
                _, col = kernels.conv_forward(xp, kernels.filters_matrix(W), b, filter_h, filter_w, keep_windows=True)
            else:
                kernels.conv_forward(xp, kernels.filters_matrix(W), b, filter_h, filter_w)
                col = None
            kernels.conv_backward(dout, W, xp, x.shape, layer.pad, col=col)

        step()
        seconds = best_of(step, repeats)
        flops = TRAINING_STEP_FACTOR * conv_forward_flops((batch, channels, height, width), W.shape, layer.stride,
                                                          layer.pad)
        return Measurement(label, seconds, flops, f"batch {batch}, best of {repeats}, float64")

    return Figure(label, measure)


def _mnist():
    from data import load_mnist  # data/ is the only door to the cache

    (x_train, t_train), (x_test, t_test) = load_mnist(normalize=True, flatten=False)
    return (x_train, t_train), (x_test, t_test)


def deep_convnet_inference(options):
    """DeepConvNet with the book's weights, accuracy on the test images in batches of 100."""
    from data import book_params_path

    _, (x_test, t_test) = _mnist()
    if options.smoke:
        x_test, t_test = x_test[:BATCH], t_test[:BATCH]
    network = accelerate(DeepConvNet(), threads=1)
    network.load_params(book_params_path("ch08/deep_convnet_params.pkl"))
    flops_per_image = network_forward_flops(network, x_test[:1])
    network.accuracy(x_test[:10], t_test[:10])  # warm-up: first-call costs stay out of the figure
    seconds, accuracy = timed(lambda: network.accuracy(x_test, t_test, batch_size=BATCH))
    n = x_test.shape[0]
    return Measurement(f"DeepConvNet inference, {n:,} test images (pretrained)", seconds,
                       flops_per_image * n, f"accuracy {accuracy:.4f}; {flops_per_image / 1e6:.1f} MFLOP/image")


def deep_convnet_inference_threaded(options, workers=2, dtype="float64"):
    """The same inference on `workers` threads with one BLAS thread each (a child process), in `dtype`."""
    result = measure_in_child(REPO_ROOT, workers, options.smoke, dtype)
    network = DeepConvNet()
    _, (x_test, _) = _mnist()
    flops_per_image = network_forward_flops(network, x_test[:1])
    n = result["images"]
    return Measurement(f"DeepConvNet inference, {n:,} test images, {workers} threads × 1 BLAS thread, {dtype}",
                       result["seconds"], flops_per_image * n,
                       f"accuracy {result['accuracy']:.4f}; accelerate(network, threads={workers})")


def _simple_convnet_training(options):
    (x_train, t_train), _ = _mnist()
    np.random.seed(options.seed)
    network = accelerate(SimpleConvNet(), threads=1)
    optimizer = Adam(lr=0.001)
    flops_per_image = network_forward_flops(network, x_train[:1])

    def step():
        batch = np.random.choice(x_train.shape[0], BATCH)
        grads = network.gradient(x_train[batch], t_train[batch])
        optimizer.update(network.params, grads)

    step()  # warm-up (and Adam's state arrays)
    return step, TRAINING_STEP_FACTOR * flops_per_image * BATCH


def simple_convnet_training_step(options):
    """One SimpleConvNet step, gradient + Adam update, batch 100 (train_convnet.py's)."""
    step, flops = _simple_convnet_training(options)
    repeats = 1 if options.smoke else 10
    seconds = best_of(step, repeats)
    return Measurement(f"SimpleConvNet training step (batch {BATCH}, Adam)", seconds, flops,
                       f"best of {repeats}; includes drawing the batch")


def simple_convnet_epoch(options):
    """One epoch of SimpleConvNet training, 600 steps of 100: measured, or extrapolated from some steps."""
    step, flops = _simple_convnet_training(options)
    steps_per_epoch = MNIST_TRAIN_SIZE // BATCH
    if options.full_epoch and not options.smoke:
        seconds, _ = timed(lambda: [step() for _ in range(steps_per_epoch)])
        note = f"measured: {steps_per_epoch} steps"
    else:
        steps = 1 if options.smoke else options.steps
        measured, _ = timed(lambda: [step() for _ in range(steps)])
        seconds = measured / steps * steps_per_epoch
        note = f"EXTRAPOLATED from {steps} consecutive steps ×{steps_per_epoch} (--full-epoch to measure)"
    return Measurement(f"SimpleConvNet epoch (60,000 images)", seconds, flops * steps_per_epoch, note)


def weight_init_iteration(options):
    """The chapter 6 weight-init comparison (three 784-100×4-10 nets, SGD, batch 128), per iteration."""
    from reference import MultiLayerNet
    from reference.experiments.ch06_weight_init import weight_init_comparison

    iterations = 1 if options.smoke else 50
    weight_init_comparison(iterations=1, seed=options.seed)  # warm-up: MNIST decoded and memoized
    seconds, result = timed(lambda: weight_init_comparison(iterations=iterations, seed=options.seed))
    n_networks = len(result["train_loss"])
    network = MultiLayerNet(input_size=784, hidden_size_list=[100] * 4, output_size=10)
    per_sample = network_forward_flops(network, np.zeros((1, 784)))
    # gradient (forward + dW, dx products) plus the recorded loss (one more forward)
    flops = n_networks * 128 * per_sample * (TRAINING_STEP_FACTOR + 1)
    return Measurement("ch06 weight-init comparison, per iteration (3 nets)", seconds / iterations, flops,
                       f"mean of {iterations} iterations, setup included")


def make_check(options):
    """Wall time of `make check` (the fast suite under xdist), run as a child process."""
    make = shutil.which("make")
    if make is None:
        raise RuntimeError("make bench: `make` is not on PATH; rerun with --no-make-check")
    seconds, completed = timed(lambda: subprocess.run(
        [make, "--no-print-directory", "check", "PYTEST_ARGS=-q -p no:cacheprovider"],
        cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
    tail = completed.stdout.strip().splitlines()[-1:] or ["(no output)"]
    status = "passed" if completed.returncode == 0 else f"FAILED (exit {completed.returncode})"
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout[-4000:])
    return Measurement(MAKE_CHECK_LABEL, seconds, None, f"{status}: {tail[0]}")


MAKE_CHECK_LABEL = "make check (fast suite, xdist)"


def make_check_skipped():
    """The make check row of a run with --no-make-check, so the table keeps a row per figure."""
    return Measurement(MAKE_CHECK_LABEL, None, None, "not measured in this run (--no-make-check)")


def figures_for(options):
    """The table's rows, in order: GEMM peak, conv layers, networks, ch06, make check."""
    figures = [Figure("gemm", gemm_peak)]
    figures += [_conv_figure(name, index, layer) for name, index, layer in _conv_layers()]
    figures += [
        Figure("deep_convnet_inference", deep_convnet_inference),
        Figure("deep_convnet_inference_threaded", deep_convnet_inference_threaded),
        Figure("deep_convnet_inference_threaded_float32",
               lambda options: deep_convnet_inference_threaded(options, dtype="float32")),
        Figure("simple_convnet_step", simple_convnet_training_step),
        Figure("simple_convnet_epoch", simple_convnet_epoch),
        Figure("weight_init_iteration", weight_init_iteration),
    ]
    if options.make_check and not options.smoke:
        figures.append(Figure("make_check", make_check))
    return figures
