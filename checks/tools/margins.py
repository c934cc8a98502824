"""Re-measure the margins of the fast-tier stochastic regressions over several seeds.

Each regression in `checks/suite/test_claims_*.py` runs one experiment of
`reference.experiments` at a short budget with one fixed seed and asserts
thresholds; the comment beside each assertion gives the range the statistic took
over several seeds. This module recomputes those statistics, with the same
budgets as the tests, so the ranges can be checked and refreshed:

    python -m checks.tools.margins                      # every regression, seeds 0–4
    python -m checks.tools.margins weight_init --seeds 0-9

It prints, per regression, each statistic for every seed and its min / max.
Run it on a quiet machine: it trains networks (≈2 min of CPU per seed for all).
"""

import argparse
import math
import sys
import time

import numpy as np

from reference.experiments import (
    BOOK_WEIGHT_SCALES,
    activation_histograms,
    backprop_training,
    batch_norm_comparison,
    dropout_overfitting,
    final_accuracies,
    gradient_check_two_layer_net,
    hyperparameter_search,
    optimizer_comparison,
    simple_convnet_training,
    two_layer_net_training,
    weight_decay_overfitting,
    weight_init_comparison,
)

__all__ = ["MEASURES", "measure", "main"]

# Budgets of the fast tests (checks/suite/test_claims_ch06.py and friends).
REG_EPOCHS, REG_TEST_SIZE = 101, 500
BN_FAST_SCALE = BOOK_WEIGHT_SCALES[4]


def _window(losses, end, width=20):
    return float(np.mean(losses[end - width:end]))


def numerical_gradient_training(seed):
    kwargs = dict(iterations=3, hidden_size=5, batch_size=10, test_size=1000)
    numerical = two_layer_net_training(None, seed=seed, gradient="numerical", **kwargs)
    backprop = two_layer_net_training(None, seed=seed, gradient="backprop", **kwargs)
    return {"first-step drop": numerical["initial_loss"] - numerical["train_loss"][0],
            "max |numerical − backprop| loss": float(np.max(np.abs(numerical["train_loss"] - backprop["train_loss"])))}


def backprop_one_epoch(seed):
    data = backprop_training(None, seed=seed, iterations=601)
    train, test = data["train_acc"], data["test_acc"]
    return {"test acc at 0": test[0], "test acc at 600": test[-1], "train acc at 600": train[-1],
            "|train − test| at 600": abs(train[-1] - test[-1])}


def gradient_check_mnist(seed):
    result = gradient_check_two_layer_net(None, seed=seed, n_images=3, hidden_size=10)
    return {"max ratio max|diff|/max|grad|": max(s["max_abs_diff"] / s["max_abs_grad"] for s in result.values()),
            "max mean |diff|": max(s["mean_abs_diff"] for s in result.values())}


def optimizer_comparison_fast(seed):
    data = optimizer_comparison(None, seed=seed, iterations=100)
    loss = {name: _window(v, 100) for name, v in data["train_loss"].items()}
    others = max(loss[k] for k in ("Momentum", "AdaGrad", "Adam"))
    return {**{f"{k} loss 81–100": v for k, v in loss.items()}, "SGD / worst other": loss["SGD"] / others,
            "AdaGrad lowest (1 = yes)": float(loss["AdaGrad"] == min(loss.values()))}


def activation_histograms_sigmoid(seed):
    data = activation_histograms(None, seed=seed, activations=("sigmoid",))["sigmoid"]
    out = {}
    for init in ("std=1", "std=0.01", "Xavier"):
        hist = data[init]["hist"]
        total = hist.sum(axis=1)
        extremes = (hist[:, :3].sum(axis=1) + hist[:, -3:].sum(axis=1)) / total
        middle = hist[:, 12:18].sum(axis=1) / total
        out[f"{init}: min extremes"] = float(extremes.min())
        out[f"{init}: max extremes"] = float(extremes.max())
        out[f"{init}: min middle"] = float(middle.min())
        out[f"{init}: min std"] = float(np.min(data[init]["std"]))
        out[f"{init}: max std"] = float(np.max(data[init]["std"]))
    return out


def activation_histograms_relu(seed):
    data = activation_histograms(None, seed=seed, activations=("relu",), weight_inits=("std=0.01", "Xavier", "He"))["relu"]
    return {"He layer5/layer1 std": data["He"]["std"][4] / data["He"]["std"][0],
            "Xavier layer5/layer1 std": data["Xavier"]["std"][4] / data["Xavier"]["std"][0],
            "std=0.01 layer5 std": data["std=0.01"]["std"][4]}


def weight_init(seed):
    data = weight_init_comparison(None, seed=seed, iterations=200)
    loss = {name: _window(v, 200) for name, v in data["train_loss"].items()}
    return {**{f"{k} loss 181–200": v for k, v in loss.items()},
            "|std=0.01 − ln 10|": abs(loss["std=0.01"] - math.log(10)),
            "std=0.01 − Xavier": loss["std=0.01"] - loss["Xavier"], "Xavier − He": loss["Xavier"] - loss["He"]}


def batch_norm(seed):
    data = batch_norm_comparison(None, seed=seed, weight_scales=[BN_FAST_SCALE], epochs=11)
    plain, bn = data["train_acc"][0], data["bn_train_acc"][0]
    return {"BN train acc at end": bn[-1], "plain train acc at end": plain[-1], "BN − plain at end": bn[-1] - plain[-1],
            "min over epochs ≥ 2 of BN − plain": float(np.min(bn[2:] - plain[2:]))}


def overfitting(seed):
    decay = weight_decay_overfitting(None, seed=seed, epochs=REG_EPOCHS, test_size=REG_TEST_SIZE)
    final = final_accuracies(decay)
    train, test, gap = final["train"], final["test"], final["gap"]
    dropout = final_accuracies(
        dropout_overfitting(None, seed=seed, use_dropout=(True,), epochs=REG_EPOCHS, test_size=REG_TEST_SIZE))
    d_train, d_test = dropout["train"][0], dropout["test"][0]
    return {"λ=0 train": train[0], "λ=0 gap": gap[0], "λ=0.1 train": train[1], "λ=0.1 test": test[1],
            "gap(λ=0) − gap(λ=0.1)": gap[0] - gap[1], "train(λ=0) − train(λ=0.1)": train[0] - train[1],
            "Dropout train": d_train, "Dropout test": d_test, "gap(λ=0) − gap(Dropout)": gap[0] - (d_train - d_test)}


def hyperparameters(seed):
    """Each trial's lr and final validation accuracy (the test runs seed 8; measure with --seeds 5,8,12,13,14)."""
    data = hyperparameter_search(None, seed=seed, trials=2, epochs=30)
    final = data["val_acc"][:, -1]
    return {f"trial {i}: lr {lr:.1e} val": float(v) for i, (lr, v) in enumerate(zip(data["lr"], final))}


def simple_convnet_short(seed):
    data = simple_convnet_training(None, seed=seed, epochs=1, train_size=1000, test_size=500,
                                   evaluate_sample_num_per_epoch=500)
    return {"last batch loss": data["train_loss"][-1], "test acc (500)": data["final_test_acc"],
            "max |ΔW1|": float(np.max(np.abs(data["filters_after"] - data["filters_before"])))}


def gradient_checker(seed):
    """Honest errors of the gradient checker: every layer case of checks/library/cases/ on the reference."""
    from checks.library.cases import LAYER_CASES
    from checks.library.gradcheck import numerical_gradient as central_differences
    from checks.isolation.adapters import open_implementation
    from checks.library.named.layer_checks import LayerRun

    from checks.library.gradcheck import ATOL, RTOL

    impl = open_implementation("reference")
    worst_abs = worst_rel = worst_share = 0.0
    softmax_abs = 0.0
    for case in LAYER_CASES:
        run = LayerRun(impl, case, seed=seed)
        layer = run.build()
        dout = run.dout(run.forward(layer))
        pairs = [(run.backward(layer, dout), "x")] + [(getattr(layer, g), a) for a, g in case.params.items()]
        for analytic, name in pairs:
            expected = central_differences(lambda v, name=name: run.scalar({**run.arrays, name: v}, dout),
                                           run.arrays[name])
            diff = np.abs(np.asarray(analytic, dtype=np.float64) - expected)
            if case.component == "SoftmaxWithLoss":  # the book's 1e-7 inside the log, not rounding
                softmax_abs = max(softmax_abs, float(diff.max()))
            else:
                worst_abs = max(worst_abs, float(diff.max()))
            worst_share = max(worst_share, float(np.max(diff / (ATOL + RTOL * np.abs(expected)))))
            big = np.abs(expected) > 1e-3
            if big.any():
                worst_rel = max(worst_rel, float((diff[big] / np.abs(expected[big])).max()))
    return {"max |a − n|, all but SoftmaxWithLoss": worst_abs, "max |a − n|, SoftmaxWithLoss": softmax_abs,
            "max |a − n|/|n| where |n| > 1e-3": worst_rel, "max |a − n| / (atol + rtol·|n|)": worst_share}


MEASURES = {  # name: (statistics for one seed, the test that asserts them)
    "gradient_checker": (gradient_checker, "gradcheck.py ATOL/RTOL (every gradient check of checks/library/cases/)"),
    "numerical_gradient_training": (numerical_gradient_training, "test_claims_ch04_ch05.py::"
                                    "test_numerical_gradient_training_lowers_the_loss_like_backprop"),
    "backprop_one_epoch": (backprop_one_epoch, "test_claims_ch04_ch05.py::test_backprop_training_one_epoch"),
    "gradient_check_mnist": (gradient_check_mnist, "test_claims_ch04_ch05.py::test_gradient_check_on_mnist_images"),
    "optimizer_comparison": (optimizer_comparison_fast, "test_claims_ch06.py::test_optimizer_comparison_sgd_is_slowest"),
    "activation_histograms_sigmoid": (activation_histograms_sigmoid,
                                      "test_claims_ch06.py::test_activation_histograms_sigmoid"),
    "activation_histograms_relu": (activation_histograms_relu, "test_claims_ch06.py::test_activation_histograms_relu"),
    "weight_init": (weight_init, "test_claims_ch06.py::test_weight_init_comparison"),
    "batch_norm": (batch_norm, "test_claims_ch06.py::test_batch_norm_learns_faster"),
    "overfitting": (overfitting, "test_claims_ch06.py::test_overfitting_and_weight_decay, "
                                 "test_dropout_shrinks_the_gap"),
    "hyperparameters": (hyperparameters, "test_claims_ch06.py::test_hyperparameter_search_short"),
    "simple_convnet_short": (simple_convnet_short, "test_claims_ch07_ch08.py::test_simple_convnet_short_training"),
}


def measure(name, seeds):
    """{statistic: [value for each seed]} for the regression `name` of MEASURES."""
    function, _ = MEASURES[name]
    table = {}
    for seed in seeds:
        for statistic, value in function(seed).items():
            table.setdefault(statistic, []).append(float(value))
    return table


def _seeds(text):
    seeds = []
    for part in text.split(","):
        low, _, high = part.partition("-")
        seeds += list(range(int(low), int(high or low) + 1))
    return seeds


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m checks.tools.margins", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help=f"regressions to measure (default: all): {', '.join(MEASURES)}")
    parser.add_argument("--seeds", default="0-4", help="seeds, e.g. 0-4 or 5,8,12 (default 0-4)")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.names) - set(MEASURES))
    if unknown:
        parser.error(f"unknown regression(s) {unknown}; expected some of {sorted(MEASURES)}")
    seeds = _seeds(args.seeds)
    for name in args.names or MEASURES:
        start = time.process_time()
        table = measure(name, seeds)
        print(f"{name}  ({MEASURES[name][1]}; seeds {args.seeds}; {time.process_time() - start:.0f} s CPU)")
        for statistic, values in table.items():
            shown = " ".join(f"{v:.4g}" for v in values)
            print(f"  {statistic:<38} min {min(values):<10.4g} max {max(values):<10.4g} [{shown}]")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
