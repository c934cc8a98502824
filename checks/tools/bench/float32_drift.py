"""`python -m checks.tools.bench.float32_drift`: is SimpleConvNet's float32 training wrong, or only elsewhere?

Two measurements behind docs/performance.md's "float32 → Training" (issue #26 asks for the cause
of the float32 runs' lower final accuracy before float32 training is ruled out):

1. **One step's arithmetic.** At the published ``ch07/params.pkl`` weights, the gradient of
   every parameter in float32 (the fast path, as the trainings run it) against float64, relative
   norm of the difference, median over batches of 100 training images. The last Affine layer is
   also scaled ×2 and ×4, so that many true-class probabilities round to exactly 1.0 in float32
   (the softmax's y − t then loses its zero sum there), to see whether a confident network's
   gradient degrades.
2. **The trajectory.** The same fresh SimpleConvNet (seed 0) and the same batches, trained by
   Adam three ways: float64; float64 from a start only rounded to float32; float32. The relative
   distance of the weights from the float64 run, and the accuracy on the first 2,000 test images,
   at a few steps. When a perturbation of float32's size at the start alone grows as fast as
   float32's, the run is chaotic and any rounding (float32, two threads' summation order, another
   seed) ends on another trajectory.

Not a test and not part of ``make bench`` (minutes of CPU): a measurement to rerun when the
question comes back. ``--steps`` sets the trajectory's length (default 300).
"""

import argparse

import numpy as np

from reference import SimpleConvNet
from reference.experiments._mnist import mnist
from reference.fast import accelerate, cast_network
from reference.optimizers import Adam

__all__ = ["step_errors", "trajectories", "main"]

REPORT_STEPS = (1, 10, 30, 100, 300, 600, 1200, 2400, 6000, 12000)


def _published(dtype, scale):
    from data import book_params_path

    network = accelerate(SimpleConvNet(), threads=1)
    network.load_params(book_params_path("ch07/params.pkl"))
    for key in ("W3", "b3"):
        network.params[key][...] *= scale
    if dtype != np.float64:
        cast_network(network, dtype)
    return network


def step_errors(x_train, t_train, scales=(1.0, 2.0, 4.0), batches=5, seed=0):
    """[(scale, share of true-class probabilities exactly 1.0 in float32, {param: median relative error})]."""
    rng = np.random.default_rng(seed)
    rows = []
    for scale in scales:
        net64, net32 = _published(np.float64, scale), _published(np.float32, scale)
        errors, saturated = {}, []
        for _ in range(batches):
            idx = rng.choice(x_train.shape[0], 100, replace=False)
            x, t = x_train[idx], t_train[idx]
            g64, g32 = net64.gradient(x, t), net32.gradient(x.astype(np.float32), t)
            scores = net32.predict(x.astype(np.float32))
            y = np.exp(scores - scores.max(axis=1, keepdims=True))
            y /= y.sum(axis=1, keepdims=True)
            saturated.append(np.mean(y[np.arange(t.size), t] == 1.0))
            for key in g64:
                errors.setdefault(key, []).append(np.linalg.norm(g32[key] - g64[key]) / np.linalg.norm(g64[key]))
        rows.append((scale, float(np.mean(saturated)), {k: float(np.median(v)) for k, v in errors.items()}))
    return rows


def _fresh(kind):
    np.random.seed(0)
    network = accelerate(SimpleConvNet(), threads=1)
    if kind == "rounded start":
        for value in network.params.values():
            value[...] = value.astype(np.float32)
    elif kind == "float32":
        cast_network(network, np.float32)
    return network


def _distance(a, b):
    num = sum(np.sum((a.params[k].astype(np.float64) - b.params[k]) ** 2) for k in a.params)
    return float(np.sqrt(num / sum(np.sum(b.params[k] ** 2) for k in b.params)))


def trajectories(x_train, t_train, x_test, t_test, steps, seed=1, test_images=2000):
    """[(step, {kind: distance from float64}, {kind: accuracy on the first test_images})] at REPORT_STEPS."""
    runs = {kind: (_fresh(kind), Adam(lr=0.001)) for kind in ("float64", "rounded start", "float32")}
    rng = np.random.default_rng(seed)
    rows = []
    for step in range(1, steps + 1):
        idx = rng.integers(0, x_train.shape[0], 100)
        for kind, (network, optimizer) in runs.items():
            x = x_train[idx].astype(network.params["W1"].dtype)
            optimizer.update(network.params, network.gradient(x, t_train[idx]))
        if step in REPORT_STEPS or step == steps:
            base = runs["float64"][0]
            rows.append((step, {k: _distance(n, base) for k, (n, _) in runs.items() if k != "float64"},
                         {k: float(n.accuracy(x_test[:test_images].astype(n.params["W1"].dtype), t_test[:test_images]))
                          for k, (n, _) in runs.items()}))
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m checks.tools.bench.float32_drift", description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=300, help="Adam steps of the trajectory (default 300)")
    parser.add_argument("--batches", type=int, default=5, help="batches of 100 per gradient comparison (default 5)")
    args = parser.parse_args(argv)
    (x_train, t_train), (x_test, t_test) = mnist(normalize=True, flatten=False)
    print("One step at the published ch07/params.pkl: float32 gradient against float64 (relative, median)")
    for scale, saturated, errors in step_errors(x_train, t_train, batches=args.batches):
        print(f"  last layer ×{scale:g}: true-class probability exactly 1.0 in float32 for {saturated:.1%}; "
              + ", ".join(f"{k} {v:.1e}" for k, v in errors.items()))
    print("Same start, same batches: distance of the weights from the float64 run (relative); accuracy on 2,000 test images")
    for step, distances, accuracies in trajectories(x_train, t_train, x_test, t_test, args.steps):
        print(f"  step {step}: " + ", ".join(f"{k} {v:.2e}" for k, v in distances.items())
              + "; accuracy " + ", ".join(f"{k} {v:.4f}" for k, v in accuracies.items()), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
