"""The report's figures, drawn like the book's from the data the experiments returned.

Each ``draw_*`` function takes ``data`` — ``{call key: the dict an experiment returned}``,
exactly the data the verdict judged — and the PNG path to write. Nothing here runs an
experiment or computes a result: the only transformation is the book's own plotting
step (``smooth_curve`` on the loss curves, as optimizer_compare_mnist.py and
weight_init_compare.py do).

The Agg backend is selected before pyplot is imported, so drawing needs no display
and never opens a window.
"""

import math

import matplotlib

matplotlib.use("Agg")  # before pyplot: no display on CI or over ssh

import matplotlib.pyplot as plt  # noqa: E402  (must follow matplotlib.use)
import numpy as np  # noqa: E402

from reference import smooth_curve  # noqa: E402

__all__ = [
    "draw_activation_functions", "draw_gradient_field", "draw_gradient_descent",
    "draw_numerical_training", "draw_backprop_training", "draw_optimizer_paths",
    "draw_optimizer_comparison", "draw_weight_init", "draw_activation_histograms_sigmoid",
    "draw_activation_histograms_relu", "draw_batch_norm", "draw_weight_decay", "draw_dropout",
    "draw_hyperparameter_search", "draw_pretrained_filters", "draw_misclassified",
    "draw_convnet_training", "draw_training_filters",
]

_DPI = 100
_MARKERS = {"SGD": "o", "Momentum": "x", "AdaGrad": "s", "Adam": "D", "std=0.01": "o", "Xavier": "s", "He": "D"}


def _save(fig, path):
    fig.savefig(path, dpi=_DPI, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)


def _save_laid_out(fig, path):
    """Save a grid of panels after ``tight_layout``, which already fits every label in the canvas.

    bbox_inches="tight" on top of it would lay the figure out once more for nothing:
    drawing dominates the cost of these many-panel figures.
    """
    fig.tight_layout()
    fig.savefig(path, dpi=_DPI, metadata={"Software": None})
    plt.close(fig)


# --- chapter 3 ---------------------------------------------------------------------------


def draw_activation_functions(data, path):
    """Step, sigmoid and ReLU on [-5, 5) (book Figures 3-6 to 3-9)."""
    d = data["functions"]
    x = d["x"]
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.8))
    axes[0].plot(x, d["step"], color="C0")
    axes[0].set_title("step function (Figure 3-6)")
    axes[1].plot(x, d["sigmoid"], color="C1", label="sigmoid")
    axes[1].plot(x, d["step"], "k--", label="step")
    axes[1].set_title("sigmoid vs step (Figures 3-7, 3-8)")
    axes[1].legend(loc="upper left")
    for ax in axes[:2]:
        ax.set_ylim(-0.1, 1.1)
    axes[2].plot(x, d["relu"], color="C2")
    axes[2].set_ylim(-1.0, 5.5)
    axes[2].set_title("ReLU (Figure 3-9)")
    for ax in axes:
        ax.set_xlabel("x")
        ax.set_ylabel("y")
        ax.grid(alpha=0.3)
    _save(fig, path)


# --- chapter 4 ---------------------------------------------------------------------------


def draw_gradient_field(data, path):
    """Arrows of −∇f for f = x0² + x1² on the book's grid (Figure 4-9)."""
    d = data["field"]
    fig, ax = plt.subplots(figsize=(6, 6))
    ax.quiver(d["x0"], d["x1"], -d["grad0"], -d["grad1"], angles="xy", color="#666666")
    ax.set_xlim(-2, 2)
    ax.set_ylim(-2, 2)
    ax.set_xlabel("x0")
    ax.set_ylabel("x1")
    ax.grid(alpha=0.5)
    ax.set_title("−gradient of x0² + x1² (Figure 4-9)")
    _save(fig, path)


def draw_gradient_descent(data, path):
    """The gradient-descent path from (-3, 4), lr 0.1, 20 steps (Figure 4-10)."""
    p = data["path"]["path"]
    fig, ax = plt.subplots(figsize=(6, 6))
    ax.plot([-5, 5], [0, 0], "--b")
    ax.plot([0, 0], [-5, 5], "--b")
    ax.plot(p[:, 0], p[:, 1], "o")
    ax.set_xlim(-3.5, 3.5)
    ax.set_ylim(-4.5, 4.5)
    ax.set_xlabel("X0")
    ax.set_ylabel("X1")
    ax.set_title(f"gradient descent, lr 0.1, {len(p) - 1} steps (Figure 4-10)")
    _save(fig, path)


def _accuracy_panel(ax, train, test, x=None, xlabel="epochs"):
    x = np.arange(len(train)) if x is None else x
    ax.plot(x, train, marker="o", markersize=3, label="train acc")
    ax.plot(x, test, marker="s", markersize=3, linestyle="--", label="test acc")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("accuracy")
    ax.set_ylim(0, 1.0)
    ax.legend(loc="lower right")


def draw_numerical_training(data, path):
    """Chapter 4's run with numerical gradients against the same run with backprop (Figures 4-11, 4-12)."""
    numerical = data["numerical"]
    backprop = data.get("backprop")
    long_run = len(numerical["test_acc"]) > 1
    fig, axes = plt.subplots(1, 2 if long_run else 1, figsize=(12 if long_run else 6.5, 4.2), squeeze=False)
    ax = axes[0, 0]
    it = np.arange(1, len(numerical["train_loss"]) + 1)
    if backprop is not None:
        ax.plot(it, backprop["train_loss"], "-", color="C1", linewidth=4, alpha=0.5, label="backprop gradient")
    ax.plot(it, numerical["train_loss"], "x" if not long_run else "-", color="C0", markersize=10,
            label="numerical gradient")
    ax.set_xlabel("iteration")
    ax.set_ylabel("loss (batch, after the update)")
    # Plain tick values: a few iterations move the loss in the 4th decimal, which matplotlib
    # would otherwise print as an offset ("+2.301") above the axis.
    ax.ticklabel_format(axis="y", useOffset=False)
    ax.set_title(f"TwoLayerNet, same seed and batches: {len(it)} iterations")
    if not long_run:
        ax.set_xticks(it)
    ax.legend()
    if long_run:
        _accuracy_panel(axes[0, 1], numerical["train_acc"], numerical["test_acc"])
        axes[0, 1].set_title("numerical gradient: accuracy per epoch (Figure 4-12)")
    _save(fig, path)


# --- chapter 5 ---------------------------------------------------------------------------


def draw_backprop_training(data, path):
    """Loss per iteration and accuracy per epoch of TwoLayerNet with backprop (Figures 4-11, 4-12)."""
    run = data["run"]
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.2))
    axes[0].plot(np.arange(len(run["train_loss"])), run["train_loss"], linewidth=0.6)
    axes[0].set_xlabel("iteration")
    axes[0].set_ylabel("loss")
    axes[0].set_title("training loss (Figure 4-11)")
    _accuracy_panel(axes[1], run["train_acc"], run["test_acc"])
    axes[1].set_title("accuracy per epoch (Figure 4-12)")
    _save(fig, path)


# --- chapter 6 ---------------------------------------------------------------------------


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
    _save_laid_out(fig, path)


def _smoothed_losses(losses, path, ylim, title):
    fig, ax = plt.subplots(figsize=(7.5, 5))
    for name, curve in losses.items():
        x = np.arange(len(curve))
        every = max(len(curve) // 20, 1)
        ax.plot(x, smooth_curve(curve), marker=_MARKERS.get(name), markevery=every, markersize=5, label=name)
    ax.set_xlabel("iterations")
    ax.set_ylabel("loss (smooth_curve)")
    ax.set_ylim(*ylim)
    ax.set_title(title)
    ax.legend()
    _save(fig, path)


def draw_optimizer_comparison(data, path):
    """Smoothed MNIST training loss of SGD, Momentum, AdaGrad, Adam (Figure 6-9)."""
    _smoothed_losses(data["losses"]["train_loss"], path, (0, 1),
                     "optimizers on MNIST, 784-100×4-10 (Figure 6-9)")


def draw_weight_init(data, path):
    """Smoothed MNIST training loss for std=0.01, Xavier, He (Figure 6-15)."""
    _smoothed_losses(data["losses"]["train_loss"], path, (0, 2.5),
                     "weight initialisation on MNIST, 784-100×4-10 ReLU (Figure 6-15)")


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
    _save_laid_out(fig, path)


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
    _save_laid_out(fig, path)


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
    _save_laid_out(fig, path)


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
    _save_laid_out(fig, path)


# --- chapters 7 and 8 --------------------------------------------------------------------


def _filter_mosaic(filters, cols=10, gap=1):
    """The first channel of each filter in a grid, each scaled to [0, 1] on its own, NaN between.

    Args:
        filters: (FN, C, FH, FW).

    Returns:
        (rows·(FH+gap)−gap, cols·(FW+gap)−gap) array.
    """
    fn, _, fh, fw = filters.shape
    rows = math.ceil(fn / cols)
    mosaic = np.full((rows * (fh + gap) - gap, cols * (fw + gap) - gap), np.nan)
    for i, w in enumerate(np.asarray(filters, dtype=float)[:, 0]):
        # Each filter on its own grey scale, as the book's one imshow per filter does.
        span = w.max() - w.min()
        r, c = divmod(i, cols)
        mosaic[r * (fh + gap):r * (fh + gap) + fh, c * (fw + gap):c * (fw + gap) + fw] = \
            (w - w.min()) / span if span > 0 else 0.5
    return mosaic


def _filters_before_after(before, after, path, before_title, after_title):
    # One image per panel rather than one axes per filter (as visualize_filter.py has):
    # the same picture, drawn ~20x faster.
    cmap = plt.get_cmap("gray_r").with_extremes(bad="white")
    fig, axes = plt.subplots(2, 1, figsize=(10, 7.5))
    for ax, filters, title in zip(axes, (before, after), (before_title, after_title)):
        ax.imshow(_filter_mosaic(filters), cmap=cmap, interpolation="nearest", vmin=0, vmax=1)
        ax.set_title(title, fontsize=12)
        ax.axis("off")
    _save(fig, path)


def draw_pretrained_filters(data, path):
    """SimpleConvNet's 30 first-layer 5×5 filters: fresh init and published weights (Figure 7-24)."""
    d = data["pretrained"]
    _filters_before_after(d["filters_initial"], d["filters"], path,
                          "before learning: SimpleConvNet() initial W1 (std 0.01)",
                          "after learning: W1 of the published ch07/params.pkl (Figure 7-24)")


def draw_training_filters(data, path):
    """SimpleConvNet's first-layer filters before and after the training run made here (Figure 7-24)."""
    run = data["run"]
    _filters_before_after(run["filters_before"], run["filters_after"], path,
                          "before learning (this run's initial W1)", "after this run's training")


def draw_misclassified(data, path):
    """The first 20 misclassified test images with true and predicted labels (Figure 8-3)."""
    d = data["pretrained"]
    n = min(20, len(d["misclassified"]))
    cols = 5
    rows = max(math.ceil(n / cols), 1)
    fig, axes = plt.subplots(rows, cols, figsize=(2.0 * cols, 2.3 * rows), squeeze=False)
    for i, ax in enumerate(axes.ravel()):
        ax.set_xticks([])
        ax.set_yticks([])
        if i >= n:
            ax.axis("off")
            continue
        ax.imshow(d["misclassified_images"][i].reshape(28, 28), cmap="gray_r", interpolation="nearest")
        ax.set_title(f"#{d['misclassified'][i]}: true {d['misclassified_true'][i]}, "
                     f"pred {d['misclassified_predicted'][i]}", fontsize=8)
    fig.suptitle(f"DeepConvNet (published weights): first {n} of {len(d['misclassified'])} misclassified "
                 f"test images (Figure 8-3)")
    _save_laid_out(fig, path)


def draw_convnet_training(data, path):
    """Train/test accuracy per epoch of a ConvNet trained here (Figure 7-20 for SimpleConvNet)."""
    run = data["run"]
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.2))
    axes[0].plot(run["train_loss"], linewidth=0.6)
    axes[0].set_xlabel("iteration")
    axes[0].set_ylabel("loss")
    axes[0].set_title("training loss")
    _accuracy_panel(axes[1], run["train_acc"], run["test_acc"])
    axes[1].set_title(f"accuracy per epoch (evaluation samples); final test {run['final_test_acc']:.4f}")
    _save(fig, path)
