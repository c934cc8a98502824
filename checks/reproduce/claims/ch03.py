"""Chapter 3's claims: the activation functions (§3.2) and inference with sample_weight.pkl (§3.6)."""

import numpy as np

from ..model import Call, Claim, Figure
from ..plotting import plt, save
from ..texts import N_, _
from ..verdict import Verdict

__all__ = ["CLAIMS", "SAMPLE_WEIGHT_CORRECT", "SAMPLE_WEIGHT_UNNORMALIZED_CORRECT",
           "judge_activation_functions", "judge_sample_weights", "draw_activation_functions"]

# Printed by the book's ch03/neuralnet_mnist.py and neuralnet_mnist_batch.py ("Accuracy:0.9352"),
# and what the same weights give on unnormalized pixels 0–255 (0.9207): exact counts of 10,000.
SAMPLE_WEIGHT_CORRECT = 9352
SAMPLE_WEIGHT_UNNORMALIZED_CORRECT = 9207


def judge_activation_functions(data, opts):
    # Deterministic: the functions' definitions (book §3.2); no measured margin needed.
    d = data["functions"]
    x = d["x"]
    step_err = float(np.max(np.abs(d["step"] - (x > 0))))
    sigmoid_err = float(np.max(np.abs(d["sigmoid"] - 1 / (1 + np.exp(-x)))))
    relu_err = float(np.max(np.abs(d["relu"] - np.maximum(0, x))))
    v = Verdict({"grid_points": int(x.size), "step_max_error": step_err,
                 "sigmoid_max_error": sigmoid_err, "relu_max_error": relu_err})
    v.bound(N_("step: max |error| against 1 where x > 0, else 0"), step_err, "==", 0.0, spec="g")
    # 1e-12: floating-point rounding of exp.
    v.bound(N_("sigmoid: max |error| against 1 / (1 + exp(-x))"), sigmoid_err, "<=", 1e-12, spec=".2g")
    v.bound(N_("ReLU: max |error| against max(0, x)"), relu_err, "==", 0.0, spec="g")
    v.summary = _("max errors: step {step_err:g}, sigmoid {sigmoid_err:.1g}, ReLU {relu_err:g}",
                  step_err=step_err, sigmoid_err=sigmoid_err, relu_err=relu_err)
    return v


def judge_sample_weights(data, opts):
    # Exact and deterministic: the counts the book's scripts print.
    one, batch, raw = data["one_by_one"], data["batch"], data["unnormalized"]
    v = Verdict({"accuracy_one_by_one": one["accuracy"], "n_correct_one_by_one": one["n_correct"],
                 "accuracy_batch_100": batch["accuracy"], "n_correct_batch_100": batch["n_correct"],
                 "accuracy_unnormalized": raw["accuracy"], "n_correct_unnormalized": raw["n_correct"],
                 "n_images": one["n_images"]})
    book, unnormalized = SAMPLE_WEIGHT_CORRECT, SAMPLE_WEIGHT_UNNORMALIZED_CORRECT

    def hint(n_correct):
        if n_correct == unnormalized:
            return _("{unnormalized} is exactly what unnormalized pixels (0–255) give: is the input divided by "
                     "255?", unnormalized=unnormalized)
        if n_correct < 2000:
            return (_("near chance: check softmax on a batch (each row, not the whole batch), the order x·W + b, "
                      "and that sigmoid is applied to the two hidden layers only"))
        return ""

    for label, result in ((N_("one image at a time"), one), (N_("batches of 100"), batch)):
        v.bound(N_("{mode}: test images correct of 10,000", mode=label), result["n_correct"], "==", book, spec="d",
                hint=hint(result["n_correct"]))
    v.bound(N_("normalize=False (pixels 0–255): test images correct of 10,000"), raw["n_correct"], "==",
            unnormalized, spec="d",
            hint=_("a different count points at predict's arithmetic on large inputs (sigmoid saturation, "
                   "softmax overflow: subtract each row's max)"))
    v.summary = _("{one_by_one:.4f} (batch {batch_accuracy:.4f}); unnormalized {unnormalized_accuracy:.4f}",
                  one_by_one=one['accuracy'],
                  batch_accuracy=batch['accuracy'], unnormalized_accuracy=raw['accuracy'])
    return v


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
    save(fig, path)


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
        judge=judge_activation_functions,
        figures=(Figure("ch03_activation_functions.png", N_("Step, sigmoid and ReLU (book Figures 3-6 to 3-9)."),
                        ("functions",), draw_activation_functions),),
    ),
    Claim(
        name="ch03_sample_weights", chapter=3, section="§3.6.2–3.6.3",
        scripts=("ch03/neuralnet_mnist.py", "ch03/neuralnet_mnist_batch.py"),
        title=N_("Inference with the book's sample_weight.pkl"),
        book=N_('The 3-layer sigmoid network of ch03/sample_weight.pkl classifies the 10,000 test images: '
                '"Accuracy:0.9352", one image at a time and in batches of 100. Forgetting normalize=True '
                '(pixels 0–255) gives 0.9207.'),
        book_value=N_("{normalized:.4f} exactly ({unnormalized:.4f} unnormalized)",
                      normalized=SAMPLE_WEIGHT_CORRECT / 10000,
                      unnormalized=SAMPLE_WEIGHT_UNNORMALIZED_CORRECT / 10000),
        method=N_("`sample_weight_accuracy()` one by one and with batch_size=100 (normalize=True), and with "
                  "normalize=False; counts of correct test images."),
        tolerance=N_("Exact counts ({correct} and {unnormalized}): deterministic, printed by the book's scripts.",
                     correct=SAMPLE_WEIGHT_CORRECT, unnormalized=SAMPLE_WEIGHT_UNNORMALIZED_CORRECT),
        calls=lambda opts: {
            "one_by_one": Call("sample_weight_accuracy", {"normalize": True, "batch_size": None}),
            "batch": Call("sample_weight_accuracy", {"normalize": True, "batch_size": 100}),
            "unnormalized": Call("sample_weight_accuracy", {"normalize": False, "batch_size": 100}),
        },
        judge=judge_sample_weights,
    ),
)
