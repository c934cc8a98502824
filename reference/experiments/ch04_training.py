"""Chapter 4: numerical gradients and learning with them (§4.4–4.5).

Book scripts: ch04/gradient_2d.py (the gradient field of x0² + x1²),
ch04/gradient_method.py (gradient descent from (-3, 4)) and ch04/train_neuralnet.py
(TwoLayerNet trained by SGD; in chapter 4 with ``numerical_gradient``, which the book
warns is very slow). The training loop is shared with chapter 5, which swaps in
backpropagation (``ch05_training.backprop_training``).
"""

import numpy as np

from ._common import resolve_lib
from ._mnist import mnist

__all__ = ["square_sum", "gradient_field", "gradient_descent_path", "two_layer_net_training"]


def square_sum(x):
    """The book's ``function_2``: f(x0, x1) = x0² + x1² (book §4.3.3)."""
    return np.sum(x ** 2)


def gradient_field(lib=None, start=-2.0, stop=2.5, step=0.25):
    """Numerical gradient of f(x0, x1) = x0² + x1² on a grid (book §4.4, Figure 4-9).

    gradient_2d.py plots the negative gradient as arrows on the grid
    ``np.arange(-2, 2.5, 0.25)`` in both coordinates; they point towards the minimum at
    the origin, longer further away. Deterministic.

    Args:
        lib: implementation namespace (None: reference); uses ``lib.numerical_gradient``.
        start, stop, step: the grid of each coordinate, ``np.arange(start, stop, step)``.

    Returns:
        dict with
            x0, x1: (n, n) meshgrid coordinates (n = 18 for the book's grid).
            grad0, grad1: (n, n) numerical ∂f/∂x0 and ∂f/∂x1 at each point
                (exactly 2·x0 and 2·x1 up to rounding, for this quadratic f).
    """
    lib = resolve_lib(lib)
    axis = np.arange(start, stop, step)
    x0, x1 = np.meshgrid(axis, axis)
    grad = np.empty((2,) + x0.shape)
    for idx in np.ndindex(x0.shape):
        point = np.array([x0[idx], x1[idx]], dtype=float)
        grad[(slice(None),) + idx] = lib.numerical_gradient(square_sum, point)
    return {"x0": x0, "x1": x1, "grad0": grad[0], "grad1": grad[1]}


def gradient_descent_path(lib=None, init_x=(-3.0, 4.0), lr=0.1, step_num=20):
    """Gradient descent on f(x0, x1) = x0² + x1² with its path recorded (book §4.4.1, Figure 4-10).

    gradient_method.py starts at (-3, 4) with lr = 0.1 for 20 steps; the path runs
    straight to the origin, each step multiplying x by (1 - 2·lr) = 0.8. The public
    ``gradient_descent`` returns only the end point, so the path is recorded here by
    repeating its step with ``lib.numerical_gradient``; ``lib.gradient_descent`` is
    run too, for its end point. Deterministic.

    Args:
        lib: implementation namespace (None: reference); uses ``lib.numerical_gradient``
            and ``lib.gradient_descent``.
        init_x: starting point.
        lr: learning rate.
        step_num: number of steps.

    Returns:
        dict with
            path: (step_num + 1, 2) points, the start first and the end point last.
            final: (2,) the end point returned by ``lib.gradient_descent`` with the same
                arguments (should equal ``path[-1]``).
    """
    lib = resolve_lib(lib)
    x = np.array(init_x, dtype=float)
    path = [x.copy()]
    for _ in range(step_num):
        x = x - lr * lib.numerical_gradient(square_sum, x)
        path.append(x.copy())
    final = lib.gradient_descent(square_sum, np.array(init_x, dtype=float), lr=lr, step_num=step_num)
    return {"path": np.array(path), "final": np.asarray(final, dtype=float)}


def two_layer_net_training(lib=None, seed=0, *, gradient="numerical", iterations=10000,
                           batch_size=100, learning_rate=0.1, hidden_size=50,
                           train_size=None, test_size=None, progress=None):
    """TwoLayerNet (784-hidden-10) trained by plain SGD on MNIST (book §4.5.2–3, §5.7.4).

    The loop of ch04/train_neuralnet.py and ch05/train_neuralnet.py: one-hot labels,
    ``TwoLayerNet(784, hidden_size, 10)`` (weights std 0.01), each iteration a batch
    drawn with ``np.random.choice``, the gradient, ``params[key] -= lr * grad[key]``, and
    the batch loss after the update recorded. Every epoch (``i % iter_per_epoch == 0``,
    ``iter_per_epoch = max(train_size / batch_size, 1)``, 600 for the book) the
    accuracy on the whole training set and on the test set is recorded.

    The book (10,000 iterations, batch 100, lr 0.1, hidden 50): train and test
    accuracy rise together, ≈0.94–0.95 with the numerical gradient (chapter 4, which
    takes about a minute per iteration) and ≈0.97 with backpropagation (chapter 5).

    Args:
        lib: implementation namespace (None: reference); uses ``lib.TwoLayerNet``.
        seed: seed of NumPy's global generator (weights, then batches).
        gradient: "numerical" (``network.numerical_gradient``, chapter 4) or
            "backprop" (``network.gradient``, chapter 5).
        iterations: number of SGD steps.
        batch_size: mini-batch size.
        learning_rate: SGD learning rate.
        hidden_size: hidden units (the book: 50).
        train_size: train on the first ``train_size`` training images (None: all 60,000).
        test_size: evaluate on the first ``test_size`` test images (None: all 10,000).
        progress: optional ``progress(done, total)``, called after each iteration.

    Returns:
        dict with
            train_loss: (iterations,) batch loss after each update.
            initial_loss: float, the untrained network's loss on the first batch (the
                baseline of train_loss[0]; None when iterations is 0).
            train_acc, test_acc: (n_epochs,) accuracies at the evaluated iterations.
            eval_iterations: (n_epochs,) int, the iterations (0-based) they were taken at.
    """
    if gradient not in ("numerical", "backprop"):
        raise ValueError(f"gradient must be 'numerical' or 'backprop', not {gradient!r}")
    lib = resolve_lib(lib)
    np.random.seed(seed)
    (x_train, t_train), (x_test, t_test) = mnist(normalize=True, one_hot_label=True)
    x_train, t_train = x_train[:train_size], t_train[:train_size]
    x_test, t_test = x_test[:test_size], t_test[:test_size]

    network = lib.TwoLayerNet(input_size=784, hidden_size=hidden_size, output_size=10)
    compute_gradient = network.numerical_gradient if gradient == "numerical" else network.gradient
    n_train = x_train.shape[0]
    iter_per_epoch = max(n_train / batch_size, 1)

    train_loss = np.empty(iterations)
    initial_loss = None
    train_acc, test_acc, eval_iterations = [], [], []
    for i in range(iterations):
        batch_mask = np.random.choice(n_train, batch_size)
        x_batch, t_batch = x_train[batch_mask], t_train[batch_mask]
        if initial_loss is None:
            # Not in the book's loop: the untrained network's loss on the first batch, the
            # baseline of train_loss[0] (same batch, one step later). No random draws.
            initial_loss = float(network.loss(x_batch, t_batch))
        grad = compute_gradient(x_batch, t_batch)
        for key in ("W1", "b1", "W2", "b2"):
            network.params[key] -= learning_rate * grad[key]
        train_loss[i] = network.loss(x_batch, t_batch)
        if i % iter_per_epoch == 0:
            train_acc.append(network.accuracy(x_train, t_train))
            test_acc.append(network.accuracy(x_test, t_test))
            eval_iterations.append(i)
        if progress is not None:
            progress(i + 1, iterations)
    return {
        "train_loss": train_loss,
        "initial_loss": initial_loss,
        "train_acc": np.array(train_acc, dtype=float),
        "test_acc": np.array(test_acc, dtype=float),
        "eval_iterations": np.array(eval_iterations, dtype=int),
    }
