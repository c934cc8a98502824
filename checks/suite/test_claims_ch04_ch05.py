"""Regressions of chapters 4 and 5: gradients and TwoLayerNet training (book §4.4–4.5, §5.7).

Fast tests use short budgets; ``slow`` tests run the book's sizes (make reproduce's
maintainers tier). Stochastic thresholds were measured with the reference
implementation over several seeds; each assertion states the measured range.
"""

import numpy as np
import pytest

from reference.experiments import (
    backprop_training,
    gradient_check_two_layer_net,
    gradient_descent_path,
    gradient_field,
    two_layer_net_training,
)


def test_gradient_field_is_twice_x(lib):
    # Deterministic: the central difference is exact for a quadratic up to rounding.
    data = gradient_field(lib)
    err = max(np.max(np.abs(data["grad0"] - 2 * data["x0"])), np.max(np.abs(data["grad1"] - 2 * data["x1"])))
    assert data["x0"].shape == (18, 18) and err < 1e-6, (
        f"ch04 gradient_field (gradient_2d.py, grid np.arange(-2, 2.5, 0.25)): numerical_gradient of "
        f"x0² + x1² is off from (2·x0, 2·x1) by up to {err:.3g} on a grid of shape {data['x0'].shape}; "
        f"the book's arrows are exactly -2x (Figure 4-9).")


def test_gradient_descent_path_shrinks_by_0_8_each_step(lib):
    # Deterministic: each step of lr 0.1 on x0² + x1² multiplies x by 1 - 2·0.1 = 0.8.
    data = gradient_descent_path(lib)
    expected = np.array([0.8 ** k * np.array([-3.0, 4.0]) for k in range(21)])
    err = np.max(np.abs(data["path"] - expected))
    assert err < 1e-8, (
        f"ch04 gradient_descent_path (gradient_method.py: from (-3, 4), lr 0.1, 20 steps): the path "
        f"departs from 0.8^k·(-3, 4) by {err:.3g}; end point {data['path'][-1]} instead of {expected[-1]}.")
    assert np.allclose(data["final"], data["path"][-1], rtol=0, atol=1e-12), (
        f"ch04: gradient_descent(f, (-3, 4), lr=0.1, step_num=20) returned {data['final']}, but 20 steps of "
        f"x -= lr·numerical_gradient(f, x) end at {data['path'][-1]} (the book's Figure 4-10 path).")


def test_numerical_gradient_training_lowers_the_loss_like_backprop(lib):
    # Budget: 784-5-10 (not 784-50-10), batches of 10, 3 iterations (≈2 s; the book's net
    # takes about a minute per numerical iteration).
    # The first step's effect is measured on its own batch: initial_loss is the untrained
    # network's loss on the first batch, train_loss[0] the loss on that batch after one step.
    # Source: `python -m checks.tools.margins numerical_gradient_training --seeds 0-9` (checks/tools/margins.py); re-checked
    # over seeds 0–4 on 2026-11-23, every value inside the ranges below.
    # Measured over seeds 0–9 (2026-11-23): drop ∈ [0.0043, 0.0184] (seed 0: 0.0142); a zero
    # gradient gives exactly 0, a wrong sign a rise. Asserting drop > 0.001.
    kwargs = dict(iterations=3, hidden_size=5, batch_size=10, test_size=1000)
    numerical = two_layer_net_training(lib, seed=0, gradient="numerical", **kwargs)
    drop = numerical["initial_loss"] - numerical["train_loss"][0]
    assert drop > 0.001, (
        f"ch04 two_layer_net_training (numerical gradient, seed 0, 784-5-10, batch 10, lr 0.1): one step lowers "
        f"the first batch's loss from {numerical['initial_loss']:.5f} to {numerical['train_loss'][0]:.5f} "
        f"(drop {drop:.5f}); the reference drops it by 0.0043–0.0184 over seeds 0–9. The book's loss curve "
        f"falls from ln 10 ≈ 2.30 from the first steps: check numerical_gradient's sign and that it restores x.")
    # Same seed, same batches, backprop gradients: the two gradients agree to ~1e-7, so the
    # trajectories coincide. Measured over seeds 0–9 (2026-11-23): max loss difference ≤ 1.9e-8,
    # except 1.1e-5 for seed 4 (a hidden unit within h = 1e-4 of ReLU's kink). Gradients 1.5×
    # too large (measured) move the losses by 7e-3. Asserting < 1e-4.
    backprop = two_layer_net_training(lib, seed=0, gradient="backprop", **kwargs)
    gap = np.max(np.abs(numerical["train_loss"] - backprop["train_loss"]))
    assert gap < 1e-4, (
        f"ch04/ch05: the same training (seed 0, 784-5-10, batch 10, 3 iterations) with numerical_gradient "
        f"and with backprop gradient gives losses {numerical['train_loss']} vs {backprop['train_loss']} "
        f"(max gap {gap:.3g}); they should coincide (book §5.7.3: the two gradients agree).")


def test_backprop_training_one_epoch(lib):
    # Budget: 601 iterations (one epoch of 600 + the evaluation at iteration 600), full
    # train and test sets, ≈2 s. The book's run (10,000 iterations) ends at ≈0.97 test
    # accuracy; after its first epoch its curve is at ≈0.90.
    # Source: `python -m checks.tools.margins backprop_one_epoch --seeds 0-9` (checks/tools/margins.py); re-checked
    # over seeds 0–4 on 2026-11-23, every value inside the ranges below.
    # Measured over seeds 0–9 (2026-11-23) at iteration 600: test ∈ [0.9066, 0.9117],
    # train ∈ [0.9012, 0.9062], |train − test| ≤ 0.0054; at iteration 0 ≤ 0.184.
    # Asserting test ≥ 0.89, train ≥ 0.89, |gap| ≤ 0.02, start ≤ 0.3.
    data = backprop_training(lib, seed=0, iterations=601)
    train, test = data["train_acc"], data["test_acc"]
    where = (f"ch05 backprop_training (seed 0, 784-50-10, SGD lr 0.1, batch 100, 601 iterations): "
             f"train acc {np.round(train, 4)}, test acc {np.round(test, 4)} at iterations {data['eval_iterations']}")
    assert list(data["eval_iterations"]) == [0, 600], f"{where}: expected evaluations at iterations 0 and 600."
    assert test[0] <= 0.3, f"{where}: the untrained network should be near chance (≤ 0.3)."
    assert test[-1] >= 0.89 and train[-1] >= 0.89, (
        f"{where}: after one epoch the reference reaches 0.907–0.912 test accuracy over seeds 0–9 "
        f"(the book's curve ≈0.90, rising to ≈0.97 after 10,000 iterations).")
    assert abs(train[-1] - test[-1]) <= 0.02, (
        f"{where}: train and test accuracy should rise together (book Figure 4-12: no overfitting); "
        f"the reference's gap is ≤ 0.0054.")


def _assert_gradients_agree(result, where):
    # Source: `python -m checks.tools.margins gradient_check_mnist --seeds 0-4` (checks/tools/margins.py); re-checked
    # over seeds 0–4 on 2026-11-23, every value inside the ranges below.
    # Measured with the reference (seeds 0–4, 2026-11-23): max |diff| / max |grad| ≈ 1.0e-6 for
    # every parameter (the central difference with h = 1e-4 and the 1e-7 inside
    # cross_entropy_error's log set that floor); mean |diff| ≤ 1.4e-7. Wrong backward passes
    # (batch size not divided, Relu mask not applied) give ratios ≥ 1e-1.
    # Asserting ratio ≤ 1e-4 and mean |diff| ≤ 1e-6 (the book's "≈1e-6…1e-13").
    for key, stats in result.items():
        ratio = stats["max_abs_diff"] / stats["max_abs_grad"]
        assert ratio <= 1e-4 and stats["mean_abs_diff"] <= 1e-6, (
            f"{where}: {key}: max |backprop − numerical| = {stats['max_abs_diff']:.3g} against max |grad| = "
            f"{stats['max_abs_grad']:.3g} (ratio {ratio:.3g}), mean |diff| = {stats['mean_abs_diff']:.3g}; "
            f"the reference has ratio ≈1e-6 and the book prints mean differences ≈1e-10…1e-13. "
            f"Per-parameter results: {result}")


def test_gradient_check_on_mnist_images(lib):
    # Budget: 784-10-10 on the first 3 training images in float64 (≈1 s; the book's
    # 784-50-10 takes ≈9 s and runs in the slow test below).
    result = gradient_check_two_layer_net(lib, seed=0, n_images=3, hidden_size=10)
    _assert_gradients_agree(result, "ch05 gradient_check_two_layer_net (seed 0, 784-10-10, 3 MNIST images, float64)")


@pytest.mark.slow
def test_gradient_check_book_size(lib):
    result = gradient_check_two_layer_net(lib, seed=0, n_images=3, hidden_size=50)
    _assert_gradients_agree(result, "ch05 gradient_check_two_layer_net (seed 0, 784-50-10, 3 MNIST images, float64)")


@pytest.mark.slow
def test_backprop_training_book_size(lib):
    # The book: 10,000 iterations, 17 evaluations, test ≈0.97, train ≈ test.
    # Measured (seed 0, 2026-11-23): final train 0.9786, test 0.9699.
    # Asserting final test ≥ 0.96, |train − test| ≤ 0.02, and both curves rising overall.
    data = backprop_training(lib, seed=0)
    train, test = data["train_acc"], data["test_acc"]
    where = (f"ch05 backprop_training (seed 0, book size: 10,000 iterations): train acc {np.round(train, 4)}, "
             f"test acc {np.round(test, 4)}")
    assert len(test) == 17, f"{where}: the book evaluates 17 times (every 600 iterations)."
    assert test[-1] >= 0.96, f"{where}: the book ends at ≈0.97 test accuracy."
    assert abs(train[-1] - test[-1]) <= 0.02, f"{where}: the book shows train ≈ test (no overfitting)."
    assert test[-1] > test[1] > test[0], f"{where}: test accuracy should rise."


@pytest.mark.slow
def test_numerical_gradient_training_book_network(lib):
    # The book's chapter 4 run (784-50-10, batch 100, lr 0.1) takes about a minute per
    # iteration, a week for its 10,000. Its claim (≈0.94–0.95, rising like the backprop
    # run) follows from the numerical and backprop trajectories coinciding: checked here
    # on the book's network for 2 iterations, with the first step lowering its batch's loss.
    kwargs = dict(iterations=2, hidden_size=50, batch_size=100, test_size=1000)
    numerical = two_layer_net_training(lib, seed=0, gradient="numerical", **kwargs)
    backprop = two_layer_net_training(lib, seed=0, gradient="backprop", **kwargs)
    gap = np.max(np.abs(numerical["train_loss"] - backprop["train_loss"]))
    drop = numerical["initial_loss"] - numerical["train_loss"][0]
    assert gap < 1e-4 and drop > 0.001, (
        f"ch04 two_layer_net_training, book network 784-50-10, batch 100, seed 0, 2 iterations: numerical losses "
        f"{numerical['train_loss']} (first batch before the step: {numerical['initial_loss']:.5f}), backprop "
        f"losses {backprop['train_loss']} (gap {gap:.3g}); they should coincide, and the step lower the loss.")
