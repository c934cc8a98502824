"""Named checks for whole networks (ch04's TwoLayerNet … DeepConvNet).

Backprop `gradient(x, t)` is compared with central differences of `loss(x, t)` on a
random sample of each parameter's elements (large conv weights make a full sweep
too slow; a wrong backward pass is wrong almost everywhere). Parameters are
perturbed where they live, through `RemoteRef.assign`, because the book's layers
share their arrays with `params`. Every parameter the book's network has is checked
(its keys come from the case, never from the network: a network whose `params` is
empty compares nothing and must not pass), and `predict` is checked against the book's
definition, not only against the network's own loss and accuracy.

A network is judged on what is its own: its loss may use a cross-entropy with or without
the book's 1e-7 inside the log (the two differ by ≈1e-7 relative, a helper's convention,
not the network's error); its Dropout may be the book's or inverted.
"""

import numpy as np

from checks.i18n import N_, translator

from ..calls import book_method, construct
from ..cases.networks import DEFAULTS_CASES, INIT_CASES, NETWORK_CASES, OWN_NUMERICAL_GRADIENT_CASES
from ..definitions import CROSS_ENTROPY_DELTAS, cross_entropy, softmax
from ..diagnosis import Context
from ..gradcheck import STEP, assert_close, assert_close_to_any, assert_finite, numerical_gradient, sample_indices
from ..hints import offset_hint
from ..registry import check

__all__ = ["check_accuracy_matches_predict", "check_defaults_build_and_predict", "check_gradient_matches_numerical",
           "check_initial_weight_statistics", "check_loss_is_cross_entropy_of_predict",
           "check_own_numerical_gradient_agrees", "check_param_keys_and_shapes", "check_predict_matches_definition",
           "check_save_load_round_trip"]

_ = translator("grading")

SEED = 0
SAMPLED_PER_PARAM = 6


def _build(impl, case, seed=SEED, method=None):
    impl.seed(seed)
    net = construct(impl, case, method=method, **case.kwargs)
    x, labels = case.inputs(np.random.default_rng(seed))
    return net, x, labels


def _call(net, case, method, *args, **kwargs):
    return book_method(net, case.component, method, *args, **kwargs)


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


def _ctx(impl, case, quantity=None, reference=None, **extra):
    return Context.of(impl, case, quantity, reference, seed=SEED, extra=extra)


def _loss(impl, case, net, x, t):
    if case.stochastic:
        impl.seed(SEED + 7)
    return float(_call(net, case, "loss", x, t, **case.loss_kwargs))


def _params(impl, case, net, what):
    """net.params, with every key the book's network has (else a failure naming the missing ones)."""
    return _with_keys(impl, case, net.params, case.param_shapes, what)


def _with_keys(impl, case, params, keys, what):
    missing = [key for key in keys if not isinstance(params, dict) or key not in params]
    if missing:
        _ctx(impl, case).fail(
            _("params has no {keys}: {what} compares the book's parameters, so each must be in params (book {section})",
              keys=", ".join(missing), what=_(what), section=case.section))
    return params


def _with_book_shapes(impl, case, params):
    """`params` (with every book key) when each has the book's shape; else a failure listing the others.

    The book's definition of predict multiplies the book's shapes: on others it cannot run, so the
    network's shapes are what is wrong, said as check_param_keys_and_shapes says it.
    """
    wrong = [key for key in case.param_shapes if tuple(np.shape(params[key])) != tuple(case.param_shapes[key])]
    if wrong:
        _ctx(impl, case).fail("\n".join(
            _("{key}: shape {got}, expected {expected}", key=key, got=str(tuple(np.shape(params[key]))),
              expected=str(tuple(case.param_shapes[key]))) for key in wrong))
    return params


def _scores(impl, case, net, x, **kwargs):
    """predict(x) as a float array, shaped (batch, classes) as the book's networks return it (else a failure)."""
    got = _call(net, case, "predict", x, **kwargs)
    what = N_("probabilities") if case.predicts == "probabilities" else N_("scores")
    ctx = _ctx(impl, case, "predict(x)", N_("the book's network on its params ({section}): {what}",
                                            section=case.section, what=what))
    try:
        scores = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        scores = None
    if scores is None or scores.shape != (len(x), case.classes):
        assert_close(got, np.zeros((len(x), case.classes)), ctx)  # says what is wrong: nothing, not numeric, shape
    return scores


def _central_differences(impl, case, net, x, t, key, value, indices):
    """Central differences of loss(x, t) in params[key], at `indices`, perturbing the network's own array."""
    def f(perturbed):
        changed = np.argwhere(perturbed != value)
        for index in changed:
            net.assign(["params", ("item", key)], tuple(int(i) for i in index), float(perturbed[tuple(index)]))
        loss = _loss(impl, case, net, x, t)
        for index in changed:
            net.assign(["params", ("item", key)], tuple(int(i) for i in index), float(value[tuple(index)]))
        return loss

    return numerical_gradient(f, value, indices=indices)


@check(on=NETWORK_CASES, weight=2, role="correctness")
def check_param_keys_and_shapes(impl, case):
    """params holds the book's keys (W1, b1, …, gamma1, beta1 …) with the book's shapes."""
    net, _x, _t = _build(impl, case)
    params = net.params
    got = {key: tuple(np.shape(value)) for key, value in params.items()} if isinstance(params, dict) else {}
    expected = {key: tuple(shape) for key, shape in case.param_shapes.items()}
    if got != expected:
        missing = sorted(set(expected) - set(got))
        extra = sorted(set(got) - set(expected))
        wrong = sorted(k for k in set(got) & set(expected) if got[k] != expected[k])
        _ctx(impl, case).fail(
            "".join(_("{key}: shape {got}, expected {expected}", key=k, got=str(got[k]), expected=str(expected[k]))
                    + "\n" for k in wrong)
            + (_("missing keys: {keys}", keys=str(missing)) + "\n" if missing else "")
            + (_("unexpected keys: {keys}", keys=str(extra)) + "\n" if extra else ""))


@check(on=NETWORK_CASES, weight=6, role="correctness")
def check_gradient_matches_numerical(impl, case):
    """gradient(x, t) equals central differences of loss(x, t), on a sample of every parameter the book has."""
    net, x, labels = _build(impl, case, method="gradient")
    t = case.target(labels)
    _move_biases_off_zero(net)
    if case.stochastic:
        impl.seed(SEED + 7)
    grads = _call(net, case, "gradient", x, t)
    params = _params(impl, case, net, N_("the gradient check"))
    rng = np.random.default_rng(SEED + 3)
    for key in case.param_shapes:
        value = np.asarray(params[key], dtype=np.float64)
        indices = sample_indices(value.shape, SAMPLED_PER_PARAM, rng)
        expected = _central_differences(impl, case, net, x, t, key, value, indices)
        got = grads.get(key) if isinstance(grads, dict) else None
        ctx = _ctx(impl, case, f"gradient(x, t)['{key}']",
                   N_("central differences of loss(x, t) in params['{key}'] ({count} sampled elements)", key=key,
                      count=len(indices)),
                   batch_size=len(x), perturbed=f"params['{key}']")
        ctx.shapes, ctx.step = {"x": x.shape, key: value.shape}, STEP
        assert_close(got, expected, ctx)


@check(on=NETWORK_CASES, when=lambda case: case.definition is not None, weight=2, role="correctness")
def check_predict_matches_definition(impl, case):
    """predict(x) is the book's network applied to the network's own params (checks/library/definitions.py)."""
    net, x, _labels = _build(impl, case)
    _move_biases_off_zero(net)
    params = _with_book_shapes(impl, case, _params(impl, case, net, N_("predict's definition")))
    params = {key: np.asarray(value, dtype=np.float64) for key, value in params.items()}
    got = _call(net, case, "predict", x, **case.predict_kwargs)
    what = N_("probabilities") if case.predicts == "probabilities" else N_("scores")
    ctx = _ctx(impl, case, "predict(x)", N_("the book's network on its params ({section}): {what}",
                                              section=case.section, what=what))
    assert_close_to_any(got, case.definition(params, x), ctx, atol=1e-9, rtol=1e-7, hint_sources=(offset_hint,))


@check(on=NETWORK_CASES, weight=1, role="correctness")
def check_accuracy_matches_predict(impl, case):
    """accuracy(x, t) is the fraction of argmax(predict(x)) == t, for the target forms of the case's chapter.

    The book's conv nets count whole batches of accuracy(x, t, batch_size=100) only: their
    cases pass the book's `batch_size` and whole batches (`accuracy_inputs`,
    `accuracy_kwargs`), where both conventions agree.
    """
    net, x, labels = _build(impl, case)
    if case.accuracy_inputs is not None:
        x, labels = case.accuracy_inputs(np.random.default_rng(SEED))
    rng = np.random.default_rng(SEED + 5)
    scores = _scores(impl, case, net, x)
    # make about half the labels right, so a wrong comparison cannot pass by luck
    labels = np.where(rng.random(len(labels)) < 0.5, scores.argmax(axis=1), labels)
    expected = float(np.mean(scores.argmax(axis=1) == labels))
    for form in case.accuracy_targets:
        ctx = _ctx(impl, case, f"accuracy(x, t as {form})", "mean(argmax(predict(x)) == t)")
        got = _call(net, case, "accuracy", x, case.target(labels, form), **case.accuracy_kwargs)
        assert_close(got, expected, ctx, atol=1e-12, rtol=0)


@check(on=NETWORK_CASES, when=lambda case: not case.stochastic, weight=2, role="correctness")
def check_loss_is_cross_entropy_of_predict(impl, case):
    """loss(x, t) = cross entropy of softmax(predict(x)) (+ ½λΣ‖W‖² with weight decay).

    The cross entropy may add the book's 1e-7 inside the log or not: that is its helper's
    convention (checked in cross_entropy_error's own checks), not the network's.
    """
    net, x, labels = _build(impl, case)
    t = case.target(labels)
    output = _scores(impl, case, net, x, **case.predict_kwargs)
    probabilities = output if case.predicts == "probabilities" else softmax(output)
    decay = case.kwargs.get("weight_decay_lambda", 0)
    penalty = 0.0
    if decay:
        params = _params(impl, case, net, N_("the weight decay term"))
        penalty = 0.5 * decay * sum(np.sum(np.asarray(v) ** 2) for k, v in params.items() if k.startswith("W"))
    got = _call(net, case, "loss", x, t, **case.loss_kwargs)
    reference = N_("cross entropy of softmax(predict(x))") if case.predicts == "scores" else \
        N_("cross entropy of predict(x)")
    ctx = _ctx(impl, case, "loss(x, t)", reference + (f" + ½·{decay}·Σ‖W‖²" if decay else ""))
    assert_close_to_any(got, tuple(cross_entropy(probabilities, labels, delta) + penalty
                                   for delta in CROSS_ENTROPY_DELTAS), ctx, atol=1e-9, rtol=1e-9)


@check(on=OWN_NUMERICAL_GRADIENT_CASES, weight=3, role="correctness")
def check_own_numerical_gradient_agrees(impl, case):
    """The network's own numerical_gradient(x, t) agrees with central differences of its loss (h=1e-4 allowed).

    Compared with our central differences, not with its backprop gradient: a wrong gradient
    must not take its numerical_gradient down with it. ch07/gradient_check.py calls the conv
    net's on input_dim=(1, 10, 10).
    """
    net, x, labels = _build(impl, case)
    t = case.target(labels)
    _move_biases_off_zero(net)
    own = _call(net, case, "numerical_gradient", x, t)
    params = _params(impl, case, net, N_("the numerical gradient check"))
    rng = np.random.default_rng(SEED + 3)
    for key in case.param_shapes:
        value = np.asarray(params[key], dtype=np.float64)
        indices = sample_indices(value.shape, SAMPLED_PER_PARAM, rng)
        expected = _central_differences(impl, case, net, x, t, key, value, indices)
        got = own.get(key) if isinstance(own, dict) else None
        ctx = _ctx(impl, case, f"numerical_gradient(x, t)['{key}']",
                   N_("central differences of loss(x, t) in params['{key}'] ({count} sampled elements)", key=key,
                      count=len(indices)), perturbed=f"params['{key}']")
        # the book's h = 1e-4 leaves O(h²) ≈ 1e-8 truncation error; 1e-6 is ample, real bugs are not
        assert_close(got, expected, ctx, atol=1e-6, rtol=1e-4)


@check(on=NETWORK_CASES, when=lambda case: case.saves, weight=2, role="correctness")
def check_save_load_round_trip(impl, case):
    """save_params(file), then load_params(file) into another network: it predicts what the first did (book §7.5).

    Both the params dict and the layers must hold the loaded weights: the layers compute predict.
    """
    net, x, _labels = _build(impl, case)
    path = impl.probe("scratch_file")("params.pkl")
    expected = np.asarray(_call(net, case, "predict", x), dtype=np.float64)
    saved = {key: np.asarray(value) for key, value in _params(impl, case, net, N_("the round trip")).items()}
    _call(net, case, "save_params", path)
    other, _x, _ = _build(impl, case, seed=SEED + 1)  # other weights, so that loading has to change them
    _call(other, case, "load_params", path)
    params = _params(impl, case, other, N_("the round trip"))
    for key in case.param_shapes:
        ctx = _ctx(impl, case, N_("params['{key}'] after load_params", key=key),
                   N_("the params['{key}'] that save_params wrote", key=key))
        assert_close(params[key], saved[key], ctx, atol=0, rtol=0)
    ctx = _ctx(impl, case, N_("predict(x) after load_params"), N_("predict(x) of the network that saved them"))
    assert_close(_call(other, case, "predict", x), expected, ctx, atol=1e-12, rtol=1e-9,
                 hint_sources=(_hint_layers_not_reloaded,))


def _hint_layers_not_reloaded(analytic, expected, compared, context):
    return N_("params holds the loaded weights but the layers compute with others: after loading, give each layer "
              "its arrays again (layer.W = params['W1'], layer.b = …; W in capitals, as the layers read it), or "
              "copy into the existing arrays (book §7.5)")


@check(on=INIT_CASES, weight=2, role="correctness")
def check_initial_weight_statistics(impl, case):
    """Initial weights have mean ≈ 0 and the specified std (randn, not rand); biases are 0."""
    impl.seed(SEED)
    params = construct(impl, case, **case.kwargs).params
    _with_keys(impl, case, params, case.param_shapes, N_("the initial weights check"))
    for key, std in case.param_shapes.items():
        w = np.asarray(params[key], dtype=np.float64)
        assert_finite(w, _ctx(impl, case, f"params['{key}']",
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
            Context.of(impl, case).fail(
                _("params['{key}'] {shape}: mean {mean}, std {std}; expected mean 0 (±{mean_tolerance}), "
                  "std {expected_std} (±{std_tolerance}), seed {seed}", key=key, shape=str(w.shape),
                  mean=format(mean, ".3g"), std=format(measured_std, ".4g"),
                  mean_tolerance=format(4 * std / np.sqrt(w.size), ".2g"), expected_std=format(std, ".4g"),
                  std_tolerance=format(tolerance, ".0%"), seed=SEED), hint)
    for key, value in params.items():
        if key.startswith("b") and np.any(np.asarray(value) != 0):
            Context.of(impl, case).fail(
                _("params['{key}'] should start at zeros (book §4.5.1)", key=key))


@check(on=DEFAULTS_CASES, weight=2, role="correctness")
def check_defaults_build_and_predict(impl, case):
    """Built with its default arguments, the network classifies 28×28 MNIST-shaped input into 10 scores."""
    impl.seed(SEED)
    net = construct(impl, case)
    x = np.random.default_rng(SEED).random((2, 1, 28, 28))
    scores = _call(net, case, "predict", x)
    if np.shape(scores) != (2, 10):
        Context.of(impl, case).fail(
            _("{call} has shape {shape}, expected (2, 10)", call=case.component + "().predict(x (2, 1, 28, 28))",
              shape=str(np.shape(scores))),
            N_("check the default input_dim=(1, 28, 28) and the sizes derived from it"))
