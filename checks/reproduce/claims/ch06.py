"""Chapter 6's claims: optimizers (§6.1), initial weight values (§6.2), Batch Normalization (§6.3),
regularization (§6.4) and the hyperparameter search (§6.5).

The values over seeds that justify each stochastic threshold are in bands.json beside this
file (``make margins``); the comments here say why a threshold sits where it does.
"""

import math

import numpy as np

from ..calls import experiments_module
from ..model import Call, Claim, Figure, seeded, thresholds_source
from ..plotting import MARKERS, plt, save, save_laid_out, smooth_curve
from ..texts import N_, _
from ..verdict import LN10, Bound, Verdict

__all__ = ["CLAIMS", "judge_optimizer_paths", "judge_optimizer_comparison", "judge_weight_init",
           "judge_activation_histograms", "judge_batch_norm", "judge_weight_decay", "judge_dropout",
           "judge_hyperparameter_search"]


def _f(x, digits=4):
    return round(float(x), digits)


def _window(losses, end, width=20):
    """Mean batch loss over the ``width`` iterations before ``end`` (a single batch's loss is noisy)."""
    return float(np.mean(np.asarray(losses)[end - width:end]))


def _window_label(name, at):
    return N_("{name} loss, iterations {start}–{end}", name=name, start=at - 19, end=at)


# --- §6.1 optimizers ----------------------------------------------------------------------

# Deterministic (no randomness in optimizer_compare_naive.py). The first step of each optimizer
# has a closed form: SGD and Momentum move by -lr·grad, AdaGrad and Adam (with its bias correction)
# by lr in each coordinate; Adam without bias correction would move by ≈3.2·lr.
_PATH_FIRST = {"SGD": (-6.335, -1.8), "Momentum": (-6.93, 1.6), "AdaGrad": (-5.5, 0.5), "Adam": (-6.7, 1.7)}
# End points after 30 updates, measured with the reference on 2026-11-23; a relative 1e-4 leaves
# room for where an epsilon sits (1e-7 vs 1e-8) but not for a different update rule.
_PATH_END = {
    "SGD": (-0.3503929957523197, 0.0847823165504322),
    "Momentum": (0.896413858493733, 0.08808560171506971),
    "AdaGrad": (-0.12016232231416045, 0.0),
    "Adam": (0.13600685239498186, 0.31824537553721943),
}
# Below this size a coordinate of an end point counts as 0 (AdaGrad's y): relative errors are
# taken against max(|reference|, this).
_PATH_END_FLOOR = 1e-5


def judge_optimizer_paths(data, opts):
    paths = data["paths"]["paths"]
    v = Verdict({f"{name}_end": [float(a) for a in path[-1]] for name, path in paths.items()})
    for name, expected in _PATH_FIRST.items():
        v.bound(N_("{name}: first update's max |distance| to its closed form {expected}", name=name,
                   expected=list(expected)), float(np.max(np.abs(paths[name][1] - expected))), "<=", 1e-5,
                spec=".1g", note=N_("lands at {point}", point=np.round(paths[name][1], 5).tolist()))
    for name, expected in _PATH_END.items():
        relative = np.abs(paths[name][-1] - expected) / np.maximum(np.abs(expected), _PATH_END_FLOOR)
        v.bound(N_("{name}: end point's max relative distance to the reference's {expected}", name=name,
                   expected=np.round(expected, 5).tolist()), float(np.max(relative)), "<=", 1e-4, spec=".1g",
                note=N_("ends at {point}", point=np.round(paths[name][-1], 5).tolist()))
    # The book's picture: SGD zig-zags in y (y_k = 2·(-0.9)^k) while crawling along x;
    # Momentum overshoots the minimum in x.
    y = paths["SGD"][:, 1]
    v.check(np.all(np.sign(y[1:]) == -np.sign(y[:-1])), _("SGD zig-zags: its y changes sign at every step"))
    v.bound(N_("Momentum: largest x (overshooting x = 0 like a rolling ball)"), paths["Momentum"][:, 0].max(), ">",
            0.5, spec=".3f")
    v.summary = _("SGD zig-zags, Momentum overshoots; steps and end points as the reference")
    return v


def judge_optimizer_comparison(data, opts):
    losses = data["losses"]["train_loss"]
    n = len(next(iter(losses.values())))
    at = 100 if opts.quick else 500
    loss = {name: _window(curve, at) for name, curve in losses.items()}
    others = max(loss[k] for k in ("Momentum", "AdaGrad", "Adam"))
    v = Verdict({"iterations": n, **{f"loss_{name}_iter_{at - 19}_{at}": _f(val) for name, val in loss.items()}})
    worst_other = _window_label(N_("worst of Momentum, AdaGrad, Adam"), at)
    if opts.quick:
        # 100 iterations. An SGD that rebinds params instead of updating them in place stays at 2.30.
        v.bound(_window_label("SGD", at), loss["SGD"], "in", (1.2, 2.1), spec=".3f", note=N_("learning slowly"))
        v.bound(worst_other, others, "<=", 0.6, spec=".3f")
        v.bound(N_("SGD loss / worst other loss"), loss["SGD"] / others, ">=", 2.5, spec=".3g")
    else:
        end = {name: _window(curve, n) for name, curve in losses.items()}
        v.measured.update({f"loss_{name}_iter_{n - 19}_{n}": _f(val) for name, val in end.items()})
        v.bound(N_("SGD loss / worst other loss"), loss["SGD"] / others, ">=", 1.5, spec=".3g")
        v.bound(worst_other, others, "<=", 0.25, spec=".3f", note=N_("the book ≈0.04–0.12"))
        v.check(end["SGD"] == max(end.values()), _("SGD still the highest at the end ({sgd})", sgd=_f(end['SGD'], 3)))
    v.bound(N_("next-lowest loss − AdaGrad's"), min(val for k, val in loss.items() if k != "AdaGrad") - loss["AdaGrad"],
            ">=", 0.0, spec=".3f", note=N_("AdaGrad lowest; the book: slightly fastest"))
    v.summary = _("loss at {iteration}: {losses}",
                  iteration=at, losses=", ".join(f"{k} {val:.3f}" for k, val in loss.items()))
    return v


def _smoothed_losses(losses, path, ylim, title):
    fig, ax = plt.subplots(figsize=(7.5, 5))
    for name, curve in losses.items():
        x = np.arange(len(curve))
        every = max(len(curve) // 20, 1)
        ax.plot(x, smooth_curve(curve), marker=MARKERS.get(name), markevery=every, markersize=5, label=name)
    ax.set_xlabel("iterations")
    ax.set_ylabel("loss (smooth_curve)")
    ax.set_ylim(*ylim)
    ax.set_title(title)
    ax.legend()
    save(fig, path)


def draw_optimizer_paths(data, path):
    """Each optimizer's path on f(x, y) = x²/20 + y² from (-7, 2), 2×2 panels (Figure 6-8)."""
    paths = data["paths"]["paths"]
    lrs = data["paths"]["learning_rates"]
    xs, ys = np.meshgrid(np.arange(-10, 10, 0.05), np.arange(-5, 5, 0.05))
    z = xs ** 2 / 20.0 + ys ** 2
    fig, axes = plt.subplots(2, 2, figsize=(11, 9))
    for ax, (name, p) in zip(axes.ravel(), paths.items()):
        ax.contour(xs, ys, z, levels=[0.25, 0.5, 1, 2, 3, 4, 5, 7], colors="#999999", linewidths=0.8)
        ax.plot(p[:, 0], p[:, 1], "o-", color="red", markersize=3)
        ax.plot(0, 0, "+", color="black", markersize=12)
        ax.set_xlim(-10, 10)
        ax.set_ylim(-10, 10)
        ax.set_title(f"{name} (lr {lrs[name]})")
        ax.set_xlabel("x")
        ax.set_ylabel("y")
    fig.suptitle("optimizer paths on f(x, y) = x²/20 + y², 30 updates (Figure 6-8)")
    save_laid_out(fig, path)


def draw_optimizer_comparison(data, path):
    """Smoothed MNIST training loss of SGD, Momentum, AdaGrad, Adam (Figure 6-9)."""
    _smoothed_losses(data["losses"]["train_loss"], path, (0, 1),
                     "optimizers on MNIST, 784-100×4-10 (Figure 6-9)")


# --- §6.2 initial weight values -----------------------------------------------------------

_FLAT = 0.01  # std=0.01 does not learn: its loss stays within this of ln 10


def judge_weight_init(data, opts):
    losses = data["losses"]["train_loss"]
    n = len(next(iter(losses.values())))
    at = 200 if opts.quick else 500
    loss = {name: _window(curve, at) for name, curve in losses.items()}
    v = Verdict({"iterations": n, **{f"loss_{name}_iter_{at - 19}_{at}": _f(val) for name, val in loss.items()}})
    v.bound(N_("|std=0.01 loss − ln 10|"), abs(loss["std=0.01"] - LN10), "<=", _FLAT, note=N_("flat: no learning"))
    if opts.quick:
        v.require(N_("Xavier learning"), Bound(N_("Xavier loss"), loss["Xavier"], "<=", 2.26, ".3f"),
                  Bound(N_("std=0.01 loss − Xavier loss"), loss["std=0.01"] - loss["Xavier"], ">=", 0.04, ".3f"))
        v.require(N_("He far ahead"), Bound(N_("He loss"), loss["He"], "<=", 1.2, ".3f"),
                  Bound(N_("Xavier loss − He loss"), loss["Xavier"] - loss["He"], ">=", 0.8, ".3f"))
    else:
        end = {name: _window(curve, n) for name, curve in losses.items()}
        v.measured.update({f"loss_{name}_iter_{n - 19}_{n}": _f(val) for name, val in end.items()})
        v.bound(N_("|std=0.01 loss at the end − ln 10|"), abs(end["std=0.01"] - LN10), "<=", _FLAT)
        v.require(N_("at iteration 500"), Bound(N_("He loss"), loss["He"], "<=", 0.6, ".3f"),
                  Bound(N_("Xavier loss − He loss"), loss["Xavier"] - loss["He"], ">", 0.0, ".3f"),
                  Bound(N_("Xavier loss"), loss["Xavier"], "<=", 1.8, ".3f"), note=N_("the book: 0.34, 1.06"))
        v.require(N_("at the end"), Bound(N_("Xavier loss"), end["Xavier"], "<=", 0.6, ".3f"),
                  Bound(N_("He loss"), end["He"], "<=", 0.4, ".3f"))
    v.summary = _("loss at {iteration}: {losses}",
                  iteration=at, losses=", ".join(f"{k} {val:.3f}" for k, val in loss.items()))
    return v


def draw_weight_init(data, path):
    """Smoothed MNIST training loss for std=0.01, Xavier, He (Figure 6-15)."""
    _smoothed_losses(data["losses"]["train_loss"], path, (0, 2.5),
                     "weight initialisation on MNIST, 784-100×4-10 ReLU (Figure 6-15)")


def judge_activation_histograms(data, opts):
    hist = data["histograms"]
    sig, relu = hist["sigmoid"], hist["relu"]

    def fractions(init):
        h = sig[init]["hist"]  # 30 bins over [0, 1]
        total = h.sum(axis=1)
        return (h[:, :3].sum(axis=1) + h[:, -3:].sum(axis=1)) / total, h[:, 12:18].sum(axis=1) / total

    ext1, _middle = fractions("std=1")
    _extremes, mid001 = fractions("std=0.01")
    extx, _middle = fractions("Xavier")
    ratio = {init: float(relu[init]["std"][4] / relu[init]["std"][0]) for init in ("Xavier", "He")}
    v = Verdict({
        "sigmoid_std1_fraction_extremes": [_f(a) for a in ext1],
        "sigmoid_std001_fraction_middle": [_f(a) for a in mid001],
        "sigmoid_std001_std": [_f(a, 5) for a in sig["std=0.01"]["std"]],
        "sigmoid_xavier_fraction_extremes": [_f(a) for a in extx],
        "sigmoid_xavier_std": [_f(a) for a in sig["Xavier"]["std"]],
        "relu_std_ratio_layer5_layer1_He": _f(ratio["He"]),
        "relu_std_ratio_layer5_layer1_Xavier": _f(ratio["Xavier"]),
        "relu_std001_layer5_std": float(relu["std=0.01"]["std"][4]),
    })
    v.bound(N_("sigmoid, std=1: least fraction < 0.1 or > 0.9 over the layers"), ext1.min(), ">=", 0.5, spec=".2f",
            note=N_("piled at 0 and 1"))
    spread = sig["std=0.01"]["std"]
    v.require(N_("sigmoid, std=0.01: piled at 0.5"), Bound(N_("least fraction in [0.4, 0.6]"), mid001.min(), ">=",
                                                            0.99, ".4f"),
              Bound(N_("largest std"), spread.max(), "<=", 0.05, ".3f"))
    xs = sig["Xavier"]["std"]
    v.require(N_("sigmoid, Xavier: spread out"),
              Bound(N_("largest fraction < 0.1 or > 0.9"), extx.max(), "<=", 0.1, ".3f"),
              Bound(N_("least std"), xs.min(), ">=", 0.08, ".3f"), Bound(N_("largest std"), xs.max(), "<=", 0.3, ".3f"))
    v.bound(N_("ReLU, He: layer 5 / layer 1 std"), ratio["He"], ">=", 0.6, spec=".3f",
            note=N_("spread kept through the layers"))
    v.bound(N_("ReLU, Xavier: layer 5 / layer 1 std"), ratio["Xavier"], "<=", 0.45, spec=".3f",
            note=N_("shrinks with depth"))
    v.bound(N_("ReLU, std=0.01: layer 5 std"), relu["std=0.01"]["std"][4], "<", 1e-3, spec=".1g",
            note=N_("collapses to 0"))
    v.summary = (_("sigmoid: std=1 at 0/1 (≥{ext1_min:.2f}), std=0.01 at 0.5, Xavier spread; ReLU He ratio "
                   "{he:.2f}", ext1_min=ext1.min(), he=ratio['He']))
    return v


def _histogram_grid(per_init, path, title, ylim=None):
    inits = list(per_init)
    n_layers = per_init[inits[0]]["hist"].shape[0]
    fig, axes = plt.subplots(len(inits), n_layers, figsize=(2.6 * n_layers, 2.3 * len(inits)), squeeze=False)
    for r, init in enumerate(inits):
        entry = per_init[init]
        edges = entry["bin_edges"]
        for k in range(n_layers):
            ax = axes[r, k]
            ax.stairs(entry["hist"][k], edges, fill=True, color="C0")
            ax.set_xlim(edges[0], edges[-1])
            if ylim is not None:
                ax.set_ylim(*ylim)
            if r == 0:
                ax.set_title(f"{k + 1}-layer")
            if k == 0:
                ax.set_ylabel(init, fontsize=12)
            else:
                ax.set_yticks([])
    fig.suptitle(title)
    save_laid_out(fig, path)


def draw_activation_histograms_sigmoid(data, path):
    """Sigmoid activations per layer for std=1, std=0.01, Xavier (Figures 6-10, 6-11, 6-13)."""
    sig = data["histograms"]["sigmoid"]
    _histogram_grid({k: sig[k] for k in ("std=1", "std=0.01", "Xavier")}, path,
                    "sigmoid activations, 5 layers of 100 (Figures 6-10, 6-11, 6-13)")


def draw_activation_histograms_relu(data, path):
    """ReLU activations per layer for std=0.01, Xavier, He (Figure 6-14; y cut at 7,000 as the book)."""
    relu = data["histograms"]["relu"]
    # The book cuts the y axis at 7,000: about half of the 100,000 ReLU outputs are exactly 0
    # and fill the first bin, which would flatten every other bar.
    _histogram_grid({k: relu[k] for k in ("std=0.01", "Xavier", "He")}, path,
                    "ReLU activations, 5 layers of 100 (Figure 6-14; y axis cut at 7,000 as in the book)",
                    ylim=(0, 7000))


# --- §6.3 Batch Normalization -------------------------------------------------------------

_REACHED = 0.8  # a weight scale "works" when the final training accuracy reaches this


def judge_batch_norm(data, opts):
    d = data["bn"]
    plain, bn = d["train_acc"], d["bn_train_acc"]
    v = Verdict({"weight_scales": [float(s) for s in d["weight_scales"]], "epochs": int(bn.shape[1]),
                 "final_acc_bn": [_f(a) for a in bn[:, -1]], "final_acc_plain": [_f(a) for a in plain[:, -1]]})
    if opts.quick:
        # One scale (≈0.086), 11 epochs: by the 2nd epoch the plain network is still at chance.
        p, b = plain[0], bn[0]
        v.require(N_("at the end"), Bound(N_("accuracy with BN"), b[-1], ">=", 0.6, ".3f"),
                  Bound(N_("accuracy without BN"), p[-1], "<=", 0.4, ".3f"),
                  Bound(N_("accuracy with BN − without"), b[-1] - p[-1], ">=", 0.3, ".3f"))
        v.bound(N_("least accuracy with BN − without, from the 2nd epoch on"), np.min(b[2:] - p[2:]), ">", 0.0,
                spec=".3f", note=N_("BN ahead at every epoch"))
        v.summary = _("scale {weight_scales0:.3g}: BN {b_last:.3f} vs plain {p_last:.3f}",
                      weight_scales0=d['weight_scales'][0], b_last=b[-1], p_last=p[-1])
        return v
    good_bn, good_plain = int(np.sum(bn[:, -1] >= _REACHED)), int(np.sum(plain[:, -1] >= _REACHED))
    ahead = int(np.sum(bn.mean(axis=1) > plain.mean(axis=1)))
    v.measured.update({"scales_final_acc_ge_0.8_bn": good_bn, "scales_final_acc_ge_0.8_plain": good_plain,
                       "scales_bn_ahead_on_average": ahead})
    v.bound(N_("weight scales of {scales} where the final accuracy with BN is ≥ {reached}", scales=len(bn),
               reached=_REACHED), good_bn, ">=", 6, spec="d")
    v.bound(N_("weight scales of {scales} where the final accuracy without BN is ≥ {reached}", scales=len(bn),
               reached=_REACHED), good_plain, "<=", 4, spec="d")
    v.bound(N_("weight scales of {scales} where BN is ahead on average over the epochs", scales=len(bn)), ahead,
            ">=", 12, spec="d")
    v.summary = _("≥0.8 at {good_bn}/16 scales with BN, {good_plain}/16 without; BN ahead at {ahead}/16",
                  good_bn=good_bn, good_plain=good_plain, ahead=ahead)
    return v


def draw_batch_norm(data, path):
    """Training accuracy with and without BN for each weight scale, 4×4 panels (Figure 6-19)."""
    d = data["bn"]
    scales = d["weight_scales"]
    cols = min(4, len(scales))
    rows = math.ceil(len(scales) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(3.2 * cols, 2.6 * rows), squeeze=False, sharex=True, sharey=True)
    for i, scale in enumerate(scales):
        ax = axes.ravel()[i]
        ax.plot(d["bn_train_acc"][i], label="Batch Normalization", markevery=2)
        ax.plot(d["train_acc"][i], linestyle="--", label="Normal (without BN)", markevery=2)
        ax.set_title(f"W: {scale:.3g}")
        ax.set_ylim(0, 1.0)
        if i % cols == 0:
            ax.set_ylabel("accuracy")
        if i >= (rows - 1) * cols:
            ax.set_xlabel("epochs")
    for ax in axes.ravel()[len(scales):]:
        ax.axis("off")
    axes.ravel()[len(scales) - 1].legend(loc="lower right", fontsize=8)
    fig.suptitle("training accuracy with BN (solid) and without (dashed) per initial weight std (Figure 6-19)")
    save_laid_out(fig, path)


# --- §6.4 regularization ------------------------------------------------------------------


def _overfitting_runs(runs):
    """Train and test accuracy (mean of the last 10 epochs) and their gap, per run of an overfitting experiment."""
    final = experiments_module().final_accuracies(runs)
    train, test, gap = final["train"], final["test"], final["gap"]
    measured = {"epochs": int(runs["train_acc"].shape[1]), "last10_train_acc": [_f(a) for a in train],
                "last10_test_acc": [_f(a) for a in test], "last10_gap": [_f(a) for a in gap]}
    return train, test, gap, measured


def judge_weight_decay(data, opts):
    d = data["runs"]
    train, test, gap, measured = _overfitting_runs(d)
    v = Verdict({"weight_decay_lambdas": [float(x) for x in d["weight_decay_lambdas"]], **measured})
    overfits = N_("λ=0 overfits")
    if opts.quick:
        v.require(overfits, Bound(N_("λ=0 train accuracy"), train[0], ">=", 0.95, ".3f"),
                  Bound(N_("λ=0 gap"), gap[0], ">=", 0.15, ".3f"))
        v.require(N_("λ=0.1 shrinks the gap and still learns"),
                  Bound(N_("gap(λ=0) − gap(λ=0.1)"), gap[0] - gap[1], ">=", 0.02, ".3f"),
                  Bound(N_("train(λ=0) − train(λ=0.1)"), train[0] - train[1], ">=", 0.05, ".3f"),
                  Bound(N_("λ=0.1 test accuracy"), test[1], ">=", 0.5, ".3f"))
    else:
        v.require(overfits, Bound(N_("λ=0 train accuracy"), train[0], ">=", 0.98, ".3f"),
                  Bound(N_("λ=0 gap"), gap[0], ">=", 0.15, ".3f"),
                  note=N_("test {test0:.3f}; the book: train ≈1.0, test ≈0.75", test0=test[0]))
        v.require(N_("λ=0.1 shrinks the gap"), Bound(N_("gap(λ=0) − gap(λ=0.1)"), gap[0] - gap[1], ">=", 0.03, ".3f"),
                  Bound(N_("λ=0.1 train accuracy"), train[1], "<=", 0.97, ".3f"))
    v.summary = _("λ=0: train {train0:.3f} test {test0:.3f}; λ=0.1: train {train1:.3f} test {test1:.3f}",
                  train0=train[0], test0=test[0], train1=train[1], test1=test[1])
    return v


def judge_dropout(data, opts):
    d = data["runs"]
    train, test, gap, measured = _overfitting_runs(d)
    v = Verdict({"use_dropout": [bool(x) for x in d["use_dropout"]], **measured})
    v.check(np.shape(d["train_acc"]) == np.shape(d["test_acc"]),
            _("the Trainer evaluated train and test accuracy once per epoch ({epochs} epochs, both runs)",
              epochs=measured['epochs']))
    shrinks = N_("Dropout shrinks the gap")
    if opts.quick:
        # Without Dropout the Trainer reproduces ch06_weight_decay's λ=0 run exactly.
        v.require(shrinks, Bound(N_("gap(none) − gap(Dropout)"), gap[0] - gap[1], ">=", 0.06, ".3f"),
                  Bound(N_("Dropout train accuracy"), train[1], "<=", 0.8, ".3f"))
        v.require(N_("Dropout still learning (chance 0.1)"),
                  Bound(N_("Dropout train accuracy"), train[1], ">=", 0.2, ".3f"),
                  Bound(N_("Dropout test accuracy"), test[1], ">=", 0.18, ".3f"))
    else:
        v.bound(N_("no Dropout: train accuracy"), train[0], ">=", 0.98, spec=".3f", note=N_("the network overfits"))
        v.require(shrinks, Bound(N_("gap(none) − gap(Dropout)"), gap[0] - gap[1], ">=", 0.05, ".3f"),
                  Bound(N_("Dropout train accuracy"), train[1], "<=", 0.95, ".3f"), note=N_("no longer 1.0"))
    v.summary = _("gap {gap0:.3f} → {gap1:.3f} with Dropout; train {train0:.3f} → {train1:.3f}",
                  gap0=gap[0], gap1=gap[1], train0=train[0], train1=train[1])
    return v


def _train_test_panels(runs, labels, path, title):
    fig, axes = plt.subplots(1, len(runs), figsize=(6 * len(runs), 4.3), squeeze=False)
    for ax, (train, test), label in zip(axes[0], runs, labels):
        x = np.arange(len(train))
        every = max(len(train) // 20, 1)
        ax.plot(x, train, marker="o", markevery=every, markersize=4, label="train")
        ax.plot(x, test, marker="s", markevery=every, markersize=4, label="test")
        ax.set_xlabel("epochs")
        ax.set_ylabel("accuracy")
        ax.set_ylim(0, 1.0)
        ax.set_title(label)
        ax.legend(loc="lower right")
    fig.suptitle(title)
    save_laid_out(fig, path)


def draw_weight_decay(data, path):
    """Train/test accuracy on 300 images without and with weight decay (Figures 6-20, 6-21)."""
    d = data["runs"]
    labels = [f"weight decay λ = {lam:g}" + (" (Figure 6-20)" if lam == 0 else " (Figure 6-21)")
              for lam in d["weight_decay_lambdas"]]
    _train_test_panels(list(zip(d["train_acc"], d["test_acc"])), labels, path,
                       "overfitting on 300 training images, 784-100×6-10, SGD lr 0.01")


def draw_dropout(data, path):
    """Train/test accuracy on 300 images without and with Dropout (Figure 6-23)."""
    d = data["runs"]
    labels = ["Dropout ratio 0.2 (Figure 6-23)" if on else "without Dropout" for on in d["use_dropout"]]
    _train_test_panels(list(zip(d["train_acc"], d["test_acc"])), labels, path,
                       "Dropout on 300 training images, 784-100×6-10, Trainer, SGD lr 0.01")


# --- §6.5 hyperparameters -----------------------------------------------------------------

_BOOK_GOOD_LR = 1e-3  # the book's good region starts here (0.001–0.01)


def judge_hyperparameter_search(data, opts):
    d = data["search"]
    lr, final = d["lr"], d["val_acc"][:, -1]
    best = int(np.argmax(final))
    order = np.argsort(-final)
    v = Verdict({"trials": int(lr.size), "epochs": int(d["val_acc"].shape[1]),
                 "best_val_acc": _f(final[best]), "best_lr": float(lr[best]),
                 "best_weight_decay": float(d["weight_decay"][best]),
                 "best5_lr": [float(x) for x in lr[order[:5]]],
                 "best5_weight_decay": [float(x) for x in d["weight_decay"][order[:5]]],
                 "best5_val_acc": [_f(x) for x in final[order[:5]]]})
    # The trials' settings depend on the seed alone (drawn before training). Validation on 100
    # images: chance ≈0.1. Quick: 4 trials × 30 epochs, so only some seeds draw a good lr (the
    # criteria about good trials then do not apply).
    if opts.quick:
        good_lr, min_good, small_lr, max_small = 3e-3, 0.2, 3e-4, 0.25
    else:
        good_lr, min_good, small_lr, max_small = 4e-3, 0.4, 3e-4, 0.35
    good, small = lr >= good_lr, lr <= small_lr
    if opts.quick and not np.any(good):
        v.check(True, _("no trial drew lr ≥ {good_lr:g} at this seed (a few quick trials): the 'good lr learns' "
                        "criteria do not apply", good_lr=good_lr))
    else:
        # With 100 trials drawn as the book draws them (lr = 10 ** uniform(-6, -2)) both sides always
        # appear; a search over the wrong range (weight decay's) misses one. The quick tier's 4 trials miss one side by
        # chance (no small lr with probability 0.38 ** 4 ≈ 0.02), and its good side is given by the
        # branch above: each side's criteria apply there when the side is drawn.
        if not opts.quick:
            v.require(N_("trials drawn on both sides"),
                      Bound(N_("trials with lr ≥ {lr:g}", lr=good_lr), int(good.sum()), ">=", 1, "d"),
                      Bound(N_("trials with lr ≤ {lr:g}", lr=small_lr), int(small.sum()), ">=", 1, "d"))
        v.bound(N_("lowest validation accuracy of the trials with lr ≥ {lr:g}", lr=good_lr),
                final[good].min() if good.any() else float("nan"), ">=", min_good, spec=".2f",
                note=N_("every good lr learns"))
        v.bound(N_("the best trial's lr"), lr[best], ">=", _BOOK_GOOD_LR, spec=".2g", note=N_("the book: 0.001–0.01"))
    if small.any():
        v.bound(N_("highest validation accuracy of the trials with lr ≤ {lr:g}", lr=small_lr), final[small].max(),
                "<=", max_small, spec=".2f", note=N_("near chance; {trials} trials", trials=int(small.sum())))
    else:
        v.check(True, _("no trial drew lr ≤ {small_lr:g} at this seed: the 'small lr stays near chance' criterion "
                        "does not apply", small_lr=small_lr))
    if not opts.quick:
        v.bound(N_("least lr of the 5 best trials"), lr[order[:5]].min(), ">=", _BOOK_GOOD_LR, spec=".2g")
    v.summary = _("best: lr {lr:.2g}, weight decay {weight_decay:.2g}, val {final:.2f}",
                  lr=lr[best], weight_decay=d['weight_decay'][best], final=final[best])
    return v


def draw_hyperparameter_search(data, path):
    """The 20 best trials by final validation accuracy, 5 columns (Figure 6-24)."""
    d = data["search"]
    final = d["val_acc"][:, -1]
    order = np.argsort(-final, kind="stable")[:20]
    cols = 5
    rows = math.ceil(len(order) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(3.0 * cols, 2.5 * rows), squeeze=False, sharey=True)
    for rank, trial in enumerate(order):
        ax = axes.ravel()[rank]
        ax.plot(d["val_acc"][trial], label="validation")
        ax.plot(d["train_acc"][trial], "--", label="train")
        ax.set_ylim(0.0, 1.0)
        ax.set_title(f"Best-{rank + 1}: val {final[trial]:.2f}", fontsize=9)
        ax.text(0.03, 0.95, f"lr {d['lr'][trial]:.1e}\nwd {d['weight_decay'][trial]:.1e}",
                transform=ax.transAxes, va="top", fontsize=8)
        ax.set_xticks([])
        if rank % cols:
            ax.tick_params(labelleft=False)
    for ax in axes.ravel()[len(order):]:
        ax.axis("off")
    axes.ravel()[0].legend(loc="lower right", fontsize=7)
    fig.suptitle(f"random search, best {len(order)} of {len(final)} trials: validation (solid), "
                 f"train (dashed) accuracy per epoch (Figure 6-24)")
    save_laid_out(fig, path)


def _bn_quick_scale():
    return float(experiments_module().BOOK_WEIGHT_SCALES[4])


_MEASURED = N_("Thresholds with a margin beyond the values measured over seeds at each tier.")

CLAIMS = (
    Claim(
        name="ch06_optimizer_paths", chapter=6, section="§6.1.7",
        scripts=("ch06/optimizer_compare_naive.py",),
        title=N_("Optimizer paths on f(x, y) = x²/20 + y²"),
        book=N_("From (-7, 2), 30 updates: SGD (lr 0.95) zig-zags in y while crawling along x, Momentum "
                "(0.1) rolls like a ball, AdaGrad (1.5) damps y at once, Adam (0.3) in between (Figure 6-8)."),
        book_value=N_("zig-zag / ball / damped"),
        method=N_("`optimizer_paths()`: the four paths; first steps against their closed form, end points "
                  "against the reference, and the shapes (SGD's sign flips, Momentum's overshoot)."),
        tolerance=N_("Deterministic: first steps against their closed form, end points against the reference with room for"
                     " where an epsilon sits. {source}", source=thresholds_source(judge_optimizer_paths)),
        calls=lambda opts: {"paths": Call("optimizer_paths")},
        judge=judge_optimizer_paths,
        figures=(Figure("ch06_optimizer_paths.png", N_("Optimizer paths, 2×2 panels (book Figure 6-8)."),
                        ("paths",), draw_optimizer_paths),),
    ),
    Claim(
        name="ch06_optimizer_comparison", chapter=6, section="§6.1.8",
        scripts=("ch06/optimizer_compare_mnist.py",),
        title=N_("Optimizers compared on MNIST"),
        book=N_("784-100×4-10 ReLU nets, batch 128, 2,000 iterations: SGD (lr 0.01) clearly slowest; Momentum, "
                "AdaGrad, Adam much faster, AdaGrad slightly fastest (loss at 500 ≈0.29 SGD vs ≈0.04–0.12) (Figure 6-9)."),
        book_value=N_("SGD slowest, AdaGrad fastest"),
        method=N_("`optimizer_comparison()`; the loss at an iteration is the mean batch loss over the 20 "
                  "iterations before it; --quick: 100 iterations."),
        tolerance=N_("{measured} {source}", measured=_MEASURED, source=thresholds_source(judge_optimizer_comparison)),
        calls=lambda opts: {"losses": seeded(opts, "optimizer_comparison", **({"iterations": 100} if opts.quick else {}))},
        judge=judge_optimizer_comparison,
        figures=(Figure("ch06_optimizer_comparison.png", N_("Smoothed training loss per optimizer (book Figure 6-9)."),
                        ("losses",), draw_optimizer_comparison),),
    ),
    Claim(
        name="ch06_weight_init", chapter=6, section="§6.2.4",
        scripts=("ch06/weight_init_compare.py",),
        title=N_("Initial weight values compared on MNIST"),
        book=N_("Same network, SGD lr 0.01, batch 128, 2,000 iterations: std=0.01 stays flat at ≈2.30 (no "
                "learning), Xavier and He converge, He faster (He ≈0.34, Xavier ≈1.06 at 500) (Figure 6-15)."),
        book_value=N_("std=0.01 flat; He faster than Xavier"),
        method=N_("`weight_init_comparison()`; window means as above; --quick: 200 iterations."),
        tolerance=N_("{measured} {source}", measured=_MEASURED, source=thresholds_source(judge_weight_init)),
        calls=lambda opts: {"losses": seeded(opts, "weight_init_comparison", **({"iterations": 200} if opts.quick else {}))},
        judge=judge_weight_init,
        figures=(Figure("ch06_weight_init.png", N_("Smoothed training loss per initialisation (book Figure 6-15)."),
                        ("losses",), draw_weight_init),),
    ),
    Claim(
        name="ch06_activation_histograms", chapter=6, section="§6.2.2–6.2.3",
        scripts=("ch06/weight_init_activation_histogram.py",),
        title=N_("Activation distributions at initialisation"),
        book=N_("1,000 Gaussian inputs through 5 layers of 100 sigmoid units: std=1 piles activations at 0 and 1, "
                "std=0.01 at 0.5, Xavier spreads them (Figures 6-10, 6-11, 6-13); with ReLU, He keeps the "
                "spread while std=0.01 and Xavier shrink towards 0 (Figure 6-14)."),
        book_value=N_("std=1 → 0/1, std=0.01 → 0.5, Xavier spread"),
        method=N_("`activation_histograms()`: 30-bin histograms per layer; fractions at the extremes "
                  "(< 0.1 or > 0.9) and in the middle ([0.4, 0.6]), spreads per layer."),
        tolerance=N_("{measured} {source}", measured=_MEASURED, source=thresholds_source(judge_activation_histograms)),
        calls=lambda opts: {"histograms": seeded(opts, "activation_histograms")},
        judge=judge_activation_histograms,
        figures=(
            Figure("ch06_activation_histograms_sigmoid.png",
                   N_("Sigmoid activations, 5 layers × 3 initialisations (book Figures 6-10, 6-11, 6-13)."),
                   ("histograms",), draw_activation_histograms_sigmoid),
            Figure("ch06_activation_histograms_relu.png",
                   N_("ReLU activations, 5 layers × 3 initialisations (book Figure 6-14)."),
                   ("histograms",), draw_activation_histograms_relu),
        ),
    ),
    Claim(
        name="ch06_batch_norm", chapter=6, section="§6.3.2",
        scripts=("ch06/batch_norm_test.py",),
        title=N_("Batch Normalization over 16 weight scales"),
        book=N_("784-100×5-10 on 1,000 images, SGD lr 0.01, 20 epochs, 16 initial weight scales from 1 to 1e-4: "
                "with BN learning is faster and works across far more scales (Figures 6-18, 6-19)."),
        book_value=N_("BN learns at far more scales"),
        method=N_("`batch_norm_comparison()`: training accuracy per epoch with and without BN; counts of scales "
                  "where the final accuracy is ≥ 0.8, and where BN is ahead on average. --quick: one scale "
                  "(≈0.086), 11 epochs."),
        tolerance=N_("{measured} {source}", measured=_MEASURED, source=thresholds_source(judge_batch_norm)),
        calls=lambda opts: {"bn": seeded(opts, "batch_norm_comparison", **(
            {"weight_scales": [_bn_quick_scale()], "epochs": 11} if opts.quick else {}))},
        judge=judge_batch_norm,
        figures=(Figure("ch06_batch_norm.png",
                        N_("Training accuracy with BN (solid) and without (dashed), one panel per weight scale "
                           "(book Figure 6-19)."), ("bn",), draw_batch_norm),),
    ),
    Claim(
        name="ch06_weight_decay", chapter=6, section="§6.4.1–6.4.2",
        scripts=("ch06/overfit_weight_decay.py",),
        title=N_("Overfitting and weight decay"),
        book=N_("300 training images, 784-100×6-10, SGD lr 0.01, 201 epochs: train accuracy reaches ≈1.0 while "
                "test stays ≈0.75 (Figure 6-20); with weight decay λ = 0.1 the gap shrinks (Figure 6-21)."),
        book_value=N_("λ=0: train ≈1.0, test ≈0.75; λ=0.1 smaller gap"),
        method=N_("`weight_decay_overfitting()` with λ = 0 and 0.1; accuracies averaged over the last 10 epochs. "
                  "--quick: 101 epochs, 500 test images."),
        tolerance=N_("{measured} {source}", measured=_MEASURED, source=thresholds_source(judge_weight_decay)),
        calls=lambda opts: {"runs": seeded(opts, "weight_decay_overfitting", **(
            {"epochs": 101, "test_size": 500} if opts.quick else {}))},
        judge=judge_weight_decay,
        figures=(Figure("ch06_weight_decay.png",
                        N_("Train and test accuracy per epoch, λ = 0 and λ = 0.1 (book Figures 6-20, 6-21)."),
                        ("runs",), draw_weight_decay),),
    ),
    Claim(
        name="ch06_dropout", chapter=6, section="§6.4.3",
        scripts=("ch06/overfit_dropout.py",),
        title=N_("Dropout"),
        book=N_("Same setting with Dropout (ratio 0.2) through Trainer, 301 epochs: the train–test gap shrinks and "
                "train accuracy no longer reaches 1.0 (Figure 6-23, against Figure 6-20)."),
        book_value=N_("gap shrinks; train < 1.0"),
        method=N_("`dropout_overfitting()` without and with Dropout (same seed); last-10-epoch means. "
                  "--quick: 101 epochs, 500 test images."),
        tolerance=N_("{measured} {source}", measured=_MEASURED, source=thresholds_source(judge_dropout)),
        calls=lambda opts: {"runs": seeded(opts, "dropout_overfitting", **(
            {"epochs": 101, "test_size": 500} if opts.quick else {}))},
        judge=judge_dropout,
        figures=(Figure("ch06_dropout.png", N_("Train and test accuracy per epoch without and with Dropout "
                                               "(book Figure 6-23)."), ("runs",), draw_dropout),),
    ),
    Claim(
        name="ch06_hyperparameter_search", chapter=6, section="§6.5.3",
        scripts=("ch06/hyperparameter_optimization.py",),
        title=N_("Random hyperparameter search"),
        book=N_("100 trials, lr = 10^U(-6, -2), weight decay = 10^U(-8, -4), 400 training + 100 validation images, "
                "50 epochs: the good region is about lr 0.001–0.01, weight decay 1e-8–1e-6; small learning rates "
                "stay near chance (Figure 6-24)."),
        book_value=N_("good lr ≈0.001–0.01"),
        method=N_("`hyperparameter_search()`; final validation accuracy per trial; --quick: 4 trials × 30 epochs."),
        tolerance=N_("Few quick trials draw a good lr: the criteria about them then do not apply. Weight decay is not "
                     "judged: over 1e-8–1e-4 it barely matters at 50 epochs. {measured} {source}",
                     measured=_MEASURED, source=thresholds_source(judge_hyperparameter_search)),
        calls=lambda opts: {"search": seeded(opts, "hyperparameter_search", **(
            {"trials": 4, "epochs": 30} if opts.quick else {}))},
        judge=judge_hyperparameter_search,
        figures=(Figure("ch06_hyperparameter_search.png",
                        N_("The 20 best trials: validation (solid) and train (dashed) accuracy per epoch "
                           "(book Figure 6-24)."), ("search",), draw_hyperparameter_search),),
    ),
)
