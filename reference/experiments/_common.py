"""Plumbing shared by the experiments: the implementation they run on, and the book's loop.

Every experiment takes ``lib``, a module-like namespace exposing the book's public
names (``lib.MultiLayerNet``, ``lib.SGD``, ``lib.Trainer``, ...), and uses components
only through it, so the same experiment runs on the reference or on a learner's
implementation. ``None`` means the ``reference`` package, imported when the
experiment runs (not when this module is imported); the student kit ships these files
unchanged, without ``reference/``, and there ``None`` means the learner's ``exercises``.

Randomness: the book's components draw from NumPy's global generator (weight
initialisation, dropout masks, ``shuffle_dataset``), so each experiment seeds that
generator with ``np.random.seed(seed)`` and, like the book's scripts, also draws its
mini-batches from it with ``np.random.choice``.
"""

import importlib
import importlib.util

import numpy as np

__all__ = ["accelerate", "check_dtype", "in_dtype", "resolve_lib", "train_on_shared_batches", "iterations_for_epochs", "run_progress", "run_trainer",
           "predicted_classes"]


def resolve_lib(lib):
    """The namespace to take components from: ``lib`` itself, or the default implementation package.

    The default is the package these experiments sit in (``reference``); the student kit ships
    them as ``checks.experiments``, without a reference, and there it is the learner's
    ``exercises``. Decided by where this file is, not by what ``sys.path`` happens to offer.
    """
    if lib is None:
        home = __package__.rpartition(".")[0]
        return importlib.import_module("exercises" if home in ("", "checks") else home)
    return lib


def _tuned_kernels():
    """``reference.fast`` beside this package; None where these files are shipped without it (the student kit)."""
    parent = __package__.rpartition(".")[0]
    name = f"{parent}.fast"
    return importlib.import_module(name) if parent and importlib.util.find_spec(name) is not None else None


def accelerate(network, **options):
    """``reference.fast.accelerate(network, **options)`` where the tuned kernels are; else ``network`` as it is.

    The kernels are a solution of Convolution and Pooling, so the student kit has none: there
    the conv nets run the learner's own layers, which ``accelerate`` leaves alone anyway.
    """
    fast = _tuned_kernels()
    return network if fast is None else fast.accelerate(network, **options)


def train_on_shared_batches(networks, optimizers, x_train, t_train, *, batch_size, iterations,
                            record_loss=True, eval_every=None, evaluate=None, progress=None):
    """The hand-written training loop of the book's chapter 6 scripts.

    Each iteration draws one mini-batch with ``np.random.choice(train_size, batch_size)``
    (with replacement, as the book), and every network in turn computes
    ``gradient(x_batch, t_batch)`` and lets its optimizer ``update(params, grads)``;
    with ``record_loss`` its ``loss`` on that batch, after the update, is recorded
    (book: optimizer_compare_mnist.py, weight_init_compare.py). When
    ``i % eval_every == 0`` (iteration 0 included, after its update, as in
    batch_norm_test.py and overfit_weight_decay.py), ``evaluate(network)`` is recorded
    for every network.

    Args:
        networks: list of networks with ``params``, ``gradient``, ``loss``.
        optimizers: list of the same length with ``update(params, grads)``; the same
            object may appear several times when it holds no state (SGD).
        x_train, t_train: the training set the batches are drawn from.
        batch_size: mini-batch size.
        iterations: number of iterations.
        record_loss: whether to compute and record each network's batch loss. The
            book's Batch Normalization and overfitting scripts do not: an extra forward
            pass in training mode would update BN running statistics or draw dropout masks.
        eval_every: evaluation period in iterations (None: never); may be a float, as
            the book's ``iter_per_epoch = max(train_size / batch_size, 1)``.
        evaluate: function of one network returning a tuple of floats.
        progress: optional ``progress(done, total)`` callback, called once per iteration.

    Returns:
        losses: (len(networks), iterations) array (zeros when not recorded).
        evaluations: (len(networks), n_evaluations, len(tuple)) array.
    """
    train_size = x_train.shape[0]
    losses = np.zeros((len(networks), iterations))
    evaluations = [[] for _ in networks]
    for i in range(iterations):
        batch_mask = np.random.choice(train_size, batch_size)
        x_batch, t_batch = x_train[batch_mask], t_train[batch_mask]
        for k, (network, optimizer) in enumerate(zip(networks, optimizers)):
            grads = network.gradient(x_batch, t_batch)
            optimizer.update(network.params, grads)
            if record_loss:
                losses[k, i] = network.loss(x_batch, t_batch)
        if eval_every is not None and i % eval_every == 0:
            for k, network in enumerate(networks):
                evaluations[k].append(tuple(evaluate(network)))
        if progress is not None:
            progress(i + 1, iterations)
    return losses, np.array(evaluations, dtype=float)


def run_progress(progress, run, runs, iterations):
    """The ``progress`` callback of run number ``run`` of ``runs`` equal runs, counting overall iterations."""
    if progress is None:
        return None
    return lambda done, _: progress(run * iterations + done, runs * iterations)


def iterations_for_epochs(epochs, iter_per_epoch):
    """Iterations the book's epoch loops run to record ``epochs`` evaluations.

    The book evaluates after the update of iteration i when ``i % iter_per_epoch == 0``
    (``iter_per_epoch`` may be a float) and stops right after the ``epochs``-th
    evaluation: for a whole ``iter_per_epoch`` that is iteration ``(epochs - 1) * iter_per_epoch``.
    """
    count, i = 0, 0
    while True:
        if i % iter_per_epoch == 0:
            count += 1
            if count >= epochs:
                return i + 1
        i += 1


def run_trainer(lib, network, x_train, t_train, x_test, t_test, progress=None, **trainer_kwargs):
    """Train ``network`` with ``lib.Trainer`` (book: common/trainer.py) and return its records.

    ``trainer_kwargs`` are the Trainer's own (epochs, mini_batch_size, optimizer,
    optimizer_param, evaluate_sample_num_per_epoch); ``verbose`` is False unless given.
    ``progress(done, total)``, when given, is called after each ``train_step``
    (total: the Trainer's ``max_iter``).

    Returns:
        dict with train_loss (iterations,), train_acc and test_acc (epochs,): the
        Trainer's train_loss_list, train_acc_list and test_acc_list.
    """
    trainer_kwargs.setdefault("verbose", False)
    trainer = lib.Trainer(network, x_train, t_train, x_test, t_test, **trainer_kwargs)
    _share_update_among_threads(trainer, network)
    if progress is not None:
        # Counted by shadowing train_step on the instance: train() stays the Trainer's own
        # (a learner's Trainer is run as written), only its step calls are observed.
        step, done = trainer.train_step, [0]
        total = int(getattr(trainer, "max_iter", 0))

        def counted_step():
            step()
            done[0] += 1
            progress(done[0], max(total, done[0]))

        trainer.train_step = counted_step
    trainer.train()
    return {
        "train_loss": np.array(trainer.train_loss_list, dtype=float),
        "train_acc": np.array(trainer.train_acc_list, dtype=float),
        "test_acc": np.array(trainer.test_acc_list, dtype=float),
    }


def _share_update_among_threads(trainer, network):
    """Beside a data-parallel network (``accelerate(network, threads=N)``), the reference's Adam
    updates on the same N threads (``reference.fast.install_threaded_update``: the same bits).

    Anything else — a learner's Trainer or optimizer, a network run on one thread — is left
    as it is.
    """
    fast = _tuned_kernels()
    executor = getattr(network, "data_parallel", None)
    optimizer = getattr(trainer, "optimizer", None)
    if fast is not None and executor is not None and optimizer is not None:
        fast.install_threaded_update(optimizer, executor.threads)


def predicted_classes(predict, x, batch_size=100):
    """Arg-max class of ``predict`` over ``x`` in batches (as the book's ``accuracy`` of the conv nets).

    Returns:
        (N,) int array.
    """
    return np.concatenate([
        np.argmax(predict(x[i:i + batch_size]), axis=1) for i in range(0, x.shape[0], batch_size)
    ]).astype(int)


TRAINING_DTYPES = ("float64", "float32")


def check_dtype(dtype):
    """Reject a training dtype other than "float64" (the book's) and "float32", naming what came."""
    if str(dtype) not in TRAINING_DTYPES:
        raise ValueError(f"dtype must be one of {', '.join(TRAINING_DTYPES)}, got {dtype!r}")


def in_dtype(network, dtype, *arrays):
    """The arrays in `dtype`, and the network's parameters cast to it (``reference.fast.cast_network``).

    "float64" changes nothing (the arrays are returned as they are), so default runs stay
    bit-identical to what they were.
    """
    if str(dtype) == "float64":
        return arrays
    fast = _tuned_kernels()
    if fast is None:
        raise ValueError(f"dtype={dtype!r} casts the network with reference.fast.cast_network, which is not here "
                         "(the student kit ships the experiments without it): use the book's float64")
    fast.cast_network(network, np.dtype(str(dtype)))
    return tuple(np.asarray(array, dtype=str(dtype)) for array in arrays)
