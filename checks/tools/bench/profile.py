"""Where the time of a conv-net workload goes, by cProfile on CPU time, and what two threads can make of it.

The fast path as the experiments run it on each thread (``accelerate(network,
threads=1)``: the channels-last plan of ``reference.fast``) runs in a child process
(``python -m checks.tools.bench.profile``) with one BLAS thread, profiled with the
process's CPU time as the clock: the figures are the work each part costs, and stay
comparable on a busy machine (wall-clock profiles do not). Parts: the window copies,
the convolutions' matrix products (with bias and padding), the Affine layers, ReLU and
pooling, softmax, the optimizer, the rest (Python, batch drawing, dropout).

With ``threads=2`` (the experiments' book-size runs and the bench's comparison with the
book) every part of the network, and the reference Adam's update
(``reference.fast.adam``), is split over both cores, but the batch drawing and the rest run
on the calling thread alone, so a step takes at least (split parts) / 2 + (serial parts):
the bound printed with each profile. The update is profiled as the reference's own
(``Adam.update``, one thread), a little dearer than the split one's CPU time. cProfile
adds a little to each Python call, so the shares of the small parts are slightly
pessimistic.
"""

import cProfile
import dataclasses
import json
import os
import pstats
import subprocess
import sys
import time

__all__ = ["Part", "Profile", "profile_workloads", "format_profile"]

BATCH = 100
ADAM = "Adam update (split over the threads: reference/fast/adam.py)"
REST = "rest (Python, batch drawing, dropout)"


@dataclasses.dataclass(frozen=True)
class Part:
    label: str
    seconds: float
    serial: bool  # runs on the calling thread alone when the batch is split over threads


@dataclasses.dataclass(frozen=True)
class Profile:
    workload: str
    seconds: float
    flops: float
    parts: tuple

    @property
    def serial_seconds(self):
        return sum(part.seconds for part in self.parts if part.serial)

    def two_thread_bound(self):
        """Seconds of the workload on two threads if the network's parts split perfectly."""
        return (self.seconds - self.serial_seconds) / 2 + self.serial_seconds


def _parts():
    from reference import Adam
    from reference.fast import kernels, plan
    from reference.layers import SoftmaxWithLoss

    # (label, functions whose cumulative time it is, serial?)
    return (
        ("window copies (im2col, channels-last)", (kernels.windows, kernels.plane_windows), False),
        ("Convolution: matrix products, bias, padding", (plan._Conv.forward, plan._Conv.backward), False),
        ("Affine (and the flatten to the book's order)",
         (plan._Affine.forward, plan._Affine.backward, plan._Flatten.forward, plan._Flatten.backward), False),
        ("ReLU and 2×2 max pooling (fused)", (plan._PoolRelu.forward, plan._PoolRelu.backward, plan._Relu.forward,
                                              plan._Relu.backward, plan._VectorRelu.forward,
                                              plan._VectorRelu.backward), False),
        ("softmax with loss", (SoftmaxWithLoss.forward, SoftmaxWithLoss.backward), False),
        (ADAM, (Adam.update,), False),
    )


def _cumulative(stats, function):
    code = function.__code__
    key = (code.co_filename, code.co_firstlineno, code.co_name)
    entry = stats.stats.get(key)
    return 0.0 if entry is None else entry[3]


def _profile(workload, flops, run):
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    run()
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = stats.total_tt
    parts_spec = _parts()
    seconds = {label: sum(_cumulative(stats, f) for f in functions) for label, functions, _ in parts_spec}
    # The window copies run inside the convolution steps: count them once, as copies.
    windows, convolution = parts_spec[0][0], parts_spec[1][0]
    seconds[convolution] -= seconds[windows]
    parts = [Part(label, seconds[label], serial) for label, _, serial in parts_spec if seconds[label] > 0]
    rest = total - sum(part.seconds for part in parts)
    parts.append(Part(REST, max(rest, 0.0), True))
    return Profile(workload, total, flops, tuple(parts))


def _training_profile(network_class, label, n_steps, x_train, t_train, seed, dtype):
    """`n_steps` Trainer-like steps (gradient, Adam update, loss) of the one-thread fast path, profiled."""
    import numpy as np

    from reference import Adam
    from reference.fast import accelerate, cast_network

    from .flops import TRAINING_STEP_FACTOR, network_forward_flops

    np.random.seed(seed)
    network = cast_network(accelerate(network_class(), threads=1), dtype)
    x_train = x_train.astype(dtype)
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
    return _profile(f"{label} training in {np.dtype(dtype).name}, {n_steps} steps of {BATCH} (gradient, Adam, loss)",
                    step_flops * n_steps, steps)


def _workloads(smoke):
    """Profiles of DeepConvNet inference (1,000 test images) and of SimpleConvNet (10 steps) and DeepConvNet
    (3 steps) training, in float32, the fast path's type (float64 costs about twice as much)."""
    import numpy as np

    from data import book_params_path, load_mnist
    from reference import DeepConvNet, SimpleConvNet
    from reference.fast import accelerate, cast_network

    from .flops import network_forward_flops

    (x_train, t_train), (x_test, t_test) = load_mnist(normalize=True, flatten=False)
    n_images, n_steps = (BATCH, 1) if smoke else (1000, 10)
    deep = accelerate(DeepConvNet(), threads=1)
    deep.load_params(book_params_path("ch08/deep_convnet_params.pkl"))
    cast_network(deep, np.float32)
    x_test = x_test.astype(np.float32)
    deep_flops = network_forward_flops(deep, x_test[:1]) * n_images
    deep.accuracy(x_test[:10], t_test[:10])
    profiles = [_profile(f"DeepConvNet inference in float32, {n_images:,} test images", deep_flops,
                         lambda: deep.accuracy(x_test[:n_images], t_test[:n_images], batch_size=BATCH))]
    profiles.append(_training_profile(SimpleConvNet, "SimpleConvNet", n_steps, x_train, t_train, 0, np.float32))
    profiles.append(_training_profile(DeepConvNet, "DeepConvNet", 1 if smoke else 3, x_train, t_train, 0,
                                      np.float32))
    return profiles


def profile_workloads(repo_root, smoke=False):
    """The profiles, measured in a child process with one BLAS thread."""
    from ...library.blas import blas_thread_settings

    env = dict(os.environ, **blas_thread_settings(1))
    command = [sys.executable, "-m", "checks.tools.bench.profile", *(["--smoke"] if smoke else [])]
    completed = subprocess.run(command, cwd=repo_root, env=env, capture_output=True, text=True)
    if completed.returncode != 0:
        raise RuntimeError(f"the profile child failed (exit {completed.returncode}):\n{completed.stderr[-2000:]}")
    return [Profile(p["workload"], p["seconds"], p["flops"], tuple(Part(**part) for part in p["parts"]))
            for p in json.loads(completed.stdout.strip().splitlines()[-1])]


def format_profile(profile, markdown=False):
    """One profile as a table: part, CPU seconds, share, whether it splits over threads; then the two-thread bound."""
    rows = [("part", "CPU seconds", "share", "with threads=2")]
    for part in profile.parts:
        rows.append((part.label, f"{part.seconds:.3f}", f"{part.seconds / profile.seconds:.0%}",
                     "calling thread only" if part.serial else "split over both"))
    achieved = profile.flops / profile.seconds / 1e9
    summary = (f"{profile.workload}: {profile.seconds:.2f} s of CPU under cProfile (one thread, one BLAS thread), "
               f"{achieved:.1f} GFLOP/s of matrix products; parts on the calling thread alone "
               f"{profile.serial_seconds:.3f} s ({profile.serial_seconds / profile.seconds:.0%}). On two threads at "
               f"best {profile.two_thread_bound():.2f} s ({profile.seconds / profile.two_thread_bound():.2f}× faster).")
    if markdown:
        lines = ["| " + " | ".join(rows[0]) + " |", "| --- | ---: | ---: | --- |"]
        lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    else:
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        lines = ["  ".join(c.rjust(w) if i in (1, 2) else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths)))
                 .rstrip() for row in rows]
    return summary + "\n\n" + "\n".join(lines) + "\n"


def main(argv):
    print(json.dumps([dataclasses.asdict(profile) for profile in _workloads("--smoke" in argv)]))


if __name__ == "__main__":
    main(sys.argv[1:])
