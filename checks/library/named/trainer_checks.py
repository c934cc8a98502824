"""Named checks for the Trainer of chapter 6 (common/trainer.py, book §6.4.3).

Trainer is judged on what is its own: which optimizer each name builds, with the
hyperparameters it was given, applied to the network's params and gradients, on the
book's schedule. Its network is a recording probe (`RecordingNetwork`, living beside the
implementation) whose gradient depends on its params alone, so the expected steps are the
implementation's own optimizer (already judged by the optimizer checks) applied to the
gradients the network handed out: an optimizer's mistake is not Trainer's.
"""

import numpy as np

from checks.i18n import N_, translator

from ..calls import book_method, construct
from ..cases.optimizers import TRAINER_CASES, TRAINER_NAMES, TRAINER_SCHEDULE
from ..components import component
from ..diagnosis import Context
from ..errors import CheckFailure, ImplementationError
from ..gradcheck import assert_close
from ..registry import check

__all__ = ["check_trainer_builds_the_named_optimizer", "check_trainer_schedule"]

SEED = 0
_ = translator("grading")
TRAIN_SIZE, TEST_SIZE, BATCH, EPOCHS = 20, 8, 5, 3


def _data(seed=SEED):
    rng = np.random.default_rng(seed)
    x_train = np.arange(TRAIN_SIZE * 2, dtype=np.float64).reshape(TRAIN_SIZE, 2)  # row i is (2i, 2i + 1)
    return x_train, np.arange(TRAIN_SIZE), rng.normal(size=(TEST_SIZE, 2)), rng.integers(0, 3, TEST_SIZE)


def _train(impl, case):
    """(the recording network, the trainer) after Trainer(...).train(), the book's way."""
    network = impl.probe("RecordingNetwork")(SEED)
    x_train, t_train, x_test, t_test = _data()
    try:
        trainer = construct(impl, case, network, x_train, t_train, x_test, t_test, epochs=EPOCHS,
                            mini_batch_size=BATCH, optimizer=case.config if case.config in TRAINER_NAMES else "sgd",
                            optimizer_param=dict(case.optimizer_param), verbose=False)
    except ImplementationError as error:
        if error.type_name == "KeyError":
            Context.of(impl, case).fail(
                _("Trainer(..., optimizer='{name}') raised KeyError: {message}", name=case.config,
                  message=error.message),
                hint=N_("a known issue of old copies of the book's code: common/trainer.py misspelt this key "
                        "('addgrad' for adagrad until 2016, 'rmsprpo' for rmsprop until 2020); the book's names are "
                        "sgd, momentum, nesterov, adagrad, rmsprop and adam"))
        raise
    book_method(trainer, case.component, "train")
    return network, trainer


def _replay(impl, case, optimizer, optimizer_param, history):
    """params after each update of `optimizer` (a component name of impl) on the recorded gradients."""
    instance = construct(impl, case, name=optimizer, **optimizer_param)
    params = {key: np.array(value) for key, value in history[0]["params"].items()}
    states = []
    for record in history:
        _, (params, _) = instance.update.call_returning_args(params, record["grads"])
        states.append(params)
    return states


def _compare(impl, case, got, expected):
    for step, (got_params, expected_params) in enumerate(zip(got, expected), start=1):
        for key, value in expected_params.items():
            ctx = Context.of(impl, case, N_("params['{key}'] after Trainer's step {step}", key=key, step=step),
                             N_("{optimizer}({kwargs}).update on the same gradients", optimizer=case.optimizer,
                                kwargs=", ".join(f"{k}={v}" for k, v in case.optimizer_param.items())),
                             shapes={key: np.shape(value)})
            assert_close(got_params.get(key) if isinstance(got_params, dict) else None, value, ctx,
                         atol=1e-12, rtol=1e-9)


@check(on=TRAINER_CASES, weight=2, role="correctness")
def check_trainer_builds_the_named_optimizer(impl, case):
    """Trainer(..., optimizer=name, optimizer_param=p).train() steps the params as optimizer name(**p) does."""
    network, _trainer = _train(impl, case)
    history = network.history
    if not history:
        Context.of(impl, case).fail(_("train() never called network.gradient: no step was taken"))
    got = [record["params"] for record in history[1:]] + [network.params]
    try:
        _compare(impl, case, got, _replay(impl, case, case.optimizer, case.optimizer_param, history))
    except CheckFailure as failure:
        for other in TRAINER_NAMES.values():
            if other == case.optimizer:
                continue
            accepted = component(other).signature("__init__").names
            param = {k: v for k, v in case.optimizer_param.items() if k in accepted}
            try:
                _compare(impl, case, got, _replay(impl, case, other, param, history))
            except (CheckFailure, ImplementationError):
                continue
            raise CheckFailure(str(failure) + "\n  " + _(
                "hint: {hint}", hint=_("these are the steps of {other}: the name '{name}' must build {optimizer}",
                                       other=other, name=case.config, optimizer=case.optimizer))) from None
        raise


@check(on=[TRAINER_SCHEDULE], weight=1, role="correctness")
def check_trainer_schedule(impl, case):
    """train() takes int(epochs · train_size / mini_batch_size) steps of mini_batch_size samples (pairs kept),
    records every step's loss and each epoch's train and test accuracy (book §6.4.3)."""
    network, trainer = _train(impl, case)
    steps = int(EPOCHS * max(TRAIN_SIZE / BATCH, 1))
    batches = network.batches
    facts = []
    if len(batches) != steps:
        facts.append(_("network.gradient was called {got} times, expected {expected} (epochs={epochs} × "
                       "{size} training samples / mini_batch_size={batch_size})", got=len(batches), expected=steps,
                       epochs=EPOCHS, size=TRAIN_SIZE, batch_size=BATCH))
    for x, t in batches:
        rows = np.asarray(x)
        if rows.shape != (BATCH, 2) or np.asarray(t).shape != (BATCH,) or \
                not np.array_equal(rows, np.stack([2 * np.asarray(t), 2 * np.asarray(t) + 1], axis=1)):
            facts.append(_("a mini-batch is not {batch_size} (sample, label) pairs of the training set: x {shape}",
                           batch_size=BATCH, shape=str(rows.shape)))
            break
    for name, expected in (("train_loss_list", steps), ("train_acc_list", EPOCHS), ("test_acc_list", EPOCHS)):
        try:
            got = len(getattr(trainer, name))
        except (ImplementationError, TypeError):
            got = None
        if got != expected:
            facts.append(_("{name} has {got} entries, expected {expected}", name=name,
                           got="no" if got is None else got, expected=expected))
    if facts:
        Context.of(impl, case).fail("\n".join(facts))
