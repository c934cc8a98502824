"""Named checks for what the generic layer checks cannot see.

ReLU at its kink, the dropout convention at test time, batch-norm running
statistics and test mode, max-pool ties: each has a rule of its own.
"""

import numpy as np

from checks.i18n import N_, translator

from ..cases.layers import BATCHNORM_RUNNING_STATS, DROPOUT_TEST_TIME, POOLING_TIES, RELU_AT_ZERO
from ..calls import book_method, construct
from ..diagnosis import Context
from ..gradcheck import assert_close, assert_finite
from ..registry import check

__all__ = ["check_batchnorm_running_statistics", "check_dropout_test_time_scaling",
           "check_pooling_ties_conserve_gradient", "check_relu_at_zero"]

SEED = 0
_ = translator("grading")


def _ctx(impl, case, quantity=None, reference=None, **shapes):
    return Context.of(impl, case, quantity, reference, shapes=shapes, seed=SEED)


@check(on=[RELU_AT_ZERO], weight=1, role="correctness")
def check_relu_at_zero(impl, case):
    """ReLU maps 0 to 0; at exactly 0 its gradient may be 0 (the book's mask x <= 0) or dout."""
    x = np.array([[-1.0, 0.0, 2.0], [0.0, 3.0, -0.5]])
    dout = np.array([[1.5, 2.5, 3.5], [4.5, 5.5, 6.5]])
    layer = construct(impl, case)
    out = np.asarray(layer.forward(x))
    dx = np.asarray(layer.backward(dout))
    ctx = _ctx(impl, case, N_("forward(x) with zeros in x"), "max(0, x)", x=x.shape)
    assert_close(out, np.maximum(x, 0), ctx, atol=0, rtol=0)
    assert_finite(dx, _ctx(impl, case, N_("backward(dout) with zeros in x"),
                           N_("dout where x > 0, 0 where x < 0"), x=x.shape))
    at_zero = x == 0
    if dx.shape != x.shape or not np.all(dx[~at_zero] == np.where(x > 0, dout, 0)[~at_zero]):
        _ctx(impl, case).fail(
            _("backward gave {dx} for x = {x}, dout = {dout}; expected dout where x > 0 and 0 where x < 0",
              dx=str(dx.tolist()), x=str(x.tolist()), dout=str(dout.tolist())))
    if not np.all((dx[at_zero] == 0) | (dx[at_zero] == dout[at_zero])):
        _ctx(impl, case).fail(
            _("at x = 0 backward gave {dx}; expected 0 (the book's convention) or dout", dx=str(dx[at_zero].tolist())))


@check(on=[DROPOUT_TEST_TIME], weight=3, role="correctness")
def check_dropout_test_time_scaling(impl, case):
    """At test time the output is the expectation of the training output.

    The book keeps every unit in training and scales by (1 − ratio) at test time;
    inverted dropout scales by 1/(1 − ratio) in training and not at test time.
    Either is consistent; mixing them (or scaling neither) is not.
    """
    ratio = 0.3
    x = np.random.default_rng(SEED).uniform(0.5, 1.5, (40, 50))
    layer = construct(impl, case, dropout_ratio=ratio)
    impl.seed(SEED)
    train = np.asarray(book_method(layer, case.component, "forward", x, train_flg=True))
    test = np.asarray(book_method(layer, case.component, "forward", x, train_flg=False))
    assert_finite(train, _ctx(impl, case, "forward(x, train_flg=True)",
                              N_("x with some units dropped"), x=x.shape))
    kept = train != 0
    scales = np.unique(np.round(train[kept] / x[kept], 9))
    dropped = 1 - kept.mean()
    # 2000 Bernoulli(0.3) draws: std 0.0102, so ±0.05 is ~5 sigma
    if abs(dropped - ratio) > 0.05:
        _ctx(impl, case).fail(
            _("training dropped {dropped} of units with dropout_ratio={ratio} (expected ≈{expected}); "
              "mask = rand(*x.shape) > dropout_ratio", dropped=format(dropped, ".1%"), ratio=ratio,
              expected=format(ratio, ".0%")))
    if scales.size != 1:
        _ctx(impl, case).fail(
            _("kept units are scaled by several factors {factors}: use one mask and one scale",
              factors=str(scales[:4].tolist())))
    expected = x * scales[0] * (1 - ratio)
    ctx = _ctx(impl, case, "forward(x, train_flg=False)",
               N_("the training expectation x·{scale}·(1 − {ratio})", scale=format(scales[0], "g"), ratio=ratio),
               x=x.shape)
    assert_close(test, expected, ctx, atol=1e-12, rtol=1e-9, hint_sources=(_hint_dropout_convention,))


def _hint_dropout_convention(analytic, expected, compared, context):
    return N_("the book multiplies by (1 − dropout_ratio) at test time (§6.4.3); inverted dropout instead divides "
              "by it in training")


@check(on=[BATCHNORM_RUNNING_STATS], weight=3, role="correctness")
def check_batchnorm_running_statistics(impl, case):
    """Training updates running_mean/var as momentum·old + (1−momentum)·batch; test mode uses them
    and leaves them unchanged."""
    rng = np.random.default_rng(SEED)
    d, momentum = 4, 0.9
    gamma, beta = rng.uniform(0.5, 1.5, d), rng.normal(size=d)
    layer = construct(impl, case, gamma, beta, momentum=momentum)
    mean, var = np.zeros(d), np.zeros(d)
    for _ in range(3):
        batch = rng.normal(size=(8, d)) * 2 + 3
        book_method(layer, case.component, "forward", batch, train_flg=True)
        mean = momentum * mean + (1 - momentum) * batch.mean(axis=0)
        var = momentum * var + (1 - momentum) * batch.var(axis=0)
    for name, expected in (("running_mean", mean), ("running_var", var)):
        ctx = _ctx(impl, case, N_("{name} after 3 training batches", name=name),
                   N_("momentum·old + (1 − momentum)·batch statistic (§6.3.2)"))
        assert_close(getattr(layer, name), expected, ctx, atol=1e-10, rtol=1e-8,
                     hint_sources=(_running_statistics_hint,))
    x = rng.normal(size=(5, d)) * 2 + 3
    out = book_method(layer, case.component, "forward", x, train_flg=False)
    # the book puts 10e-7 inside the square root; allow any eps up to 1e-5
    expected = gamma * (x - mean) / np.sqrt(var + 1e-6) + beta
    ctx = _ctx(impl, case, "forward(x, train_flg=False)",
               "γ·(x − running_mean)/√(running_var + ε) + β", x=x.shape)
    assert_close(out, expected, ctx, atol=1e-4, rtol=1e-4)
    for name, expected in (("running_mean", mean), ("running_var", var)):
        ctx = _ctx(impl, case, N_("{name} after a test-mode forward", name=name),
                   N_("the same statistic before it (test mode must not update)"))
        assert_close(getattr(layer, name), expected, ctx, atol=0, rtol=0)


def _running_statistics_hint(analytic, expected, compared, context):
    if np.all(analytic == 0) or np.all(analytic == 1):
        return N_("the running statistics never moved: update the running statistics in every training forward "
                  "pass (§6.3.2)")
    return N_("update running = momentum·running + (1 − momentum)·batch statistic in training mode only")


@check(on=[POOLING_TIES], weight=1, role="correctness")
def check_pooling_ties_conserve_gradient(impl, case):
    """With ties inside windows, backward still sends each window's dout to exactly one place."""
    x = np.zeros((1, 2, 4, 4))
    x[0, 1] = np.repeat(np.repeat(np.arange(4.0).reshape(2, 2), 2, axis=0), 2, axis=1)
    layer = construct(impl, case, 2, 2, stride=2)
    out = np.asarray(layer.forward(x))
    dout = np.arange(1.0, 1.0 + out.size).reshape(out.shape)
    dx = np.asarray(layer.backward(dout))
    if dx.shape != x.shape:
        _ctx(impl, case).fail(
            _("dx shape {got}, expected {expected}", got=str(dx.shape), expected=str(x.shape)))
    windows = dx.reshape(1, 2, 2, 2, 2, 2).transpose(0, 1, 2, 4, 3, 5).reshape(1, 2, 2, 2, 4)
    sums = windows.sum(axis=-1)
    nonzero = (windows != 0).sum(axis=-1)
    ctx = _ctx(impl, case, N_("sum of dx over each 2×2 window"),
               N_("that window's dout (all values tied)"), x=x.shape)
    assert_close(sums, dout, ctx, atol=1e-12, rtol=0)
    if np.any(nonzero > 1):
        _ctx(impl, case).fail(
            _("a tied window spread its gradient over several positions"),
            hint=N_("route it to one argmax (like np.argmax)"))
