"""Chapter 7's claims: SimpleConvNet with the published ch07/params.pkl (§7.5–7.6), and trained here (§7.5).

What the two conv-net trainings share (ch08 imports it): the record results.json keeps of a
training run, its figure, the book-size settings, and the note on the published weights.
The values over seeds that justify each stochastic threshold are in bands.json beside this
file (``make margins``); the comments here say why a threshold sits where it does.
"""

import math

import numpy as np

from ..model import Claim, Figure, seeded, thresholds_source
from ..plotting import accuracy_panel, plt, save
from ..texts import N_, _
from ..verdict import Verdict

__all__ = ["CLAIMS", "SIMPLE_CONVNET_CORRECT", "BOOK_SIMPLE_CONVNET_ACCURACY", "PUBLISHED_NOTE",
           "judge_simple_convnet_pretrained", "judge_simple_convnet_training", "training_record",
           "book_size_training", "draw_convnet_training", "reference_training"]

# The published parameter file, measured with the reference on 2026-11-23 and confirmed by an
# independent forward pass (sliding windows + einsum, no im2col): correct test images of 10,000.
SIMPLE_CONVNET_CORRECT = 9600
# What the book's text reports for its own training run (not the published file).
BOOK_SIMPLE_CONVNET_ACCURACY = 0.99

PUBLISHED_NOTE = N_(
    "The book's text reports the accuracy of its authors' own training run; the parameter file "
    "published with the book's code comes from a different, shorter run and scores lower. The "
    "verdict pins what the published file gives (checks/reproduce/claims/, confirmed by "
    "an independent forward pass); the book's figure is listed beside it.")


def book_size_training(opts, dtype="float64"):
    """The book-size conv-net training's settings on the reference: `dtype`, and both cores for float32.

    DeepConvNet trains in float32 on two threads (an hour instead of two; its run matched
    the book's accuracy); SimpleConvNet as the book does, float64 on one thread, the other
    worker of `make reproduce` using the other core (a float32 run of seed 0 ended a point
    lower on the full test set: docs/reproduce.md has every full-size run). The runs'
    settings are the measured ones: a different dtype or thread count rounds differently
    and, over 12,000 steps, ends elsewhere. The report states the dtype (results.json's
    ``dtype``). A learner's network computes in float64 as the book does, and runs as
    written (threads only split the reference's).
    """
    return reference_training(opts, dtype, threads=2)


def reference_training(opts, dtype, threads=1):
    """`dtype` and `threads` for a conv-net training on the reference; nothing for another implementation.

    The quick tier's DeepConvNet trains in float32 on one thread (a worker of `make check` has one
    core): 30 steps in 4.8 s of CPU instead of 11.3 s in float64, its band over seeds measured so
    (bands.json, quick tier).
    """
    if opts.impl != "reference" or dtype == "float64":
        return {}
    return {"dtype": dtype, "threads": threads}


def training_record(run):
    """What results.json records of a ConvNet training: steps, accuracies, per-epoch curves, dtype.

    The per-epoch loss is the mean batch loss of each of the ``len(test_acc)`` equal stretches of
    steps (the per-step curve is in the figure); ``dtype`` is the record's own when the experiment
    gives one, else the book's float64. The training time is under ``timings`` (it varies).
    """
    loss = np.asarray(run["train_loss"], dtype=float)
    epochs = max(len(run["test_acc"]), 1)
    return {"steps": int(loss.size), "epochs": len(run["test_acc"]), "final_test_acc": float(run["final_test_acc"]),
            "train_acc": [float(a) for a in run["train_acc"]], "test_acc": [float(a) for a in run["test_acc"]],
            "loss_per_epoch": [float(np.mean(part)) for part in np.array_split(loss, epochs) if part.size],
            "dtype": str(run.get("dtype", "float64"))}


def judge_simple_convnet_pretrained(data, opts):
    d = data["pretrained"]
    v = Verdict({"accuracy": d["accuracy"], "n_correct": d["n_correct"], "n_images": d["n_images"],
                 "book_text_accuracy": BOOK_SIMPLE_CONVNET_ACCURACY})
    v.check(d["n_images"] == 10000 and d["n_correct"] == SIMPLE_CONVNET_CORRECT,
            _("published ch07/params.pkl: {n_correct}/{n_images} correct = "
              "{simple_convnet_correct}/10000 (pinned)",
              n_correct=d['n_correct'], n_images=d['n_images'], simple_convnet_correct=SIMPLE_CONVNET_CORRECT),
            hint=_("far lower points at Convolution/Pooling forward (im2col order, pooling window) or at "
                   "default constructor arguments that do not fit 28×28 MNIST"))
    v.summary = _("published file {published:.4f} (book's text ≈{book} for its own run)", published=d['accuracy'],
                  book=BOOK_SIMPLE_CONVNET_ACCURACY)
    return v


def judge_simple_convnet_training(data, opts):
    run = data["run"]
    change = float(np.max(np.abs(run["filters_after"] - run["filters_before"])))
    v = Verdict({**training_record(run), "max_abs_filter_change": change})
    if opts.quick:
        # 10 Adam steps on 1,000 images, from a loss of ln 10 ≈ 2.30; Adam moves a weight by about
        # lr = 0.001 per step, so 10 steps move the filters by about 0.01.
        v.check(run["train_loss"].size == 10, _("{train_loss_size} steps = 10 (Trainer: epochs × train_size / batch)",
                                                train_loss_size=run['train_loss'].size))
        v.bound(N_("last batch loss"), run["train_loss"][-1], "<=", 2.26, spec=".3f")
        v.bound(N_("test accuracy"), run["final_test_acc"], ">=", 0.18, spec=".3f", note=N_("chance 0.1"))
        v.bound(N_("max |change| of the first-layer filters"), change, "in", (0.005, 0.02), spec=".4f")
    else:
        # The book ≈0.99 after 20 epochs (§7.5, Figure 7-20): 0.985 leaves half a point below the
        # book's figure. Over seeds 0-4 (bands.json, book tier) the runs end at 0.9862-0.9908,
        # median 0.9894: each seed's trajectory lands elsewhere, the lowest 0.0012 above 0.985.
        v.bound(N_("final test accuracy"), run["final_test_acc"], ">=", 0.985,
                note=N_("the book ≈{book}", book=BOOK_SIMPLE_CONVNET_ACCURACY))
        v.check(change > 0, _("the first-layer filters changed"))
    v.summary = _("trained here ({dtype}): test {final_test_acc:.4f}", dtype=str(run.get("dtype", "float64")),
                  final_test_acc=run['final_test_acc'])
    return v


def _filter_mosaic(filters, cols=10, gap=1):
    """The first channel of each filter in a grid, each scaled to [0, 1] on its own, NaN between.

    Args:
        filters: (FN, C, FH, FW).

    Returns:
        (rows·(FH+gap)−gap, cols·(FW+gap)−gap) array.
    """
    fn, _channels, fh, fw = filters.shape
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
    save(fig, path)


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


def draw_convnet_training(data, path):
    """Train/test accuracy per epoch of a ConvNet trained here (Figure 7-20 for SimpleConvNet)."""
    run = data["run"]
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.2))
    axes[0].plot(run["train_loss"], linewidth=0.6)
    axes[0].set_xlabel("iteration")
    axes[0].set_ylabel("loss")
    axes[0].set_title("training loss")
    accuracy_panel(axes[1], run["train_acc"], run["test_acc"])
    axes[1].set_title(f"accuracy per epoch (evaluation samples); final test {run['final_test_acc']:.4f}")
    save(fig, path)


CLAIMS = (
    Claim(
        name="ch07_simple_convnet", chapter=7, section="§7.5–7.6",
        scripts=("ch07/visualize_filter.py", "ch07/train_convnet.py"),
        title=N_("SimpleConvNet with the published ch07/params.pkl"),
        book=N_("SimpleConvNet reaches ≈99% test accuracy (the book's text, its own 20-epoch run); its first-layer "
                "filters turn from noise into edge and blob detectors (Figure 7-24)."),
        book_value=N_("≈{book} (book's run); file: {file:.4f}", book=BOOK_SIMPLE_CONVNET_ACCURACY,
                      file=SIMPLE_CONVNET_CORRECT / 10000),
        method=N_("`simple_convnet_pretrained()`: `SimpleConvNet()` with `load_params(ch07/params.pkl)` on the 10,000 "
                  "test images; the filters before (a fresh init, seeded) and after (the published W1)."),
        tolerance=N_("Exact count {correct}/10000 for the published file. {note}",
                     correct=SIMPLE_CONVNET_CORRECT, note=PUBLISHED_NOTE),
        calls=lambda opts: {"pretrained": seeded(opts, "simple_convnet_pretrained")},
        judge=judge_simple_convnet_pretrained,
        figures=(Figure("ch07_filters.png",
                        N_("First-layer filters before (fresh init) and after learning (published weights) "
                           "(book Figure 7-24)."), ("pretrained",), draw_pretrained_filters),),
    ),
    Claim(
        name="ch07_simple_convnet_training", chapter=7, section="§7.5",
        scripts=("ch07/train_convnet.py",),
        title=N_("Training SimpleConvNet (opt-in)"),
        book=N_("SimpleConvNet, Adam lr 0.001, batch 100, 20 epochs on 60,000 images: test accuracy ≈99% (Figure 7-20)."),
        book_value=f"≈{BOOK_SIMPLE_CONVNET_ACCURACY}",
        method=N_("`simple_convnet_training()` at the book's size (20 epochs, batch 100, Adam lr 0.001, 1,000 images "
                  "evaluated per epoch); --quick: 1 epoch on 1,000 images (10 steps)."),
        tolerance=N_("Book size: the book's figure less a stated margin; --quick: a margin beyond the values measured "
                     "over seeds. {source}", source=thresholds_source(judge_simple_convnet_training)),
        calls=lambda opts: {"run": seeded(opts, "simple_convnet_training", **(
            {"epochs": 1, "train_size": 1000, "test_size": 500, "evaluate_sample_num_per_epoch": 500}
            if opts.quick else book_size_training(opts, "float64")))},
        judge=judge_simple_convnet_training,
        figures=(
            Figure("ch07_training.png", N_("Training loss and accuracy per epoch (book Figure 7-20)."),
                   ("run",), draw_convnet_training),
            Figure("ch07_training_filters.png", N_("First-layer filters before and after this run's training "
                                                   "(book Figure 7-24)."), ("run",), draw_training_filters),
        ),
        opt_in="--train-convnets",
    ),
)
