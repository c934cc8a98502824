"""Where the time of a conv-net workload goes, by cProfile, and what that allows.

Splits a workload's wall time, on the one-thread fast path (``accelerate(network,
threads=1)``: the channels-last plan of ``reference.fast``), into the parts that are
matrix products (which BLAS spreads over every core) and the parts that are NumPy copies
and element-wise passes (one core, memory-bound): the window copies, ReLU and pooling,
softmax, the optimizer. From the split follows a bound (Amdahl's law): even if the
matrix products ran at the full GEMM peak, the single-threaded parts alone cap the
workload's fraction of peak at
    (FLOPs / peak) / (FLOPs / peak + single-threaded seconds).
cProfile adds a little to each Python call, so the single-threaded shares are slightly
pessimistic. With ``threads=2`` (the experiments' and the bench's comparison rows) the
batch is split over both cores and every part but the optimizer runs on both.
"""

import cProfile
import dataclasses
import pstats

import numpy as np

from reference import Adam, DeepConvNet, SimpleConvNet
from reference.fast import accelerate, kernels, plan
from reference.layers import SoftmaxWithLoss

from .flops import TRAINING_STEP_FACTOR, network_forward_flops

__all__ = ["Part", "Profile", "profile_workloads", "format_profile"]

BATCH = 100

WINDOWS = "window copies (im2col, channels-last)"
CONVOLUTION = "Convolution: matrix products, bias, padding"
# (label, functions whose cumulative time it is, runs on all cores?)
_PARTS = (
    (WINDOWS, (kernels.windows, kernels.plane_windows), False),
    (CONVOLUTION, (plan._Conv.forward, plan._Conv.backward), True),
    ("Affine (and the flatten to the book's order): matrix products, bias",
     (plan._Affine.forward, plan._Affine.backward, plan._Flatten.forward, plan._Flatten.backward), True),
    ("ReLU and 2×2 max pooling (fused)", (plan._PoolRelu.forward, plan._PoolRelu.backward, plan._Relu.forward,
                                          plan._Relu.backward, plan._VectorRelu.forward, plan._VectorRelu.backward),
     False),
    ("softmax with loss", (SoftmaxWithLoss.forward, SoftmaxWithLoss.backward), False),
    ("Adam update", (Adam.update,), False),
)


@dataclasses.dataclass(frozen=True)
class Part:
    label: str
    seconds: float
    parallel: bool


@dataclasses.dataclass(frozen=True)
class Profile:
    workload: str
    seconds: float
    flops: float
    parts: tuple

    @property
    def single_threaded_seconds(self):
        return sum(part.seconds for part in self.parts if not part.parallel)

    def bound(self, peak_gflops):
        """Fraction of peak reachable with matrix products at the GEMM peak and the rest as measured."""
        ideal = self.flops / (peak_gflops * 1e9)
        return ideal / (ideal + self.single_threaded_seconds)


def _cumulative(stats, function):
    code = function.__code__
    key = (code.co_filename, code.co_firstlineno, code.co_name)
    entry = stats.stats.get(key)
    return 0.0 if entry is None else entry[3]


def _profile(workload, flops, run):
    profiler = cProfile.Profile()
    profiler.enable()
    run()
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = stats.total_tt
    seconds = {label: sum(_cumulative(stats, f) for f in functions) for label, functions, _ in _PARTS}
    # The window copies run inside the convolution steps: count them once, as copies.
    seconds[CONVOLUTION] -= seconds[WINDOWS]
    parts = [Part(label, seconds[label], parallel) for label, _, parallel in _PARTS if seconds[label] > 0]
    rest = total - sum(part.seconds for part in parts)
    parts.append(Part("rest (Python, batch drawing, dropout)", max(rest, 0.0), False))
    return Profile(workload, total, flops, tuple(parts))


def _training_profile(network_class, label, n_steps, x_train, t_train, seed):
    """`n_steps` Trainer-like steps (gradient, Adam update, loss) of the one-thread fast path, profiled."""
    np.random.seed(seed)
    network = accelerate(network_class(), threads=1)
    optimizer = Adam(lr=0.001)
    # gradient (forward + the two backward products) + the Trainer's loss (one more forward)
    step_flops = (TRAINING_STEP_FACTOR + 1) * network_forward_flops(network, x_train[:1]) * BATCH

    def steps():
        for _ in range(n_steps):
            batch = np.random.choice(x_train.shape[0], BATCH)
            x, t = x_train[batch], t_train[batch]
            optimizer.update(network.params, network.gradient(x, t))
            network.loss(x, t)

    steps()  # warm-up: Adam's state, the dropout shapes
    return _profile(f"{label} training, {n_steps} steps of {BATCH} (gradient, Adam, loss)",
                    step_flops * n_steps, steps)


def profile_workloads(options):
    """Profiles of DeepConvNet inference (1,000 test images), SimpleConvNet (10 steps) and DeepConvNet (3 steps) training.

    The one-thread fast path (``accelerate(network, threads=1)``: the channels-last plan,
    ReLU and pooling fused), float64; cProfile sees one thread only, so the data-parallel
    threads are left out here and discussed in docs/performance.md.
    """
    from data import book_params_path, load_mnist

    (x_train, t_train), (x_test, t_test) = load_mnist(normalize=True, flatten=False)
    n_images, n_steps = (BATCH, 1) if options.smoke else (1000, 10)

    deep = accelerate(DeepConvNet(), threads=1)
    deep.load_params(book_params_path("ch08/deep_convnet_params.pkl"))
    deep_flops = network_forward_flops(deep, x_test[:1]) * n_images
    deep.accuracy(x_test[:10], t_test[:10])
    profiles = [_profile(f"DeepConvNet inference, {n_images:,} test images", deep_flops,
                         lambda: deep.accuracy(x_test[:n_images], t_test[:n_images], batch_size=BATCH))]

    profiles.append(_training_profile(SimpleConvNet, "SimpleConvNet", n_steps, x_train, t_train, options.seed))
    profiles.append(_training_profile(DeepConvNet, "DeepConvNet", 1 if options.smoke else 3, x_train, t_train,
                                      options.seed))
    return profiles


def format_profile(profile, peak_gflops, markdown=False):
    """One profile as a table: part, seconds, share, where it runs; then the bound."""
    rows = [("part", "seconds", "share", "runs on")]
    for part in profile.parts:
        rows.append((part.label, f"{part.seconds:.3f}", f"{part.seconds / profile.seconds:.0%}",
                     "all cores (BLAS)" if part.parallel else "one core (NumPy)"))
    achieved = profile.flops / profile.seconds / 1e9
    summary = (f"{profile.workload}: {profile.seconds:.2f} s under cProfile, {achieved:.1f} GFLOP/s = "
               f"{achieved / peak_gflops:.0%} of peak; single-threaded parts {profile.single_threaded_seconds:.2f} s "
               f"({profile.single_threaded_seconds / profile.seconds:.0%}). Bound with matrix products at the "
               f"GEMM peak: {profile.bound(peak_gflops):.0%} of peak.")
    if markdown:
        lines = ["| " + " | ".join(rows[0]) + " |", "| --- | ---: | ---: | --- |"]
        lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    else:
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        lines = ["  ".join(c.rjust(w) if i in (1, 2) else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths)))
                 .rstrip() for row in rows]
    return summary + "\n\n" + "\n".join(lines) + "\n"
