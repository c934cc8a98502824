"""Chapter 5's claims: the gradient check (§5.7.3) and training TwoLayerNet with backpropagation (§5.7.4).

The values over seeds that justify each stochastic threshold are in bands.json beside this
file (``make margins``); the comments here say why a threshold sits where it does.
"""

import numpy as np

from ..model import Claim, Figure, seeded, thresholds_source
from ..plotting import accuracy_panel, plt, save
from ..texts import N_, _
from ..verdict import Bound, Verdict

__all__ = ["CLAIMS", "judge_gradient_check", "judge_backprop_training", "draw_backprop_training"]


def judge_gradient_check(data, opts):
    # The central difference with h = 1e-4 and the 1e-7 inside cross_entropy_error's log set a
    # floor of max |diff| / max |grad| ≈ 1e-6; wrong backward passes (batch size not divided,
    # Relu mask not applied) give ratios ≥ 1e-1. The book: mean |diff| ≈1e-10…1e-13.
    result = data["check"]
    v = Verdict({f"{key}_{name}": float(stats[name]) for key, stats in result.items()
                 for name in ("mean_abs_diff", "max_abs_diff", "max_abs_grad")})
    worst_mean = 0.0
    for key, stats in result.items():
        ratio = stats["max_abs_diff"] / stats["max_abs_grad"]
        v.measured[f"{key}_ratio"] = float(ratio)
        worst_mean = max(worst_mean, stats["mean_abs_diff"])
        v.require(N_("{key}: backprop against the numerical gradient", key=key),
                  Bound(N_("mean |backprop − numerical|"), stats["mean_abs_diff"], "<=", 1e-6, ".2g"),
                  Bound(N_("max |diff| / max |gradient|"), ratio, "<=", 1e-4, ".2g"))
    v.summary = _("mean |diff| ≤ {worst_mean:.1g} for W1, b1, W2, b2", worst_mean=worst_mean)
    # A pre-activation within h of ReLU's kink makes the central difference no derivative there
    # (seeds 14 and 16 of the quick network); the experiment leaves such units out and says which.
    left_out = sorted({unit for stats in result.values() for unit in stats.get("left_out", ())})
    if left_out:
        v.measured["left_out_units"] = left_out
        v.summary += "; " + _("hidden units {units} left out of W1 and b1: a pre-activation within h = 1e-4 of "
                              "ReLU's kink, where the central difference is not the derivative",
                              units=", ".join(map(str, left_out)))
    return v


def judge_backprop_training(data, opts):
    run = data["run"]
    train, test = run["train_acc"], run["test_acc"]
    v = Verdict({"iterations": int(run["train_loss"].size), "evaluations": int(test.size),
                 "final_train_acc": float(train[-1]), "final_test_acc": float(test[-1]),
                 "train_acc": [float(a) for a in train], "test_acc": [float(a) for a in test]})
    gap = abs(train[-1] - test[-1])
    if opts.quick:
        # 601 iterations: one epoch and the evaluation at 600.
        v.check(list(run["eval_iterations"]) == [0, 600], _("evaluated at iterations {eval_iterations} = [0, 600]",
                                                            eval_iterations=list(run['eval_iterations'])))
        v.bound(N_("untrained test accuracy"), test[0], "<=", 0.3, note=N_("near chance"))
        v.require(N_("after one epoch"), Bound(N_("test accuracy"), test[-1], ">=", 0.89),
                  Bound(N_("train accuracy"), train[-1], ">=", 0.89), note=N_("the book's curve ≈0.90"))
    else:
        v.check(test.size == 17, _("{test_size} evaluations = 17 (every 600 iterations)", test_size=test.size))
        v.bound(N_("final test accuracy"), test[-1], ">=", 0.96, note=N_("the book: ≈0.97"))
        v.check(test[-1] > test[1] > test[0], _("test accuracy rises"))
    v.bound(N_("|train − test| accuracy"), gap, "<=", 0.02, note=N_("no overfitting, book Figure 4-12"))
    v.summary = _("test {test_last:.4f}, train {train_last:.4f}", test_last=test[-1], train_last=train[-1])
    return v


def draw_backprop_training(data, path):
    """Loss per iteration and accuracy per epoch of TwoLayerNet with backprop (Figures 4-11, 4-12)."""
    run = data["run"]
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.2))
    axes[0].plot(np.arange(len(run["train_loss"])), run["train_loss"], linewidth=0.6)
    axes[0].set_xlabel("iteration")
    axes[0].set_ylabel("loss")
    axes[0].set_title("training loss (Figure 4-11)")
    accuracy_panel(axes[1], run["train_acc"], run["test_acc"])
    axes[1].set_title("accuracy per epoch (Figure 4-12)")
    save(fig, path)


CLAIMS = (
    Claim(
        name="ch05_gradient_check", chapter=5, section="§5.7.3",
        scripts=("ch05/gradient_check.py",),
        title=N_("Gradient check of TwoLayerNet"),
        book=N_("Backprop and numerical gradients of TwoLayerNet (784-50-10) on 3 training images agree: "
                "mean |difference| per parameter ≈1e-10…1e-13."),
        book_value=N_("agree (≈1e-10…1e-13)"),
        method=N_("`gradient_check_two_layer_net()` on the first 3 training images in float64; "
                  "--quick uses 784-10-10. A hidden unit with a pre-activation within h of ReLU's kink is left "
                  "out of W1's and b1's figures, and named."),
        tolerance=N_("Per parameter, mean |diff| and max |diff| / max |grad| well above the floor the h = 1e-4 central "
                     "difference sets and far below what wrong backward passes give. {source}",
                     source=thresholds_source(judge_gradient_check)),
        calls=lambda opts: {"check": seeded(opts, "gradient_check_two_layer_net",
                                            hidden_size=10 if opts.quick else 50)},
        judge=judge_gradient_check,
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
        tolerance=N_("Accuracy after the run and the train–test gap, with a margin below the values measured over "
                     "seeds. {source}", source=thresholds_source(judge_backprop_training)),
        calls=lambda opts: {"run": seeded(opts, "backprop_training", **({"iterations": 601} if opts.quick else {}))},
        judge=judge_backprop_training,
        figures=(Figure("ch05_backprop_training.png",
                        N_("Training loss and train/test accuracy per epoch (book Figures 4-11, 4-12)."),
                        ("run",), draw_backprop_training),),
    ),
)
