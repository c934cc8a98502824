"""Chapter 8's claims: DeepConvNet with the published ch08/deep_convnet_params.pkl (§8.1.1, §8.3.4), and
trained here (§8.1.1).

The values over seeds that justify each stochastic threshold are in bands.json beside this
file (``make margins``); the comments here say why a threshold sits where it does.
"""

import math

import numpy as np

from ..model import Call, Claim, Figure, seeded, thresholds_source
from ..plotting import plt, save_laid_out
from ..texts import N_, _
from ..verdict import Verdict
from .ch07 import PUBLISHED_NOTE, book_size_training, draw_convnet_training, reference_training, training_record

__all__ = ["CLAIMS", "DEEP_CONVNET_CORRECT", "DEEP_CONVNET_FIRST_MISCLASSIFIED", "BOOK_DEEP_CONVNET_ACCURACY",
           "judge_deep_convnet_pretrained", "judge_deep_convnet_training", "draw_misclassified"]

# ch08/deep_convnet_params.pkl, measured with the reference on 2026-11-23 and confirmed by an
# independent forward pass: n_images → correct (float64, float16 after half_float_network);
# float16 changes one answer of 10,000 (image 5997, to right).
DEEP_CONVNET_CORRECT = {10000: (9797, 9798), 2000: (1949, 1949)}
# The first misclassified test images (float64), as ch08/misclassified_mnist.py lists them.
DEEP_CONVNET_FIRST_MISCLASSIFIED = [78, 151, 241, 259, 290, 320, 321, 445, 497, 571]
# What the book's text reports for its own training run (not the published file).
BOOK_DEEP_CONVNET_ACCURACY = 0.994


def judge_deep_convnet_pretrained(data, opts):
    d = data["pretrained"]
    n = d["n_images"]
    v = Verdict({"accuracy_float64": d["accuracy"], "n_correct_float64": d["n_correct"],
                 "accuracy_float16": d["accuracy_float16"], "n_correct_float16": d["n_correct_float16"],
                 "n_images": n, "n_misclassified": int(d["misclassified"].size),
                 "first_misclassified": [int(i) for i in d["misclassified"][:10]],
                 "book_text_accuracy": BOOK_DEEP_CONVNET_ACCURACY})
    expected64, expected16 = DEEP_CONVNET_CORRECT.get(n, (None, None))
    v.check(expected64 is not None and d["n_correct"] == expected64,
            _("float64: {n_correct}/{n} correct = {expected64} (pinned)",
              n_correct=d['n_correct'], n=n, expected64=expected64),
            hint=_("check conv4's pad (2), pooling stride 2, and that Dropout scales instead of dropping at "
                   "test time"))
    v.check(d["misclassified"].size == n - d["n_correct"]
            and np.all(d["misclassified_predicted"] != d["misclassified_true"]),
            _("{misclassified_size} misclassified indices for {errors} errors, each predicted ≠ true",
              misclassified_size=d['misclassified'].size, errors=n - d['n_correct']))
    v.check(expected16 is not None and d["n_correct_float16"] == expected16,
            _("float16 (half_float_network): {n_correct_float16}/{n} correct = {expected16} (pinned)",
              n_correct_float16=d['n_correct_float16'], n=n, expected16=expected16))
    # float16 rounds each parameter and input by ≤ 2^-11 relatively: it barely changes accuracy
    # (book §8.3.4); 0.001 leaves room for 10 answers of 10,000 (measured: one).
    v.bound(N_("float16: |accuracy change|"), abs(d["accuracy_float16"] - d["accuracy"]), "<=", 0.001,
            note=N_("barely changes"))
    first = [i for i in DEEP_CONVNET_FIRST_MISCLASSIFIED if i < n]
    v.check(d["misclassified"][:len(first)].tolist() == first,
            _("first misclassified test images {misclassified} as pinned",
              misclassified=d['misclassified'][:len(first)].tolist()))
    v.summary = _("published file {published:.4f}, float16 {float16:.4f} (book's text ≈{book} for its own run)",
                  published=d['accuracy'], float16=d['accuracy_float16'], book=BOOK_DEEP_CONVNET_ACCURACY)
    return v


def judge_deep_convnet_training(data, opts):
    run = data["run"]
    loss = run["train_loss"]
    v = Verdict(training_record(run))
    v.check(np.all(np.isfinite(loss)), _("all batch losses finite"))
    if opts.quick:
        # 30 Adam steps (1 epoch on 3,000 images), accuracy on 500 test images. A network that does
        # not learn stays at ln 10 ≈ 2.30 and 0.1. Over seeds 0-19 (bands.json, quick tier; the
        # reference in float32) the last 3 steps' mean runs 1.84-2.18 and the accuracy 0.41-0.72
        # (in float64: 1.83-2.17, 0.40-0.72): seed 14 learns (0.474) yet ends at 2.175, above the
        # 2.17 that seeds 0-9 had suggested, so the loss bound sits at 2.22, about halfway between
        # seed 14 and ln 10.
        first, last = float(np.mean(loss[:3])), float(np.mean(loss[-3:]))
        v.check(loss.size == 30, _("{loss_size} steps = 30 (Trainer: epochs × train_size / batch)",
                                   loss_size=loss.size))
        v.bound(N_("mean loss of the last 3 steps"), last, "<=", 2.22, spec=".3f",
                note=N_("first 3: {first:.3f}", first=first))
        v.bound(N_("test accuracy"), run["final_test_acc"], ">=", 0.35, spec=".3f", note=N_("chance 0.1"))
    else:
        # The book ≈0.994 after 20 epochs (§8.1.1): 0.99 leaves 0.4 points below the book's figure.
        # Over seeds 0-4 (bands.json, book tier) the runs end at 0.9918-0.9946, median 0.9937.
        v.bound(N_("final test accuracy"), run["final_test_acc"], ">=", 0.99,
                note=N_("the book ≈{book}", book=BOOK_DEEP_CONVNET_ACCURACY))
    v.summary = _("trained here ({dtype}): test {final_test_acc:.4f}", dtype=str(run.get("dtype", "float64")),
                  final_test_acc=run['final_test_acc'])
    return v


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
    save_laid_out(fig, path)


CLAIMS = (
    Claim(
        name="ch08_deep_convnet", chapter=8, section="§8.1.1, §8.3.4",
        scripts=("ch08/misclassified_mnist.py", "ch08/half_float_network.py"),
        title=N_("DeepConvNet with the published ch08/deep_convnet_params.pkl"),
        book=N_("DeepConvNet reaches ≈99.4% test accuracy (the book's text, its own run); the misclassified images "
                "are hard even for people (Figure 8-3); in float16 the accuracy barely changes (§8.3.4)."),
        book_value=N_("≈{book} (book's run); file: {file:.4f}; float16 ≈ same", book=BOOK_DEEP_CONVNET_ACCURACY,
                      file=DEEP_CONVNET_CORRECT[10000][0] / 10000),
        method=N_("`deep_convnet_pretrained()`: `DeepConvNet()` with `load_params(ch08/deep_convnet_params.pkl)`, "
                  "float64 and after `half_float_network` (float16 parameters and inputs); --quick: the first "
                  "2,000 test images."),
        tolerance=N_("Exact counts in float64 and float16 for the published file (of 10,000, or of the first 2,000 at "
                     "--quick), float16 barely changing it, the first misclassified indices as pinned. {note}",
                     note=PUBLISHED_NOTE),
        calls=lambda opts: {"pretrained": Call("deep_convnet_pretrained", {"test_size": 2000} if opts.quick else {})},
        judge=judge_deep_convnet_pretrained,
        figures=(Figure("ch08_misclassified.png",
                        N_("The first misclassified test images, true and predicted labels (book Figure 8-3)."),
                        ("pretrained",), draw_misclassified),),
    ),
    Claim(
        name="ch08_deep_convnet_training", chapter=8, section="§8.1.1",
        scripts=("ch08/train_deepnet.py",),
        title=N_("Training DeepConvNet (opt-in)"),
        book=N_("DeepConvNet, Adam lr 0.001, 20 epochs: test accuracy ≈99.4%."),
        book_value=f"≈{BOOK_DEEP_CONVNET_ACCURACY}",
        method=N_("`deep_convnet_training()` at the book's size (20 epochs, batch 100, Adam lr 0.001, 1,000 images "
                  "evaluated per epoch), in float32 on two threads for the reference (float64 for other implementations); --quick: 1 epoch on 3,000 images (30 steps), 500 test images, float32 on one thread for the reference."),
        tolerance=N_("Book size: the book's figure less a stated margin; --quick: a margin beyond the values measured "
                     "over seeds. {source}", source=thresholds_source(judge_deep_convnet_training)),
        calls=lambda opts: {"run": seeded(opts, "deep_convnet_training", **(
            {"epochs": 1, "train_size": 3000, "test_size": 500, "evaluate_sample_num_per_epoch": 500,
             **reference_training(opts, "float32")}
            if opts.quick else book_size_training(opts, "float32")))},
        judge=judge_deep_convnet_training,
        figures=(Figure("ch08_training.png", N_("Training loss and accuracy per epoch."), ("run",),
                        draw_convnet_training),),
        opt_in="--train-convnets",
    ),
)
