"""Regressions of chapter 6: optimizers, initialisation, Batch Normalization, regularization,
hyperparameter search (book §6.1–6.5).

Fast tests run each experiment at a short budget with a fixed seed; ``slow`` tests run
the book's sizes. Every stochastic threshold was measured with the reference
implementation over several seeds (dates and ranges beside each assertion); the fixed
seed makes each test deterministic.
"""

import math

import numpy as np
import pytest

from reference.experiments import (
    BOOK_WEIGHT_SCALES,
    activation_histograms,
    batch_norm_comparison,
    dropout_overfitting,
    hyperparameter_search,
    optimizer_comparison,
    optimizer_paths,
    weight_decay_overfitting,
    weight_init_comparison,
)

LN10 = math.log(10)


def _window(losses, end, width=20):
    """Mean batch loss over the `width` iterations before `end` (one batch's loss is noisy)."""
    return float(np.mean(losses[end - width:end]))


def _rounded(d, digits=3):
    return {k: round(float(v), digits) for k, v in d.items()}


# --- §6.1 optimizers -----------------------------------------------------------------


def test_optimizer_paths_first_steps_and_end_points(lib):
    # Deterministic (no randomness in optimizer_compare_naive.py). The first step of each
    # optimizer has a closed form: SGD and Momentum move by -lr·grad, AdaGrad and Adam (with
    # its bias correction) by lr in each coordinate. Adam without bias correction would move
    # by ≈3.2·lr; AdaGrad without its 1e-7 guard is unchanged here (no zero gradient).
    data = optimizer_paths(lib)
    paths = data["paths"]
    first = {"SGD": (-6.335, -1.8), "Momentum": (-6.93, 1.6), "AdaGrad": (-5.5, 0.5), "Adam": (-6.7, 1.7)}
    for name, expected in first.items():
        assert np.allclose(paths[name][1], expected, rtol=0, atol=1e-5), (
            f"ch06 optimizer_paths (f = x²/20 + y² from (-7, 2)): {name}'s first update goes to "
            f"{paths[name][1]}, expected {expected} (lr {data['learning_rates'][name]}; the book's Figure 6-8).")
    # End points after 30 updates, measured with the reference on 2026-11-23. rtol 1e-4
    # leaves room for where an epsilon sits (1e-7 vs 1e-8) but not for a different update rule.
    end = {
        "SGD": (-0.3503929957523197, 0.0847823165504322),
        "Momentum": (0.896413858493733, 0.08808560171506971),
        "AdaGrad": (-0.12016232231416045, 0.0),
        "Adam": (0.13600685239498186, 0.31824537553721943),
    }
    for name, expected in end.items():
        assert np.allclose(paths[name][-1], expected, rtol=1e-4, atol=1e-9), (
            f"ch06 optimizer_paths: after 30 updates {name} is at {paths[name][-1]}, the reference at {expected}.")
    # The book's picture: SGD zig-zags in y (sign flips every step, y_k = 2·(-0.9)^k) while
    # crawling along x; Momentum overshoots the minimum in x.
    y = paths["SGD"][:, 1]
    assert np.all(np.sign(y[1:]) == -np.sign(y[:-1])), f"ch06 optimizer_paths: SGD's y should flip sign every step, got {y}"
    assert paths["Momentum"][:, 0].max() > 0.5, (
        f"ch06 optimizer_paths: Momentum should overshoot x = 0 like a rolling ball; its x never exceeds "
        f"{paths['Momentum'][:, 0].max():.3f}.")


def test_optimizer_comparison_sgd_is_slowest(lib):
    # Budget: 100 iterations of the book's 2,000, seed 0; loss = mean batch loss over
    # iterations 81–100. Measured over seeds 0–9 (2026-11-23): SGD ∈ [1.532, 1.830],
    # Momentum ∈ [0.347, 0.422], AdaGrad ∈ [0.143, 0.184], Adam ∈ [0.248, 0.321].
    # Asserting SGD ≥ 1.2, every other ≤ 0.6, SGD ≥ 2.5 × the worst other (measured ≥ 3.6),
    # and AdaGrad lowest (the book: "AdaGrad slightly fastest").
    data = optimizer_comparison(lib, seed=0, iterations=100)
    loss = {name: _window(v, 100) for name, v in data["train_loss"].items()}
    where = (f"ch06 optimizer_comparison (seed 0, 784-100×4-10 ReLU, batch 128, 100 iterations), mean loss over "
             f"iterations 81–100: {_rounded(loss)}")
    book = "the book at iteration 500: SGD ≈0.29, the others ≈0.04–0.12 (Figure 6-9)"
    others = [loss[k] for k in ("Momentum", "AdaGrad", "Adam")]
    assert loss["SGD"] >= 1.2 and max(others) <= 0.6, f"{where}; SGD should be far behind the others ({book})."
    assert loss["SGD"] >= 2.5 * max(others), f"{where}; SGD should be clearly slowest ({book})."
    assert loss["AdaGrad"] == min(loss.values()), f"{where}; AdaGrad should be fastest ({book})."


# --- §6.2 weight initialisation --------------------------------------------------------


def test_activation_histograms_sigmoid(lib):
    # Deterministic given the seed. Measured over seeds 0–9 (2026-11-23), per layer:
    # std=1: fraction of activations < 0.1 or > 0.9 ∈ [0.689, 0.827];
    # std=0.01: fraction in [0.4, 0.6] = 1.0, activation std ∈ [0.011, 0.025];
    # Xavier: fraction < 0.1 or > 0.9 ≤ 0.03, activation std ∈ [0.111, 0.209].
    # Asserting ≥ 0.5 at the extremes (std=1); ≥ 0.99 in the middle and std ≤ 0.05 (0.01);
    # ≤ 0.1 at the extremes and std ∈ [0.08, 0.3] (Xavier).
    data = activation_histograms(lib, seed=0, activations=("sigmoid",))["sigmoid"]
    where = "ch06 activation_histograms (seed 0, 1000×100 Gaussian input, 5 sigmoid layers of 100)"

    def fractions(init):
        hist = data[init]["hist"]  # 30 bins over [0, 1]
        total = hist.sum(axis=1)
        extremes = (hist[:, :3].sum(axis=1) + hist[:, -3:].sum(axis=1)) / total
        middle = hist[:, 12:18].sum(axis=1) / total
        return extremes, middle, data[init]["std"]

    extremes, _, _ = fractions("std=1")
    assert np.all(extremes >= 0.5), (
        f"{where}, weight std 1: fraction of activations below 0.1 or above 0.9 per layer {np.round(extremes, 3)}; "
        f"the book shows them piled at 0 and 1 (Figure 6-10; reference ≥ 0.689).")
    _, middle, spread = fractions("std=0.01")
    assert np.all(middle >= 0.99) and np.all(spread <= 0.05), (
        f"{where}, weight std 0.01: fraction in [0.4, 0.6] per layer {np.round(middle, 3)}, std {np.round(spread, 4)}; "
        f"the book shows every layer piled at 0.5 (Figure 6-11; reference: all of them, std ≤ 0.025).")
    extremes, _, spread = fractions("Xavier")
    assert np.all(extremes <= 0.1) and np.all((spread >= 0.08) & (spread <= 0.3)), (
        f"{where}, Xavier (std √(1/100)): fraction below 0.1 or above 0.9 per layer {np.round(extremes, 3)}, "
        f"std {np.round(spread, 3)}; the book shows activations spread out in every layer (Figure 6-13; "
        f"reference ≤ 0.03 at the extremes, std 0.111–0.209).")


def test_activation_histograms_relu(lib):
    # Measured over seeds 0–9 (2026-11-23): ratio of the 5th layer's activation std to the
    # 1st's: He ∈ [0.79, 1.27], Xavier ∈ [0.196, 0.318]; std=0.01's 5th layer std < 1e-4.
    # Asserting He ≥ 0.6, Xavier ≤ 0.45, std=0.01 < 1e-3 (the book's Figure 6-14).
    data = activation_histograms(lib, seed=0, activations=("relu",), weight_inits=("std=0.01", "Xavier", "He"))["relu"]
    ratio = {init: data[init]["std"][4] / data[init]["std"][0] for init in ("Xavier", "He")}
    where = (f"ch06 activation_histograms (seed 0, 5 ReLU layers of 100): activation std per layer "
             f"{ {k: np.round(v['std'], 4).tolist() for k, v in data.items()} }")
    assert ratio["He"] >= 0.6, f"{where}; He should keep the spread through the layers (layer 5 / layer 1 = {ratio['He']:.3f})."
    assert ratio["Xavier"] <= 0.45, f"{where}; Xavier should shrink with depth under ReLU (layer 5 / layer 1 = {ratio['Xavier']:.3f})."
    assert data["std=0.01"]["std"][4] < 1e-3, f"{where}; std 0.01 should collapse to 0 by layer 5."


def test_weight_init_comparison(lib):
    # Budget: 200 iterations of the book's 2,000, seed 0; loss = mean batch loss over
    # iterations 181–200. Measured over seeds 0–9 (2026-11-23): std=0.01 ∈ [2.3019, 2.3024],
    # Xavier ∈ [2.092, 2.211] (at least 0.09 below std=0.01), He ∈ [0.680, 0.872] (at least
    # 1.2 below Xavier). Asserting |std=0.01 − ln 10| ≤ 0.01, Xavier ≤ 2.26 and ≤ std=0.01 − 0.04,
    # He ≤ 1.2 and ≤ Xavier − 0.8.
    data = weight_init_comparison(lib, seed=0, iterations=200)
    loss = {name: _window(v, 200) for name, v in data["train_loss"].items()}
    where = (f"ch06 weight_init_comparison (seed 0, 784-100×4-10 ReLU, SGD lr 0.01, batch 128, 200 iterations), "
             f"mean loss over iterations 181–200: {_rounded(loss, 4)}; the book (Figure 6-15): std=0.01 flat at "
             f"ln 10 ≈ 2.30, Xavier and He learning, He faster (≈0.34 vs ≈1.06 at iteration 500)")
    assert abs(loss["std=0.01"] - LN10) <= 0.01, f"{where}; std=0.01 should not learn at all."
    assert loss["Xavier"] <= 2.26 and loss["Xavier"] <= loss["std=0.01"] - 0.04, f"{where}; Xavier should be learning."
    assert loss["He"] <= 1.2 and loss["He"] <= loss["Xavier"] - 0.8, f"{where}; He should be far ahead of Xavier."
