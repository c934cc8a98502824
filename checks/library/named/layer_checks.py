"""Named checks for layers (`forward` / `backward`), generated over `LAYER_CASES`.

Every check builds a *fresh* layer for each evaluation, because forward passes
may change state (batch-norm running statistics, dropout masks); stochastic layers
get the implementation's global generator re-seeded before every forward pass, so
the numerical gradient sees the same dropout mask as the analytic one.
"""

import numpy as np

from checks.i18n import N_, translator

from ..calls import book_call, book_call_returning_args, book_method, get
from ..cases.layers import LAYER_CASES
from ..components import component
from ..diagnosis import Context
from ..gradcheck import as_float64, assert_close, assert_close_to_any, numerical_gradient, STEP
from ..hints import offset_hint
from ..registry import check

__all__ = [
    "LayerRun",
    "check_backward_gradient_dx",
    "check_backward_gradient_params",
    "check_backward_linear_in_dout",
    "check_backward_repeatable",
    "check_batch_equals_per_sample",
    "check_forward_keeps_input",
    "check_forward_matches_definition",
    "check_output_and_gradient_shapes",
    "check_zero_dout_gives_zero_gradients",
]

SEED = 0
_ = translator("grading")


class LayerRun:
    """One case's arrays, a way to build fresh layers, and the forward call."""

    def __init__(self, impl, case, seed=SEED, method=None):
        """`method`: "backward" for a check that calls it (§7.4.3 prints Convolution's forward alone: `get`)."""
        self.impl, self.case, self.seed = impl, case, seed
        rng = np.random.default_rng(seed)
        self.arrays = {name: (as_float64(name, value) if name != "t" else value)
                       for name, value in case.arrays(rng).items()}
        self.rng = rng
        self.cls = get(impl, case, method=method)
        self.hints = component(case.component).hints

    def build(self, arrays=None):
        """A fresh layer, built as the book builds it (`case.init`)."""
        args, kwargs = self.case.init(self.arrays if arrays is None else arrays)
        return book_call(self.cls, self.case.component, "__init__", *args, **kwargs)

    def inputs(self, arrays=None):
        arrays = self.arrays if arrays is None else arrays
        return (arrays["x"], arrays["t"]) if self.case.loss else (arrays["x"],)

    def forward(self, layer, arrays=None):
        if self.case.stochastic:
            self.impl.seed(self.seed)
        return book_method(layer, self.case.component, "forward", *self.inputs(arrays), **self.case.forward_kwargs)

    def backward(self, layer, dout):
        """layer.backward(dout); a loss gets the book's dout = 1, which its networks always pass (§5.7.2)."""
        return book_method(layer, self.case.component, "backward", dout)

    def dout(self, out):
        """A random upstream gradient shaped like `out` (1 for a loss, as the book's networks pass it)."""
        if self.case.loss:
            return 1
        return np.random.default_rng(self.seed + 1).standard_normal(np.shape(out))

    def scalar(self, arrays, dout):
        """sum(forward(x)·dout) for a fresh layer built from `arrays`."""
        out = self.forward(self.build(arrays), arrays)
        if self.case.loss:
            return float(out)
        return float(np.sum(np.asarray(out, dtype=np.float64) * dout))

    def context(self, quantity=None, reference=None, **extra):
        shapes = {name: np.shape(value) for name, value in self.arrays.items()}
        return Context.of(self.impl, self.case, quantity, reference, shapes=shapes, seed=self.seed,
                          step=STEP if reference and "differences" in reference else None, extra=extra)


def _hint(text):
    """A hint source that always answers `text`: for checks whose failure has one meaning."""
    def rule(analytic, expected, compared, context):
        return text
    return rule


HINT_NOT_LINEAR = _hint(N_("backward must be linear in dout: multiply dout by what forward stored (mask, x, W); "
                        "do not add terms without dout, redraw masks or change state in backward"))
HINT_ZERO_DOUT = _hint(N_("backward(0) must be 0: every gradient is dout times a local derivative — is dout "
                       "ignored somewhere (e.g. dx = y·(1 − y) without dout)?"))
HINT_NOT_REPEATABLE = _hint(N_("a second backward(dout) gave another dx: backward must only read what forward "
                            "stored, not draw random numbers or update its own state"))
HINT_INPUT_CHANGED = _hint(N_("forward wrote into the caller's array: work on a copy (out = x.copy(); "
                           "out[self.mask] = 0, book §5.5.1)"))
HINT_BATCH_MIXED = _hint(N_("a sample's output depends on the other samples: look for a reshape or transpose that "
                         "mixes the batch axis (im2col rows must run image by image: n, out_y, out_x)"))


def _batch_size(run):
    return run.arrays["x"].shape[0]


@check(on=LAYER_CASES, when=lambda case: case.definition is not None, weight=2, role="forward")
def check_forward_matches_definition(impl, case):
    """forward returns the book's values (checks/library/definitions.py), not only values its own backward agrees with.

    At the case's x and at x moved by h (where the gradient checks evaluate forward too), each
    on a fresh layer. Where the book's code and correct learners' code differ by a known
    convention (the 1e-7 inside the log, batch normalization's ε), each variant is accepted;
    the diagnosis compares with the book's.
    """
    run = LayerRun(impl, case)
    atol, rtol = case.tolerance
    moved = run.arrays["x"] + STEP * np.random.default_rng(run.seed + 4).choice((-1.0, 1.0), run.arrays["x"].shape)
    for arrays in (run.arrays, {**run.arrays, "x": moved}):
        got = run.forward(run.build(arrays), arrays)
        ctx = run.context("forward(x, t)" if case.loss else "forward(x)",
                          N_("the book's definition ({section})", section=case.section), forward_input=arrays["x"])
        assert_close_to_any(got, case.definition(arrays), ctx, atol=atol, rtol=rtol,
                            hint_sources=(*run.hints, offset_hint))


@check(on=LAYER_CASES, weight=1, role="property")
def check_output_and_gradient_shapes(impl, case):
    """forward returns the documented shape in float64; dx and every dW/db match their arrays."""
    run = LayerRun(impl, case, method="backward")
    layer = run.build()
    out = run.forward(layer)
    if case.loss:
        if np.ndim(out) != 0:
            Context.of(impl, case).fail(
                _("forward(x, t) must return a scalar loss, got shape {shape}", shape=str(np.shape(out))))
    else:
        expected = tuple(case.out_shape(run.arrays)) if case.out_shape else None
        out = np.asarray(out)
        if expected is not None and out.shape != expected:
            run.context("forward(x)", N_("its documented shape")).fail(
                _("forward returned shape {got}, expected {expected}", got=str(out.shape), expected=str(expected)))
        if out.dtype != np.float64:
            Context.of(impl, case).fail(
                _("forward turned float64 input into {dtype}: keep the input's precision", dtype=str(out.dtype)))
    dx = run.backward(layer, run.dout(out))
    ctx = run.context(N_("dx from backward(dout)"), N_("the input's shape"))
    _require_shape(dx, run.arrays["x"].shape, ctx)
    for array_name, grad_name in case.params.items():
        ctx = run.context(N_("{grad} after backward", grad=grad_name),
                          N_("{array}'s shape", array=array_name))
        _require_shape(getattr(layer, grad_name), run.arrays[array_name].shape, ctx)


def _require_shape(value, shape, ctx):
    if value is None:
        ctx.fail(_("{quantity} is None (forgot `return`, or never set it?)", quantity=_(ctx.quantity)))
    if np.shape(value) != tuple(shape):
        ctx.fail_shape(np.shape(value), tuple(shape))
    if np.asarray(value).dtype != np.float64:
        ctx.fail(_("{quantity} has dtype {dtype}, expected float64", quantity=_(ctx.quantity),
                   dtype=str(np.asarray(value).dtype)))


@check(on=LAYER_CASES, weight=4, role="correctness")
def check_backward_gradient_dx(impl, case):
    """dx from backward(dout) equals central differences of sum(forward(x)·dout)."""
    run = LayerRun(impl, case, method="backward")
    layer = run.build()
    dout = run.dout(run.forward(layer))
    dx = run.backward(layer, dout)

    def f(x):
        return run.scalar({**run.arrays, "x": x}, dout)

    expected = numerical_gradient(f, run.arrays["x"])
    ctx = run.context(N_("dx from backward(dout)"),
                      N_("central differences of sum(forward(x)·dout)"),
                      x=run.arrays["x"], batch_size=_batch_size(run))
    assert_close(dx, expected, ctx, hint_sources=run.hints)


@check(on=LAYER_CASES, when=lambda case: bool(case.params), weight=4, role="correctness")
def check_backward_gradient_params(impl, case):
    """Every parameter gradient (dW, db, dgamma, dbeta) equals its central differences."""
    run = LayerRun(impl, case, method="backward")
    layer = run.build()
    dout = run.dout(run.forward(layer))
    run.backward(layer, dout)
    for array_name, grad_name in case.params.items():
        analytic = getattr(layer, grad_name)

        def f(value, array_name=array_name):
            return run.scalar({**run.arrays, array_name: value}, dout)

        expected = numerical_gradient(f, run.arrays[array_name])
        ctx = run.context(N_("{grad} after backward(dout)", grad=grad_name),
                          N_("central differences of sum(forward(x)·dout) in {array}", array=array_name),
                          batch_size=_batch_size(run), perturbed=array_name)
        assert_close(analytic, expected, ctx, hint_sources=run.hints)


@check(on=LAYER_CASES, when=lambda case: not case.loss, weight=1, role="property")
def check_backward_linear_in_dout(impl, case):
    """backward(a·d1 + b·d2) = a·backward(d1) + b·backward(d2), for dx and parameter grads."""
    run = LayerRun(impl, case, method="backward")
    layer = run.build()
    out = run.forward(layer)
    rng = np.random.default_rng(run.seed + 2)
    d1, d2 = rng.standard_normal(np.shape(out)), rng.standard_normal(np.shape(out))
    results = []
    for dout in (d1, d2, 2.0 * d1 - 3.0 * d2):
        dx = run.backward(layer, dout)
        results.append([dx] + [getattr(layer, g) for g in case.params.values()])
    names = ["dx"] + list(case.params.values())
    for i, name in enumerate(names):
        combined = 2.0 * np.asarray(results[0][i]) - 3.0 * np.asarray(results[1][i])
        ctx = run.context(N_("{name} from backward(2·d1 − 3·d2)", name=name),
                          N_("2·({name} from d1) − 3·({name} from d2)", name=name))
        assert_close(results[2][i], combined, ctx, atol=1e-9, rtol=1e-9, hint_sources=(HINT_NOT_LINEAR,))


@check(on=LAYER_CASES, when=lambda case: not case.loss, weight=1, role="property")
def check_zero_dout_gives_zero_gradients(impl, case):
    """backward(0) gives dx = 0 and all-zero parameter gradients."""
    run = LayerRun(impl, case, method="backward")
    layer = run.build()
    zeros = np.zeros(np.shape(run.forward(layer)))
    dx = run.backward(layer, zeros)
    for name, value in [("dx", dx)] + [(g, getattr(layer, g)) for g in case.params.values()]:
        ctx = run.context(N_("{name} from backward(zeros)", name=name),
                          N_("zeros"))
        expected = np.zeros(np.shape(value)) if value is not None else np.zeros(0)
        assert_close(value, expected, ctx, atol=0.0, rtol=0.0, hint_sources=(HINT_ZERO_DOUT,))


@check(on=LAYER_CASES, when=lambda case: not case.batch_coupled, weight=1, role="property")
def check_batch_equals_per_sample(impl, case):
    """forward on a batch equals forward on each sample alone (layers that do not mix samples)."""
    run = LayerRun(impl, case)
    batch_out = np.asarray(run.forward(run.build()))
    per_sample = np.concatenate([
        np.asarray(run.forward(run.build(), {**run.arrays, "x": run.arrays["x"][i:i + 1]}))
        for i in range(run.arrays["x"].shape[0])
    ])
    ctx = run.context("forward(batch)",
                      N_("forward of each sample alone, stacked"))
    assert_close(batch_out, per_sample, ctx, atol=1e-12, rtol=1e-10, hint_sources=(HINT_BATCH_MIXED,))


@check(on=LAYER_CASES, weight=1, role="property")
def check_forward_keeps_input(impl, case):
    """forward does not modify the array it is given."""
    run = LayerRun(impl, case)
    layer = run.build()
    if case.stochastic:
        impl.seed(run.seed)
    _, after = book_call_returning_args(layer.forward, case.component, "forward", *run.inputs(), **case.forward_kwargs)
    ctx = run.context(N_("x after forward(x)"), N_("x before forward(x)"))
    assert_close(after[0], run.arrays["x"], ctx, atol=0.0, rtol=0.0, hint_sources=(HINT_INPUT_CHANGED,))


@check(on=LAYER_CASES, weight=1, role="property")
def check_backward_repeatable(impl, case):
    """Calling backward twice with the same dout gives the same dx both times."""
    run = LayerRun(impl, case, method="backward")
    layer = run.build()
    dout = run.dout(run.forward(layer))
    first = run.backward(layer, dout)
    second = run.backward(layer, dout)
    ctx = run.context(N_("dx from a second backward(dout)"), N_("dx from the first"))
    assert_close(second, first, ctx, atol=0.0, rtol=0.0, hint_sources=(HINT_NOT_REPEATABLE,))
