"""Named checks for the plain functions of chapters 2–4 and the ch05 simple layers.

Book values (`cases/functions.py`) are what the book's code prints; properties
catch what a single book value misses (batches, shapes, input mutation, overflow,
non-separable functions).
"""

import numpy as np

from checks.i18n import N_, translator

from ..cases.functions import (
    ANY_SHAPE,
    APPLE_GRAPH_CASES,
    BOOK_VALUE_CASES,
    BOOK_VALUES,
    CROSS_ENTROPY_BATCH,
    ELEMENTWISE,
    ELEMENTWISE_CASES,
    GATE_CASES,
    GATE_INPUTS,
    GRADIENT_DESCENT_BOOK_PATH,
    KEEPS_INPUT_CASES,
    NUMERICAL_GRADIENT_RESTORES_X,
    NUMERICAL_GRADIENT_SHAPE_CASES,
    PREDICT_RANDOM_NETWORK,
    RELU_GRAD_AT_ZERO,
    SIGMOID_LARGE_INPUTS,
    SOFTMAX_BATCH,
    SOFTMAX_LARGE_INPUTS,
    SOFTMAX_ROWS_FAR_APART,
    STEP_FUNCTION_AT_ZERO,
    STEP_FUNCTION_DTYPE,
    TRUTH_TABLES,
)
from ..calls import book_call, get
from ..definitions import sigmoid
from ..diagnosis import Context
from ..errors import MissingComponent
from ..gradcheck import assert_close, assert_finite
from ..registry import Deviation, check

__all__ = [
    "check_book_value", "check_buy_apple_graph", "check_cross_entropy_labels_equal_one_hot",
    "check_elementwise_formula", "check_gradient_descent_book_path", "check_keeps_input",
    "check_numerical_gradient_any_shape", "check_numerical_gradient_restores_x", "check_relu_grad_at_zero",
    "check_sigmoid_no_overflow_warning", "check_sigmoid_saturates", "check_softmax_each_row",
    "check_softmax_overflow_safe", "check_softmax_rows_far_apart", "check_step_function_at_zero", "check_step_function_returns_integers",
    "check_three_layer_predict", "check_truth_table",
]

_SEED = 0
_ = translator("grading")


def _ctx(impl, case, quantity=None, reference=None, **shapes):
    return Context.of(impl, case, quantity, reference, shapes=shapes)


# -- chapter 2 -------------------------------------------------------------
@check(on=GATE_CASES, weight=1, role="correctness")
def check_truth_table(impl, case):
    """The gate's outputs on (0,0), (1,0), (0,1), (1,1) are the book's truth table."""
    gate = get(impl, case)
    outputs = [gate(x1, x2) for x1, x2 in GATE_INPUTS]
    assert_finite(outputs, _ctx(impl, case, N_("outputs on {inputs}", inputs=str(GATE_INPUTS)),
                                N_("the truth table {table} (book §2.3–2.5)", table=str(TRUTH_TABLES[case.component]))))
    got = tuple(int(value) for value in outputs)
    if got != TRUTH_TABLES[case.component]:
        _ctx(impl, case).fail(
            _("outputs on {inputs} were {got}, expected {expected} (book §2.3–2.5)", inputs=str(GATE_INPUTS),
              got=str(got), expected=str(TRUTH_TABLES[case.component])))


# -- chapter 3 -------------------------------------------------------------
@check(on=BOOK_VALUE_CASES, weight=2, role="correctness")
def check_book_value(impl, case):
    """The function gives the value the book prints for the book's input."""
    function = get(impl, case)
    written, expected, rtol = BOOK_VALUES[(case.component, case.config)]
    args = tuple(impl.probe(arg[len("probe:"):]) if isinstance(arg, str) and arg.startswith("probe:") else arg
                 for arg in written)
    got = function(*args)
    ctx = _ctx(impl, case, f"{case.component}{_short(written)}",
               N_("the book's value ({section})", section=case.section))
    assert_close(got, np.asarray(expected, dtype=np.float64), ctx, atol=1e-12, rtol=rtol)


def _short(args):
    parts = []
    for arg in args:
        is_function = isinstance(arg, str) and arg.startswith("probe:")
        parts.append(arg[len("probe:"):] if is_function else np.array2string(np.asarray(arg), precision=3, separator=", "))
    return "(" + ", ".join(parts) + ")"


@check(on=ELEMENTWISE_CASES, weight=2, role="correctness")
def check_elementwise_formula(impl, case):
    """An activation equals its closed form elementwise, keeping the input's shape."""
    function = get(impl, case)
    x = np.random.default_rng(_SEED).uniform(-5, 5, (3, 4))
    formula, _ = ELEMENTWISE[case.component]
    ctx = _ctx(impl, case, f"{case.component}(x)", N_("its closed form"),
               x=x.shape)
    got = function(x)
    assert_close(got, formula(x), ctx, atol=1e-12, rtol=1e-9)


@check(on=[STEP_FUNCTION_DTYPE], weight=1, role="property")
def check_step_function_returns_integers(impl, case):
    """step_function returns an integer array (dtype=int; np.int no longer exists)."""
    got = get(impl, case)(np.array([-1.0, 0.0, 2.0]))
    if np.asarray(got).dtype.kind not in "iub":
        _ctx(impl, case).fail(
            _("dtype {dtype}, expected an integer array (book §3.2.3: astype(int))", dtype=str(np.asarray(got).dtype)))


@check(on=[STEP_FUNCTION_AT_ZERO], weight=1, role="correctness")
def check_step_function_at_zero(impl, case):
    """step_function is 0 at exactly x = 0: h(x) = 0 for x ≤ 0, 1 for x > 0 (book §3.2.2, eq. 3.3)."""
    x = np.array([-2.0, -0.0, 0.0, 1e-12, 3.0])
    got = get(impl, case)(x)
    ctx = _ctx(impl, case, "step_function([-2, -0, 0, 1e-12, 3])",
               "[0, 0, 0, 1, 1] (h(x) = 0 for x ≤ 0)", x=x.shape)
    assert_close(got, np.array([0.0, 0.0, 0.0, 1.0, 1.0]), ctx, atol=0, rtol=0, hint_sources=(_hint_step_at_zero,))


def _hint_step_at_zero(analytic, expected, compared, context):
    if analytic.shape == (5,) and analytic[2] == 1 and np.array_equal(analytic[[0, 3, 4]], [0, 1, 1]):
        return N_("step_function(0) is 1: compare with x > 0, not x >= 0 (book §3.2.2)")
    return None


@check(on=[RELU_GRAD_AT_ZERO], weight=1, role="correctness")
def check_relu_grad_at_zero(impl, case):
    """relu_grad is 0 below zero, 1 above, and either at exactly 0 (both conventions exist)."""
    got = np.asarray(get(impl, case)(np.array([-2.0, -0.5, 0.0, 0.5, 2.0])))
    assert_finite(got, _ctx(impl, case, "relu_grad([-2, -0.5, 0, 0.5, 2])",
                            N_("[0, 0, 0 or 1, 1, 1]")))
    if got.shape != (5,) or not (got[[0, 1]] == 0).all() or not (got[[3, 4]] == 1).all() or got[2] not in (0, 1):
        _ctx(impl, case).fail(
            _("relu_grad([-2, -0.5, 0, 0.5, 2]) = {got}, expected [0, 0, 0 or 1, 1, 1]", got=str(got.tolist())))


_SIGMOID_LARGE_X = np.array([-1000.0, -800.0, 0.0, 800.0])


@check(on=[SIGMOID_LARGE_INPUTS], weight=1, role="correctness")
def check_sigmoid_saturates(impl, case):
    """sigmoid of very large inputs is 0 and 1, as the book's 1/(1 + exp(−x)) gives (its overflow warning aside).

    Apart from the warning check, whose deviation tolerates the book's warning: a sigmoid that
    clamps its inputs instead (sigmoid(−1000) = 0.5) or breaks on them is wrong, not a deviation.
    """
    got, _caught = get(impl, case).call_with_warnings(_SIGMOID_LARGE_X)
    ctx = _ctx(impl, case, "sigmoid([-1000, -800, 0, 800])", "[0, 0, 0.5, 1]")
    assert_close(got, np.array([0.0, 0.0, 0.5, 1.0]), ctx, atol=1e-12, rtol=0)


@check(on=[SIGMOID_LARGE_INPUTS], weight=1, role="correctness", deviations=[
    Deviation("book", "sigmoid", N_("the book's sigmoid is 1/(1 + exp(−x)), which warns about overflow below x ≈ −709; "
                                    "its values are still right, so the warning is reported, not penalized")),
])
def check_sigmoid_no_overflow_warning(impl, case):
    """sigmoid of very negative inputs warns about no overflow (its values: check_sigmoid_saturates)."""
    _got, caught = get(impl, case).call_with_warnings(_SIGMOID_LARGE_X)
    overflow = [text for text in caught if text.startswith("RuntimeWarning")]
    if overflow:
        _ctx(impl, case).fail(
            _("sigmoid warned ({warning}) — compute exp(-|x|) or use np.where so exp never overflows",
              warning=overflow[0]))


@check(on=[SOFTMAX_BATCH], weight=2, role="correctness")
def check_softmax_each_row(impl, case):
    """softmax of a batch normalizes each row separately (not the whole batch)."""
    x = np.random.default_rng(_SEED).normal(size=(4, 6))
    got = get(impl, case)(x)
    exp = np.exp(x - x.max(axis=1, keepdims=True))
    expected = exp / exp.sum(axis=1, keepdims=True)
    ctx = _ctx(impl, case, "softmax(batch)", N_("row-wise softmax"), x=x.shape)
    assert_close(got, expected, ctx, atol=1e-12, rtol=1e-9, hint_sources=(_hint_whole_batch_sums_to_one,))


def _hint_whole_batch_sums_to_one(analytic, expected, compared, context):
    if np.isclose(analytic.sum(), 1.0):
        return N_("the whole batch sums to 1 — sum over axis=-1 with keepdims=True, not over every element "
                  "(book §3.5.2)")
    return None


@check(on=[SOFTMAX_LARGE_INPUTS], weight=1, role="correctness")
def check_softmax_overflow_safe(impl, case):
    """softmax([1010, 1000, 990]) is finite: subtract the max first (book §3.5.2)."""
    got = np.asarray(get(impl, case)(np.array([1010.0, 1000.0, 990.0])))
    expected = np.exp(np.array([0.0, -10.0, -20.0]))
    expected /= expected.sum()
    ctx = _ctx(impl, case, "softmax([1010, 1000, 990])",
               N_("finite probabilities"))
    assert_close(got, expected, ctx, atol=1e-12, rtol=1e-9, hint_sources=(_hint_overflow,))


def _hint_overflow(analytic, expected, compared, context):
    if not np.all(np.isfinite(analytic)):
        return N_("exp(1010) overflows to inf and inf/inf is NaN: subtract np.max(x) before np.exp (book §3.5.2)")
    return None


@check(on=[SOFTMAX_ROWS_FAR_APART], weight=1, role="correctness")
def check_softmax_rows_far_apart(impl, case):
    """softmax of a batch whose rows lie far apart is right in every row: subtract each row's own maximum."""
    x = np.array([[1010.0, 1000.0, 990.0], [0.0, -10.0, -20.0], [-1000.0, -1010.0, -1020.0]])
    row = np.exp(np.array([0.0, -10.0, -20.0]))
    expected = np.tile(row / row.sum(), (3, 1))
    got = get(impl, case)(x)
    ctx = _ctx(impl, case, N_("softmax(rows with maxima 1010, 0, −1000)"),
               N_("the same probabilities in every row (softmax ignores a shift per row)"), x=x.shape)
    assert_close(got, expected, ctx, atol=1e-12, rtol=1e-9, hint_sources=(_hint_batch_maximum,))


def _hint_batch_maximum(analytic, expected, compared, context):
    if analytic.shape == expected.shape and np.allclose(analytic[0], expected[0]) and \
            not np.allclose(analytic[1:], expected[1:]):
        return N_("only rows below the batch's largest score are wrong: subtract np.max(x, axis=-1, "
                  "keepdims=True), each row's own maximum, not np.max(x) (book §3.5.2)")
    return None


@check(on=KEEPS_INPUT_CASES, weight=1, role="property")
def check_keeps_input(impl, case):
    """The function does not modify the caller's array."""
    function = get(impl, case)
    x = np.random.default_rng(_SEED).normal(size=(3, 5)) * 3
    _, after = function.call_returning_args(x.copy())
    ctx = _ctx(impl, case, N_("x after the call"), N_("x before the call"),
               x=x.shape)
    assert_close(after[0], x, ctx, atol=0, rtol=0)


# -- chapter 4 -------------------------------------------------------------
@check(on=[GRADIENT_DESCENT_BOOK_PATH], weight=2, role="correctness")
def check_gradient_descent_book_path(impl, case):
    """gradient_descent(x0²+x1², [-3, 4], lr=0.1, step_num=100) ends at the book's point.

    The book's text returns x (§4.4.1); its repository's ch04/gradient_method.py returns
    (x, x_history) to plot the path. Both conventions are graded on x.
    """
    got = book_call(get(impl, case), case.component, "__call__", impl.probe("sum_of_squares"), np.array([-3.0, 4.0]),
                    lr=0.1, step_num=100)
    if isinstance(got, tuple) and len(got) == 2:
        got = got[0]
    ctx = _ctx(impl, case, "gradient_descent(...)",
               N_("the book's value ({section})", section="§4.4.1"))
    assert_close(got, np.array([-6.11110793e-10, 8.14814391e-10]), ctx, atol=1e-16, rtol=1e-6)


@check(on=CROSS_ENTROPY_BATCH, weight=1, role="correctness")
def check_cross_entropy_labels_equal_one_hot(impl, case):
    """cross_entropy_error gives a batch's mean loss, for one-hot targets and (its second listing) labels alike."""
    rng = np.random.default_rng(_SEED)
    logits = rng.normal(size=(5, 4))
    y = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    labels = rng.integers(0, 4, 5)
    expected = -np.mean(np.log(y[np.arange(5), labels] + 1e-7))
    form, t = ("labels", labels) if case.config == "batch-labels" else ("one-hot", np.eye(4)[labels])
    ctx = _ctx(impl, case, f"cross_entropy_error(y, t as {form})", "−mean(log(y[label] + 1e-7))", y=y.shape)
    assert_close(get(impl, case)(y, t), expected, ctx, atol=1e-12, rtol=1e-9)


def _mixing_gradient(x):
    """Analytic gradient of `probes.mixing`."""
    s2, ss = np.sum(x ** 2), np.sum(np.sin(x))
    grad = 2 * x * ss + s2 * np.cos(x)
    flat = grad.ravel()
    c = np.cos(x).ravel()[:4]
    for i in range(min(4, x.size)):
        others = np.prod(np.delete(c, i))
        flat[i] += -np.sin(x.ravel()[i]) * others
    return grad


@check(on=NUMERICAL_GRADIENT_SHAPE_CASES, weight=3, role="correctness")
def check_numerical_gradient_any_shape(impl, case):
    """numerical_gradient works on 1-D to 4-D arrays with a function that mixes elements."""
    shape = ANY_SHAPE[case.config]
    x = np.random.default_rng(_SEED).uniform(-1, 1, shape)
    got = get(impl, case)(impl.probe("mixing"), x)
    ctx = _ctx(impl, case, "numerical_gradient(f, x)",
               N_("the analytic gradient of a non-separable f"), x=shape)
    assert_close(got, _mixing_gradient(x), ctx, atol=1e-6, rtol=1e-5,
                 hint_sources=(_hint_single_element,))


def _hint_single_element(analytic, expected, compared, context):
    return N_("wrong only for a function that mixes elements: call f with the whole array x after "
              "perturbing x[idx], not with x[idx] alone or one row") if np.any(analytic) else None


@check(on=[NUMERICAL_GRADIENT_RESTORES_X], weight=1, role="property")
def check_numerical_gradient_restores_x(impl, case):
    """numerical_gradient leaves x exactly as it was (restores x[idx] after each element)."""
    x = np.random.default_rng(_SEED).uniform(-1, 1, ANY_SHAPE["1d"])  # §4.4's listing is for 1-D arrays
    _, after = get(impl, case).call_returning_args(impl.probe("mixing"), x.copy())
    ctx = _ctx(impl, case, N_("x after numerical_gradient(f, x)"),
               N_("x before"), x=x.shape)
    assert_close(after[1], x, ctx, atol=0, rtol=0)


# -- chapter 5 simple layers --------------------------------------------------
class _BookMulLayer:
    """§5.4.1's multiplication layer, for the apple-and-orange graph of a folder that has an AddLayer only."""

    def forward(self, x, y):
        self.x, self.y = x, y
        return x * y

    def backward(self, dout):
        return dout * self.y, dout * self.x


@check(on=APPLE_GRAPH_CASES, weight=2, role="correctness")
def check_buy_apple_graph(impl, case):
    """MulLayer/AddLayer reproduce the book's apple (and orange) shopping graphs."""
    try:
        mul = get(impl, case, "MulLayer")
    except MissingComponent:
        if case.component == "MulLayer":
            raise
        mul = _BookMulLayer  # AddLayer is judged on its own: §5.4.1's MulLayer completes the graph
    apple_mul, tax_mul = mul(), mul()
    apple_price = apple_mul.forward(100.0, 2.0)
    if case.config == "apple":
        price = tax_mul.forward(apple_price, 1.1)
        d_apple_price, dtax = tax_mul.backward(1.0)
        dapple, dapple_num = apple_mul.backward(d_apple_price)
        got, expected = [price, dapple, dapple_num, dtax], [220.0, 2.2, 110.0, 200.0]
        names = "price, dapple, dapple_num, dtax"
    else:
        orange_mul, total_add = mul(), get(impl, case, "AddLayer")()
        orange_price = orange_mul.forward(150.0, 3.0)
        total = total_add.forward(apple_price, orange_price)
        price = tax_mul.forward(total, 1.1)
        dtotal, dtax = tax_mul.backward(1.0)
        d_apple_price, d_orange_price = total_add.backward(dtotal)
        dorange, dorange_num = orange_mul.backward(d_orange_price)
        dapple, dapple_num = apple_mul.backward(d_apple_price)
        got = [price, dapple, dapple_num, dorange, dorange_num, dtax]
        expected = [715.0, 2.2, 110.0, 3.3, 165.0, 650.0]
        names = "price, dapple, dapple_num, dorange, dorange_num, dtax"
    for name, value in zip(names.split(", "), got):
        if np.size(value) != 1:  # the graph's values are numbers; an array here cannot be compared with one
            _ctx(impl, case, name, N_("the book's values ({section})", section="§5.4")).fail_shape(np.shape(value), ())
    got = [np.asarray(value, dtype=np.float64).reshape(()) for value in got]
    ctx = _ctx(impl, case, f"({names})", N_("the book's values ({section})", section="§5.4"))
    assert_close(np.asarray(got, dtype=np.float64), np.asarray(expected), ctx, atol=1e-9, rtol=1e-9)


@check(on=[PREDICT_RANDOM_NETWORK], weight=3, role="correctness")
def check_three_layer_predict(impl, case):
    """predict(network, x) is the 3-layer sigmoid net with a softmax output (book §3.6.2)."""
    rng = np.random.default_rng(_SEED)
    sizes = (6, 5, 4, 3)
    network = {}
    for i in range(3):
        network[f"W{i + 1}"] = rng.normal(size=sizes[i:i + 2])
        network[f"b{i + 1}"] = rng.normal(size=sizes[i + 1])
    x = rng.normal(size=(4, 6))
    a = sigmoid(sigmoid(x @ network["W1"] + network["b1"]) @ network["W2"] + network["b2"])
    logits = a @ network["W3"] + network["b3"]
    expected = np.exp(logits - logits.max(axis=1, keepdims=True))
    expected /= expected.sum(axis=1, keepdims=True)
    got = get(impl, case)(network, x)
    ctx = _ctx(impl, case, "predict(network, x)", "sigmoid-sigmoid-softmax", x=x.shape)
    assert_close(got, expected, ctx, atol=1e-12, rtol=1e-9)
