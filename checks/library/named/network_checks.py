"""Named checks for whole networks (TwoLayerNet … DeepConvNet).

Backprop `gradient(x, t)` is compared with central differences of `loss(x, t)` on a
random sample of each parameter's elements (large conv weights make a full sweep
too slow; a wrong backward pass is wrong almost everywhere). Parameters are
perturbed where they live, through `RemoteRef.assign`, because the book's layers
share their arrays with `params`.
"""

import numpy as np

from checks.i18n import N_, translator

from ..cases.networks import DEFAULTS_CASES, INIT_CASES, NETWORK_CASES
from ..diagnosis import Context
from ..gradcheck import STEP, assert_close, assert_finite, numerical_gradient, sample_indices
from ..registry import check

__all__ = ["check_accuracy_matches_predict", "check_defaults_build_and_predict", "check_gradient_matches_numerical",
           "check_initial_weight_statistics", "check_loss_is_cross_entropy_of_predict",
           "check_own_numerical_gradient_agrees", "check_param_keys_and_shapes"]

_ = translator("grading")

SEED = 0
SAMPLED_PER_PARAM = 6


def _build(impl, case, seed=SEED):
    impl.seed(seed)
    net = impl.get(case.component)(**case.kwargs)
    x, t = case.inputs(np.random.default_rng(seed))
    return net, x, t


def _move_biases_off_zero(net, seed=SEED):
    """Give every bias a random nonzero value before a gradient check.

    Freshly built nets have zero biases, so a sample whose previous ReLU layer is all
    dead feeds exactly 0 into the next ReLU: the kink, where a central difference
    straddles two slopes. Any parameters are a valid point to check the gradient at.
    """
    rng = np.random.default_rng(seed + 11)
    for key, value in net.params.items():
        if key.startswith("b") and not key.startswith("beta"):
            net.assign(["params", ("item", key)], slice(None), rng.normal(scale=0.1, size=np.shape(value)))


def _ctx(impl, case, check, quantity=None, reference=None, **extra):
    return Context.of(check, impl, case, quantity, reference, seed=SEED, extra=extra)


def _loss(impl, case, net, x, t):
    if case.stochastic:
        impl.seed(SEED + 7)
    return float(net.loss(x, t, **case.loss_kwargs))


@check(on=NETWORK_CASES, weight=2, role="correctness")
def check_param_keys_and_shapes(impl, case):
    """params holds the book's keys (W1, b1, …, gamma1, beta1 …) with the book's shapes."""
    net, _x, _t = _build(impl, case)
    params = net.params
    got = {key: tuple(np.shape(value)) for key, value in params.items()}
    expected = {key: tuple(shape) for key, shape in case.param_shapes.items()}
    if got != expected:
        missing = sorted(set(expected) - set(got))
        extra = sorted(set(got) - set(expected))
        wrong = sorted(k for k in set(got) & set(expected) if got[k] != expected[k])
        _ctx(impl, case, "check_param_keys_and_shapes").fail(
            "".join(_("{key}: shape {got}, expected {expected}", key=k, got=str(got[k]), expected=str(expected[k]))
                    + "\n" for k in wrong)
            + (_("missing keys: {keys}", keys=str(missing)) + "\n" if missing else "")
            + (_("unexpected keys: {keys}", keys=str(extra)) + "\n" if extra else ""))


@check(on=NETWORK_CASES, weight=6, role="correctness")
def check_gradient_matches_numerical(impl, case):
    """gradient(x, t) equals central differences of loss(x, t), on a sample of every parameter."""
    net, x, t = _build(impl, case)
    _move_biases_off_zero(net)
    if case.stochastic:
        impl.seed(SEED + 7)
    grads = net.gradient(x, t)
    params = net.params
    rng = np.random.default_rng(SEED + 3)
    for key, value in params.items():
        value = np.asarray(value, dtype=np.float64)
        indices = sample_indices(value.shape, SAMPLED_PER_PARAM, rng)

        def f(perturbed, key=key):
            changed = np.argwhere(perturbed != value)
            for index in changed:
                net.assign(["params", ("item", key)], tuple(int(i) for i in index), float(perturbed[tuple(index)]))
            loss = _loss(impl, case, net, x, t)
            for index in changed:
                net.assign(["params", ("item", key)], tuple(int(i) for i in index), float(value[tuple(index)]))
            return loss

        expected = numerical_gradient(f, value, indices=indices)
        got = grads.get(key) if isinstance(grads, dict) else None
        ctx = _ctx(impl, case, "check_gradient_matches_numerical", f"gradient(x, t)['{key}']",
                   N_("central differences of loss(x, t) in params['{key}'] ({count} sampled elements)", key=key,
                      count=len(indices)),
                   batch_size=len(x), perturbed=f"params['{key}']")
        ctx.shapes, ctx.step = {"x": x.shape, key: value.shape}, STEP
        assert_close(got, expected, ctx)


@check(on=NETWORK_CASES, weight=1, role="correctness")
def check_accuracy_matches_predict(impl, case):
    """accuracy(x, t) is the fraction of argmax(predict(x)) == t, for labels and one-hot t.

    The book's conv nets count whole batches of accuracy(x, t, batch_size=100) only: their
    cases pass the book's `batch_size` and whole batches (`accuracy_inputs`,
    `accuracy_kwargs`), where both conventions agree.
    """
    net, x, t = _build(impl, case)
    if case.accuracy_inputs is not None:
        x, t = case.accuracy_inputs(np.random.default_rng(SEED))
    rng = np.random.default_rng(SEED + 5)
    scores = np.asarray(net.predict(x))
    classes = scores.shape[1]
    # make about half the labels right, so a wrong comparison cannot pass by luck
    t = np.where(rng.random(len(t)) < 0.5, scores.argmax(axis=1), t)
    expected = float(np.mean(scores.argmax(axis=1) == t))
    for name, target in (("labels", t), ("one-hot", np.eye(classes)[t])):
        ctx = _ctx(impl, case, "check_accuracy_matches_predict", f"accuracy(x, t as {name})",
                   "mean(argmax(predict(x)) == t)")
        assert_close(net.accuracy(x, target, **case.accuracy_kwargs), expected, ctx, atol=1e-12, rtol=0)


@check(on=NETWORK_CASES, when=lambda case: not case.stochastic, weight=2, role="correctness")
def check_loss_is_cross_entropy_of_predict(impl, case):
    """loss(x, t) = cross entropy of softmax(predict(x)) (+ ½λΣ‖W‖² with weight decay)."""
    net, x, t = _build(impl, case)
    scores = np.asarray(net.predict(x), dtype=np.float64)
    probabilities = np.exp(scores - scores.max(axis=1, keepdims=True))
    probabilities /= probabilities.sum(axis=1, keepdims=True)
    expected = -np.mean(np.log(probabilities[np.arange(len(t)), t] + 1e-7))
    decay = case.kwargs.get("weight_decay_lambda", 0)
    if decay:
        params = net.params
        expected += 0.5 * decay * sum(np.sum(np.asarray(v) ** 2) for k, v in params.items() if k.startswith("W"))
    ctx = _ctx(impl, case, "check_loss_is_cross_entropy_of_predict", "loss(x, t)",
               N_("cross entropy of softmax(predict(x))") + (f" + ½·{decay}·Σ‖W‖²" if decay else ""))
    assert_close(net.loss(x, t), expected, ctx, atol=1e-9, rtol=1e-7)


@check(on=NETWORK_CASES, when=lambda case: case.has_numerical_gradient and not case.stochastic,
       weight=3, role="correctness")
def check_own_numerical_gradient_agrees(impl, case):
    """The network's own numerical_gradient(x, t) agrees with central differences (h=1e-4 allowed)."""
    net, x, t = _build(impl, case)
    _move_biases_off_zero(net)
    own = net.numerical_gradient(x, t)
    grads = net.gradient(x, t)
    for key in case.param_shapes:
        got = own.get(key) if isinstance(own, dict) else None
        ctx = _ctx(impl, case, "check_own_numerical_gradient_agrees", f"numerical_gradient(x, t)['{key}']",
                   N_("gradient(x, t)['{key}'] (backprop)", key=key))
        # the book's h = 1e-4 leaves O(h²) ≈ 1e-8 truncation error; 1e-5 is ample, 1e-2 bugs are not
        assert_close(got, grads[key], ctx, atol=1e-5, rtol=1e-4)


@check(on=INIT_CASES, weight=2, role="correctness")
def check_initial_weight_statistics(impl, case):
    """Initial weights have mean ≈ 0 and the specified std (randn, not rand); biases are 0."""
    impl.seed(SEED)
    params = impl.get(case.component)(**case.kwargs).params
    for key, std in case.param_shapes.items():
        w = np.asarray(params[key], dtype=np.float64)
        assert_finite(w, _ctx(impl, case, "check_initial_weight_statistics", f"params['{key}']",
                              N_("weights drawn with std {std}", std=format(std, ".4g"))))
        # std of a sample of n normals has relative spread ≈ 1/sqrt(2n); 4 of those, at least 3%
        tolerance = max(0.03, 4.0 / np.sqrt(2 * w.size))
        measured_std, mean = float(w.std()), float(w.mean())
        if abs(measured_std / std - 1) > tolerance or abs(mean) > 4 * std / np.sqrt(w.size):
            hint = None
            if mean > 2 * std / np.sqrt(w.size) and w.min() >= 0:
                hint = N_("all weights are ≥ 0 — draw with np.random.randn (normal), not rand (uniform)")
            elif abs(measured_std / std - np.sqrt(2)) < tolerance * np.sqrt(2) or \
                    abs(measured_std / std - np.sqrt(0.5)) < tolerance:
                hint = N_("off by √2 — He is √(2/n_in) (ReLU), Xavier √(1/n_in) (sigmoid); swapped?")
            Context.of("check_initial_weight_statistics", impl, case).fail(
                _("params['{key}'] {shape}: mean {mean}, std {std}; expected mean 0 (±{mean_tolerance}), "
                  "std {expected_std} (±{std_tolerance}), seed {seed}", key=key, shape=str(w.shape),
                  mean=format(mean, ".3g"), std=format(measured_std, ".4g"),
                  mean_tolerance=format(4 * std / np.sqrt(w.size), ".2g"), expected_std=format(std, ".4g"),
                  std_tolerance=format(tolerance, ".0%"), seed=SEED), hint)
    for key, value in params.items():
        if key.startswith("b") and np.any(np.asarray(value) != 0):
            Context.of("check_initial_weight_statistics", impl, case).fail(
                _("params['{key}'] should start at zeros (book §4.5.1)", key=key))


@check(on=DEFAULTS_CASES, weight=2, role="correctness")
def check_defaults_build_and_predict(impl, case):
    """Built with its default arguments, the network classifies 28×28 MNIST-shaped input into 10 scores."""
    impl.seed(SEED)
    net = impl.get(case.component)()
    x = np.random.default_rng(SEED).random((2, 1, 28, 28))
    scores = net.predict(x)
    if np.shape(scores) != (2, 10):
        Context.of("check_defaults_build_and_predict", impl, case).fail(
            _("{call} has shape {shape}, expected (2, 10)", call=case.component + "().predict(x (2, 1, 28, 28))",
              shape=str(np.shape(scores))),
            N_("check the default input_dim=(1, 28, 28) and the sizes derived from it"))
