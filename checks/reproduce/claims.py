"""The table of the book's claims that ``make reproduce`` checks: one row per experiment.

Each ``Claim`` says where the claim comes from (chapter, section, the book's script),
what the book shows, how it is measured here, which tolerance applies and why, which
experiment calls produce the data (``reference/experiments``, by function name, with
their arguments for each tier), how the data is judged (``verdicts``: one judge per
claim) and which figures are drawn from it (``figures``).

The table is the single source of every caller: ``make reproduce`` (``runner``), the
regression tests (``checks/suite/test_claims.py``: the ``quick`` tier in ``make check``,
the ``book`` tier under the ``slow`` marker) and ``checks/tools/margins.py`` all run a
claim's calls with ``run_calls`` and judge the data with the claim's judge.
"""

import inspect
import json
from dataclasses import dataclass, field
from typing import Callable

from reference.experiments import BOOK_WEIGHT_SCALES

from . import figures, verdicts
from .texts import N_

__all__ = ["Options", "Call", "Figure", "Claim", "CLAIMS", "claim_names", "select_claims", "claim_named",
           "run_calls", "NUMERICAL_DEFAULT_ITERATIONS"]

# Chapter 4's TwoLayerNet with numerical gradients costs about a minute per iteration on
# the book's network (≈80,000 forward passes of a batch of 100): the default runs the first
# few iterations and compares them with backprop; --full-numerical runs the book's 10,000.
NUMERICAL_DEFAULT_ITERATIONS = 3


@dataclass(frozen=True)
class Options:
    """What a run was asked for (the CLI flags that change which data is computed).

    ``impl`` is the implementation the experiments take their components from: any
    ``--impl`` value ``make grade`` accepts (reference, exercises, PATH, book:PATH, mutant:NAME).
    """

    seed: int = 0
    quick: bool = False
    full_numerical: bool = False
    train_convnets: bool = False
    impl: str = "reference"

    @property
    def tier(self):
        return "quick" if self.quick else "book"


@dataclass(frozen=True)
class Call:
    """One call of an experiment function of ``reference.experiments``, by name."""

    function: str
    kwargs: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Figure:
    """A PNG of the report, drawn by ``draw(data, path)`` from the results of ``keys``."""

    file: str
    caption: str
    keys: tuple
    draw: Callable


@dataclass(frozen=True)
class Claim:
    """One row of the table: a claim of the book and how this run checks it.

    Attributes:
        name: identifier (``--only`` takes it).
        chapter, section: where the claim is in the book.
        scripts: the book's scripts (official repository paths).
        title: heading in the report.
        book: what the book shows or prints.
        book_value: the claim in a few words, for the summary table.
        method: how it is measured here.
        tolerance: the tolerance and where its margin comes from.
        calls: ``Options`` → ``{key: Call}``, the experiment calls whose results are judged and drawn.
        judge: ``(data, Options)`` → ``verdicts.Verdict``.
        figures: the figures drawn from the same data.
        opt_in: the flag a run needs for this claim (None: always run).
    """

    name: str
    chapter: int
    section: str
    scripts: tuple
    title: str
    book: str
    book_value: str
    method: str
    tolerance: str
    calls: Callable
    judge: Callable
    figures: tuple = ()
    opt_in: str = None

    def enabled(self, opts):
        if self.opt_in == "--train-convnets":
            return opts.train_convnets
        return True


def _seeded(opts, function, **kwargs):
    return Call(function, {"seed": opts.seed, **kwargs})


def _book_size_training(opts, dtype="float64"):
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
    if opts.impl != "reference" or dtype == "float64":
        return {}
    return {"dtype": dtype, "threads": 2}


def _numerical_calls(opts):
    if opts.quick:
        # 784-5-10 and batches of 10 (≈2 s; the book's net takes a minute per numerical iteration).
        size = dict(iterations=3, hidden_size=5, batch_size=10, test_size=1000)
    elif opts.full_numerical:
        size = {}  # the book's: 784-50-10, batch 100, lr 0.1, 10,000 iterations
    else:
        size = dict(iterations=NUMERICAL_DEFAULT_ITERATIONS)
    return {
        "numerical": _seeded(opts, "two_layer_net_training", gradient="numerical", **size),
        "backprop": _seeded(opts, "two_layer_net_training", gradient="backprop", **size),
    }


_PUBLISHED_NOTE = N_(
    "The book's text reports the accuracy of its authors' own training run; the parameter file "
    "published with the book's code comes from a different, shorter run and scores lower. The "
    "verdict pins what the published file gives (checks/reproduce/verdicts.py, confirmed by "
    "an independent forward pass); the book's figure is listed beside it.")



def _thresholds(judge):
    """The sentence naming where ``judge``'s thresholds and their measured ranges are."""
    return N_("Thresholds, with the range each was measured in and its source beside it: `{judge}` in "
              "checks/reproduce/verdicts.py (`python -m checks.tools.margins` re-measures them).", judge=judge)


CLAIMS = (
    Claim(
        name="ch03_activation_functions", chapter=3, section="§3.2.2–3.2.7",
        scripts=("ch03/step_function.py", "ch03/sig_step_compare.py", "ch03/relu.py"),
        title=N_("Step, sigmoid and ReLU"),
        book=N_("The step function jumps from 0 to 1 at x = 0; the sigmoid is its smooth version; "
                "ReLU is max(0, x) (Figures 3-6 to 3-9, over np.arange(-5, 5, 0.1))."),
        book_value=N_("definitions"),
        method=N_("`activation_functions()` evaluates `step_function`, `sigmoid`, `relu` on the book's grid "
                  "and compares them with their formulas."),
        tolerance=N_("Exact for step and ReLU; floating-point rounding of exp for the sigmoid."),
        calls=lambda opts: {"functions": Call("activation_functions")},
        judge=verdicts.judge_activation_functions,
        figures=(Figure("ch03_activation_functions.png", N_("Step, sigmoid and ReLU (book Figures 3-6 to 3-9)."),
                        ("functions",), figures.draw_activation_functions),),
    ),
    Claim(
        name="ch03_sample_weights", chapter=3, section="§3.6.2–3.6.3",
        scripts=("ch03/neuralnet_mnist.py", "ch03/neuralnet_mnist_batch.py"),
        title=N_("Inference with the book's sample_weight.pkl"),
        book=N_('The 3-layer sigmoid network of ch03/sample_weight.pkl classifies the 10,000 test images: '
                '"Accuracy:0.9352", one image at a time and in batches of 100. Forgetting normalize=True '
                '(pixels 0–255) gives 0.9207.'),
        book_value=N_("{normalized:.4f} exactly ({unnormalized:.4f} unnormalized)",
                      normalized=verdicts.SAMPLE_WEIGHT_CORRECT / 10000,
                      unnormalized=verdicts.SAMPLE_WEIGHT_UNNORMALIZED_CORRECT / 10000),
        method=N_("`sample_weight_accuracy()` one by one and with batch_size=100 (normalize=True), and with "
                  "normalize=False; counts of correct test images."),
        tolerance=N_("Exact counts ({correct} and {unnormalized}): deterministic, printed by the book's scripts.",
                     correct=verdicts.SAMPLE_WEIGHT_CORRECT, unnormalized=verdicts.SAMPLE_WEIGHT_UNNORMALIZED_CORRECT),
        calls=lambda opts: {
            "one_by_one": Call("sample_weight_accuracy", {"normalize": True, "batch_size": None}),
            "batch": Call("sample_weight_accuracy", {"normalize": True, "batch_size": 100}),
            "unnormalized": Call("sample_weight_accuracy", {"normalize": False, "batch_size": 100}),
        },
        judge=verdicts.judge_sample_weights,
    ),
    Claim(
        name="ch04_gradient_field", chapter=4, section="§4.4",
        scripts=("ch04/gradient_2d.py",),
        title=N_("Gradient field of x0² + x1²"),
        book=N_("The negative gradient of f(x0, x1) = x0² + x1², drawn as arrows on the grid "
                "np.arange(-2, 2.5, 0.25), points to the minimum at the origin, longer further away (Figure 4-9)."),
        book_value=N_("arrows = −2x"),
        method=N_("`gradient_field()`: `numerical_gradient` at every grid point, compared with the exact (2·x0, 2·x1)."),
        tolerance=N_("Deterministic: the central difference is exact for a quadratic up to rounding."),
        calls=lambda opts: {"field": Call("gradient_field")},
        judge=verdicts.judge_gradient_field,
        figures=(Figure("ch04_gradient_field.png", N_("Negative gradient of x0² + x1² (book Figure 4-9)."),
                        ("field",), figures.draw_gradient_field),),
    ),
    Claim(
        name="ch04_gradient_descent", chapter=4, section="§4.4.1",
        scripts=("ch04/gradient_method.py",),
        title=N_("Gradient descent from (-3, 4)"),
        book=N_("Gradient descent on x0² + x1² from (-3, 4) with lr 0.1 walks straight to the origin "
                "(Figure 4-10, 20 steps); with 100 steps the book prints [-6.11110793e-10, 8.14814391e-10]."),
        book_value=N_("path to the origin; [-6.11e-10, 8.15e-10]"),
        method=N_("`gradient_descent_path()` with 20 steps (the figure) and 100 steps (the printed value)."),
        tolerance=N_("Deterministic: each step multiplies x by 0.8; the 100-step end point is the book's printed value (to"
                     " the 9 digits it prints)."),
        calls=lambda opts: {"path": Call("gradient_descent_path", {"step_num": 20}),
                            "path_100": Call("gradient_descent_path", {"step_num": 100})},
        judge=verdicts.judge_gradient_descent,
        figures=(Figure("ch04_gradient_descent.png", N_("Gradient-descent path, lr 0.1, 20 steps (book Figure 4-10)."),
                        ("path",), figures.draw_gradient_descent),),
    ),
    Claim(
        name="ch04_numerical_training", chapter=4, section="§4.5",
        scripts=("ch04/train_neuralnet.py",),
        title=N_("Training TwoLayerNet with numerical gradients"),
        book=N_("TwoLayerNet (784-50-10) trained by SGD (lr 0.1, batch 100, 10,000 iterations) with "
                "numerical gradients: the loss falls and train/test accuracy rise together to ≈0.94–0.95 "
                "(Figures 4-11, 4-12); the book warns it is very slow."),
        book_value=N_("learns like backprop (≈0.94–0.95)"),
        method=N_("`two_layer_net_training(gradient='numerical')` and the same run with backprop (same seed, "
                  "same batches). Default: the book's network for its first {iterations} "
                  "iterations (about a minute each); `--full-numerical`: the book's 10,000 iterations "
                  "(days of CPU). Step by step equal to backprop, the full run's accuracy curve is the one "
                  "measured in ch05_backprop_training.", iterations=NUMERICAL_DEFAULT_ITERATIONS),
        tolerance=N_("Default and --quick: the numerical and backprop trajectories coincide (the gradients agree to ~1e-7)"
                     " and the first step lowers its batch's loss, thresholds measured over seeds 0–9 at the quick size. "
                     "--full-numerical: the backprop run's accuracy thresholds (not measured over seeds at this cost). " "{source}", source=_thresholds("judge_numerical_training")),
        calls=_numerical_calls,
        judge=verdicts.judge_numerical_training,
        figures=(Figure("ch04_numerical_training.png",
                        N_("Loss per iteration with numerical and backprop gradients, same seed and batches "
                           "(with --full-numerical also the accuracy per epoch, book Figure 4-12)."),
                        ("numerical", "backprop"), figures.draw_numerical_training),),
    ),
    Claim(
        name="ch05_gradient_check", chapter=5, section="§5.7.3",
        scripts=("ch05/gradient_check.py",),
        title=N_("Gradient check of TwoLayerNet"),
        book=N_("Backprop and numerical gradients of TwoLayerNet (784-50-10) on 3 training images agree: "
                "mean |difference| per parameter ≈1e-10…1e-13."),
        book_value=N_("agree (≈1e-10…1e-13)"),
        method=N_("`gradient_check_two_layer_net()` on the first 3 training images in float64; "
                  "--quick uses 784-10-10."),
        tolerance=N_("Per parameter, mean |diff| and max |diff| / max |grad| well above the floor the h = 1e-4 central "
                     "difference sets (measured over seeds 0–4) and far below what wrong backward passes give. " "{source}", source=_thresholds("judge_gradient_check")),
        calls=lambda opts: {"check": _seeded(opts, "gradient_check_two_layer_net",
                                             hidden_size=10 if opts.quick else 50)},
        judge=verdicts.judge_gradient_check,
    ),
    Claim(
        name="ch05_backprop_training", chapter=5, section="§5.7.4",
        scripts=("ch05/train_neuralnet.py",),
        title=N_("Training TwoLayerNet with backpropagation"),
        book=N_("The same training with backprop: test accuracy ≈0.97 after 10,000 iterations, train ≈ test "
                "(no overfitting)."),
        book_value=N_("test ≈0.97, train ≈ test"),
        method=N_("`backprop_training()`: 10,000 iterations, accuracy on all 60,000 / 10,000 images every 600 "
                  "iterations (17 evaluations); --quick: 601 iterations."),
        tolerance=N_("Book size: seed 0 measured; --quick: one epoch, seeds 0–9 measured. " "{source}", source=_thresholds("judge_backprop_training")),
        calls=lambda opts: {"run": _seeded(opts, "backprop_training", **({"iterations": 601} if opts.quick else {}))},
        judge=verdicts.judge_backprop_training,
        figures=(Figure("ch05_backprop_training.png",
                        N_("Training loss and train/test accuracy per epoch (book Figures 4-11, 4-12)."),
                        ("run",), figures.draw_backprop_training),),
    ),
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
                     " where an epsilon sits. " "{source}", source=_thresholds("judge_optimizer_paths")),
        calls=lambda opts: {"paths": Call("optimizer_paths")},
        judge=verdicts.judge_optimizer_paths,
        figures=(Figure("ch06_optimizer_paths.png", N_("Optimizer paths, 2×2 panels (book Figure 6-8)."),
                        ("paths",), figures.draw_optimizer_paths),),
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
        tolerance=N_("Book size: seed 0 measured at iterations 481–500 and at the end; --quick: seeds 0–9 measured. " "{source}", source=_thresholds("judge_optimizer_comparison")),
        calls=lambda opts: {"losses": _seeded(opts, "optimizer_comparison", **({"iterations": 100} if opts.quick else {}))},
        judge=verdicts.judge_optimizer_comparison,
        figures=(Figure("ch06_optimizer_comparison.png", N_("Smoothed training loss per optimizer (book Figure 6-9)."),
                        ("losses",), figures.draw_optimizer_comparison),),
    ),
    Claim(
        name="ch06_weight_init", chapter=6, section="§6.2.4",
        scripts=("ch06/weight_init_compare.py",),
        title=N_("Initial weight values compared on MNIST"),
        book=N_("Same network, SGD lr 0.01, batch 128, 2,000 iterations: std=0.01 stays flat at ≈2.30 (no "
                "learning), Xavier and He converge, He faster (He ≈0.34, Xavier ≈1.06 at 500) (Figure 6-15)."),
        book_value=N_("std=0.01 flat; He faster than Xavier"),
        method=N_("`weight_init_comparison()`; window means as above; --quick: 200 iterations."),
        tolerance=N_("Book size: seed 0 measured at iterations 481–500 and at the end; --quick: seeds 0–9 measured. " "{source}", source=_thresholds("judge_weight_init")),
        calls=lambda opts: {"losses": _seeded(opts, "weight_init_comparison", **({"iterations": 200} if opts.quick else {}))},
        judge=verdicts.judge_weight_init,
        figures=(Figure("ch06_weight_init.png", N_("Smoothed training loss per initialisation (book Figure 6-15)."),
                        ("losses",), figures.draw_weight_init),),
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
        tolerance=N_("Seeds 0–9 measured: fractions at the extremes and in the middle, spreads per layer. " "{source}", source=_thresholds("judge_activation_histograms")),
        calls=lambda opts: {"histograms": _seeded(opts, "activation_histograms")},
        judge=verdicts.judge_activation_histograms,
        figures=(
            Figure("ch06_activation_histograms_sigmoid.png",
                   N_("Sigmoid activations, 5 layers × 3 initialisations (book Figures 6-10, 6-11, 6-13)."),
                   ("histograms",), figures.draw_activation_histograms_sigmoid),
            Figure("ch06_activation_histograms_relu.png",
                   N_("ReLU activations, 5 layers × 3 initialisations (book Figure 6-14)."),
                   ("histograms",), figures.draw_activation_histograms_relu),
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
        tolerance=N_("Book size: counts of scales, seeds 0–2 measured; --quick: one scale, seeds 0–9 measured. " "{source}", source=_thresholds("judge_batch_norm")),
        calls=lambda opts: {"bn": _seeded(opts, "batch_norm_comparison", **(
            {"weight_scales": [float(BOOK_WEIGHT_SCALES[4])], "epochs": 11} if opts.quick else {}))},
        judge=verdicts.judge_batch_norm,
        figures=(Figure("ch06_batch_norm.png",
                        N_("Training accuracy with BN (solid) and without (dashed), one panel per weight scale "
                           "(book Figure 6-19)."), ("bn",), figures.draw_batch_norm),),
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
        tolerance=N_("Book size: seed 0 measured; --quick: seeds 0–4 measured. " "{source}", source=_thresholds("judge_weight_decay")),
        calls=lambda opts: {"runs": _seeded(opts, "weight_decay_overfitting", **(
            {"epochs": 101, "test_size": 500} if opts.quick else {}))},
        judge=verdicts.judge_weight_decay,
        figures=(Figure("ch06_weight_decay.png",
                        N_("Train and test accuracy per epoch, λ = 0 and λ = 0.1 (book Figures 6-20, 6-21)."),
                        ("runs",), figures.draw_weight_decay),),
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
        tolerance=N_("Book size: seed 0 measured; --quick: seeds 0–4 measured. " "{source}", source=_thresholds("judge_dropout")),
        calls=lambda opts: {"runs": _seeded(opts, "dropout_overfitting", **(
            {"epochs": 101, "test_size": 500} if opts.quick else {}))},
        judge=verdicts.judge_dropout,
        figures=(Figure("ch06_dropout.png", N_("Train and test accuracy per epoch without and with Dropout "
                                               "(book Figure 6-23)."), ("runs",), figures.draw_dropout),),
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
        tolerance=N_("Book size: seed 0 measured; --quick: seeds 0–9 measured (few quick trials draw a good lr: the "
                     "criteria about them then do not apply). Weight decay is not judged: over 1e-8–1e-4 it barely matters"
                     " at 50 epochs. " "{source}", source=_thresholds("judge_hyperparameter_search")),
        calls=lambda opts: {"search": _seeded(opts, "hyperparameter_search", **(
            {"trials": 4, "epochs": 30} if opts.quick else {}))},
        judge=verdicts.judge_hyperparameter_search,
        figures=(Figure("ch06_hyperparameter_search.png",
                        N_("The 20 best trials: validation (solid) and train (dashed) accuracy per epoch "
                           "(book Figure 6-24)."), ("search",), figures.draw_hyperparameter_search),),
    ),
    Claim(
        name="ch07_simple_convnet", chapter=7, section="§7.5–7.6",
        scripts=("ch07/visualize_filter.py", "ch07/train_convnet.py"),
        title=N_("SimpleConvNet with the published ch07/params.pkl"),
        book=N_("SimpleConvNet reaches ≈99% test accuracy (the book's text, its own 20-epoch run); its first-layer "
                "filters turn from noise into edge and blob detectors (Figure 7-24)."),
        book_value=N_("≈{book} (book's run); file: {file:.4f}", book=verdicts.BOOK_SIMPLE_CONVNET_ACCURACY,
                      file=verdicts.SIMPLE_CONVNET_CORRECT / 10000),
        method=N_("`simple_convnet_pretrained()`: `SimpleConvNet()` with `load_params(ch07/params.pkl)` on the 10,000 "
                  "test images; the filters before (a fresh init, seeded) and after (the published W1)."),
        tolerance=N_("Exact count {correct}/10000 for the published file. {note}",
                     correct=verdicts.SIMPLE_CONVNET_CORRECT, note=_PUBLISHED_NOTE),
        calls=lambda opts: {"pretrained": _seeded(opts, "simple_convnet_pretrained")},
        judge=verdicts.judge_simple_convnet_pretrained,
        figures=(Figure("ch07_filters.png",
                        N_("First-layer filters before (fresh init) and after learning (published weights) "
                           "(book Figure 7-24)."), ("pretrained",), figures.draw_pretrained_filters),),
    ),
    Claim(
        name="ch08_deep_convnet", chapter=8, section="§8.1.1, §8.3.4",
        scripts=("ch08/misclassified_mnist.py", "ch08/half_float_network.py"),
        title=N_("DeepConvNet with the published ch08/deep_convnet_params.pkl"),
        book=N_("DeepConvNet reaches ≈99.4% test accuracy (the book's text, its own run); the misclassified images "
                "are hard even for people (Figure 8-3); in float16 the accuracy barely changes (§8.3.4)."),
        book_value=N_("≈{book} (book's run); file: {file:.4f}; float16 ≈ same", book=verdicts.BOOK_DEEP_CONVNET_ACCURACY,
                      file=verdicts.DEEP_CONVNET_CORRECT[10000][0] / 10000),
        method=N_("`deep_convnet_pretrained()`: `DeepConvNet()` with `load_params(ch08/deep_convnet_params.pkl)`, "
                  "float64 and after `half_float_network` (float16 parameters and inputs); --quick: the first "
                  "2,000 test images."),
        tolerance=N_("Exact counts in float64 and float16 for the published file (of 10,000, or of the first 2,000 at "
                     "--quick), float16 barely changing it, the first misclassified indices as pinned. " "{note}", note=_PUBLISHED_NOTE),
        calls=lambda opts: {"pretrained": Call("deep_convnet_pretrained", {"test_size": 2000} if opts.quick else {})},
        judge=verdicts.judge_deep_convnet_pretrained,
        figures=(Figure("ch08_misclassified.png",
                        N_("The first misclassified test images, true and predicted labels (book Figure 8-3)."),
                        ("pretrained",), figures.draw_misclassified),),
    ),
    Claim(
        name="ch07_simple_convnet_training", chapter=7, section="§7.5",
        scripts=("ch07/train_convnet.py",),
        title=N_("Training SimpleConvNet (opt-in)"),
        book=N_("SimpleConvNet, Adam lr 0.001, batch 100, 20 epochs on 60,000 images: test accuracy ≈99% (Figure 7-20)."),
        book_value=f"≈{verdicts.BOOK_SIMPLE_CONVNET_ACCURACY}",
        method=N_("`simple_convnet_training()` at the book's size (20 epochs, batch 100, Adam lr 0.001, 1,000 images "
                  "evaluated per epoch); --quick: 1 epoch on 1,000 images (10 steps)."),
        tolerance=N_("Book size: the book's figure less a stated margin (one run, not measured over seeds); --quick: "
                     "seeds 0–9 measured. " "{source}", source=_thresholds("judge_simple_convnet_training")),
        calls=lambda opts: {"run": _seeded(opts, "simple_convnet_training", **(
            {"epochs": 1, "train_size": 1000, "test_size": 500, "evaluate_sample_num_per_epoch": 500}
            if opts.quick else _book_size_training(opts, "float64")))},
        judge=verdicts.judge_simple_convnet_training,
        figures=(
            Figure("ch07_training.png", N_("Training loss and accuracy per epoch (book Figure 7-20)."),
                   ("run",), figures.draw_convnet_training),
            Figure("ch07_training_filters.png", N_("First-layer filters before and after this run's training "
                                                   "(book Figure 7-24)."), ("run",), figures.draw_training_filters),
        ),
        opt_in="--train-convnets",
    ),
    Claim(
        name="ch08_deep_convnet_training", chapter=8, section="§8.1.1",
        scripts=("ch08/train_deepnet.py",),
        title=N_("Training DeepConvNet (opt-in)"),
        book=N_("DeepConvNet, Adam lr 0.001, 20 epochs: test accuracy ≈99.4%."),
        book_value=f"≈{verdicts.BOOK_DEEP_CONVNET_ACCURACY}",
        method=N_("`deep_convnet_training()` at the book's size (20 epochs, batch 100, Adam lr 0.001, 1,000 images "
                  "evaluated per epoch), in float32 on two threads for the reference (float64 for other implementations); --quick: 1 epoch on 3,000 images (30 steps), 500 test images."),
        tolerance=N_("Book size: the book's figure less a stated margin (one run, not measured over seeds); --quick: "
                     "seeds 0–9 measured. " "{source}", source=_thresholds("judge_deep_convnet_training")),
        calls=lambda opts: {"run": _seeded(opts, "deep_convnet_training", **(
            {"epochs": 1, "train_size": 3000, "test_size": 500, "evaluate_sample_num_per_epoch": 500}
            if opts.quick else _book_size_training(opts, "float32")))},
        judge=verdicts.judge_deep_convnet_training,
        figures=(Figure("ch08_training.png", N_("Training loss and accuracy per epoch."), ("run",),
                        figures.draw_convnet_training),),
        opt_in="--train-convnets",
    ),
)


def claim_names():
    """Names of every claim, in report order."""
    return [c.name for c in CLAIMS]


def select_claims(only=None):
    """The claims named in ``only`` (all when None), in report order; ValueError on an unknown name."""
    if not only:
        return list(CLAIMS)
    unknown = sorted(set(only) - set(claim_names()))
    if unknown:
        raise ValueError(f"unknown experiment(s) {', '.join(unknown)}; known: {', '.join(claim_names())}")
    return [c for c in CLAIMS if c.name in set(only)]


def claim_named(name):
    """The claim called ``name``; ValueError naming the known ones otherwise."""
    for claim in CLAIMS:
        if claim.name == name:
            return claim
    raise ValueError(f"unknown experiment {name!r}; known: {', '.join(claim_names())}")


def _experiments_module():
    # Imported when a run starts, and looked up by name at each call, so that a test can
    # substitute an experiment (e.g. one that raises) on the module.
    import importlib

    return importlib.import_module("reference.experiments")


def run_calls(calls, lib=None, *, progress=None, done=None, cache=None):
    """Run a claim's experiment calls on ``lib`` and return ``{key: returned data}``.

    Args:
        calls: ``{key: Call}``, as ``Claim.calls(opts)`` gives them.
        lib: the implementation namespace the experiments take their components from
            (None: the reference).
        progress: optional ``(index, key) -> progress(done, total)`` callback factory, passed
            to the experiments that report progress.
        done: optional ``(index, key)`` called after each call.
        cache: optional dict shared between claims (e.g. a test module's): a call equal to one
            already made (same function and arguments) reuses its data instead of running again.
    """
    experiments = _experiments_module()
    data = {}
    for index, (key, call) in enumerate(calls.items()):
        identity = (call.function, json.dumps(call.kwargs, sort_keys=True))
        if cache is not None and identity in cache:
            data[key] = cache[identity]
        else:
            function = getattr(experiments, call.function)
            kwargs = dict(call.kwargs)
            if lib is not None:
                kwargs["lib"] = lib
            if progress is not None and "progress" in inspect.signature(function).parameters:
                kwargs["progress"] = progress(index, key)
            data[key] = function(**kwargs)
            if cache is not None:
                cache[identity] = data[key]
        if done is not None:
            done(index, key)
    return data
