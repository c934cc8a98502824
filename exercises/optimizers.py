# Generated from reference/optimizers.py by `make exercises`. Your exercise: replace each
# `raise NotImplementedError(...)` below with your own code; `make exercises` never overwrites your edits.
"""Parameter update rules: SGD, Momentum, Nesterov, AdaGrad, RMSprop and Adam (chapter 6).

Every optimizer has ``update(params, grads)``, which updates each array of the dict
``params`` in place (``params[key] -= ...``) from the array of the same key in
``grads``. In place matters: a network's layers hold the very arrays of its
``params`` dict, so rebinding ``params[key]`` to a new array would leave the layers
training nothing. State (velocities, squared-gradient sums, moments) is created on
the first ``update``, shaped like each parameter, and kept per key (book §6.1).
"""

import numpy as np
from ._messages import not_implemented

__all__ = ["SGD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam"]

# Added to square roots in denominators so that a parameter whose gradients have all
# been zero so far is not divided by zero (book §6.1.5).
_EPSILON = 1e-7


def _zeros_like_each(params):
    return {key: np.zeros_like(value) for key, value in params.items()}


class SGD:
    """Stochastic gradient descent, W ← W - lr·∂L/∂W (book §6.1.2)."""

    def __init__(self, lr=0.01):
        """Keep the learning rate (book §6.1.2).

        Args:
            lr: learning rate.
        """
        raise NotImplementedError(not_implemented("SGD.__init__", "§6.1.2", "exercises/optimizers.py"))

    def update(self, params, grads):
        """One SGD step on every parameter, in place (book §6.1.2).

        Args:
            params: dict name -> array, updated in place.
            grads: dict name -> array shaped like params[name].
        """
        raise NotImplementedError(not_implemented("SGD.update", "§6.1.2", "exercises/optimizers.py"))


class Momentum:
    """Momentum SGD, v ← momentum·v - lr·∂L/∂W, W ← W + v (book §6.1.4)."""

    def __init__(self, lr=0.01, momentum=0.9):
        """Keep the hyperparameters; the velocities are created on the first update (book §6.1.4).

        Args:
            lr: learning rate.
            momentum: fraction of the velocity kept from one step to the next.
        """
        raise NotImplementedError(not_implemented("Momentum.__init__", "§6.1.4", "exercises/optimizers.py"))

    def update(self, params, grads):
        """One momentum step on every parameter, in place (book §6.1.4).

        Args:
            params: dict name -> array, updated in place.
            grads: dict name -> array shaped like params[name].
        """
        raise NotImplementedError(not_implemented("Momentum.update", "§6.1.4", "exercises/optimizers.py"))


class Nesterov:
    """Nesterov's accelerated gradient, the look-ahead variant of Momentum in the book's code (book §6.1.4).

    Nesterov's method evaluates the gradient at the look-ahead point θ + μ·v:
    ``v' = μ·v - lr·∇L(θ + μ·v)``, ``θ' = θ + v'``. Storing φ = θ + μ·v in ``params``
    instead of θ (Bengio et al. 2012, arXiv:1212.0901) makes the gradient the network
    computes at its own parameters, g = ∇L(φ), the one needed:

        φ' = θ' + μ·v' = φ - μ·v + (1 + μ)·v'
           = φ + μ²·v - (1 + μ)·lr·g          (v' = μ·v - lr·g substituted)
        v' = μ·v - lr·g

    The parameter step uses the velocity from *before* this step's update. This is
    the order of the current common/optimizer.py; older copies of the book's code
    updated v first and then applied μ²·v', which amounts to
    φ + μ³·v - (1 + μ + μ²)·lr·g, a different (over-shooting) rule.
    """

    def __init__(self, lr=0.01, momentum=0.9):
        """Keep the hyperparameters; the velocities are created on the first update (book §6.1.4).

        Args:
            lr: learning rate.
            momentum: fraction μ of the velocity kept from one step to the next.
        """
        raise NotImplementedError(not_implemented("Nesterov.__init__", "§6.1.4", "exercises/optimizers.py"))

    def update(self, params, grads):
        """One Nesterov step on every parameter, in place (book §6.1.4).

        Args:
            params: dict name -> array (the look-ahead point φ), updated in place.
            grads: dict name -> array shaped like params[name], the gradient at φ.
        """
        raise NotImplementedError(not_implemented("Nesterov.update", "§6.1.4", "exercises/optimizers.py"))


class AdaGrad:
    """AdaGrad, h ← h + g², W ← W - lr·g / (√h + 1e-7) (book §6.1.5)."""

    def __init__(self, lr=0.01):
        """Keep the learning rate; the squared-gradient sums are created on the first update (book §6.1.5).

        Args:
            lr: learning rate.
        """
        raise NotImplementedError(not_implemented("AdaGrad.__init__", "§6.1.5", "exercises/optimizers.py"))

    def update(self, params, grads):
        """One AdaGrad step on every parameter, in place (book §6.1.5).

        Args:
            params: dict name -> array, updated in place.
            grads: dict name -> array shaped like params[name].
        """
        raise NotImplementedError(not_implemented("AdaGrad.update", "§6.1.5", "exercises/optimizers.py"))


class RMSprop:
    """RMSprop, h ← ρ·h + (1 - ρ)·g², W ← W - lr·g / (√h + 1e-7) (book §6.1.5).

    Unlike AdaGrad's sum, the moving average forgets old gradients, so the step
    size does not shrink to zero over a long training.
    """

    def __init__(self, lr=0.01, decay_rate=0.99):
        """Keep the hyperparameters; the moving averages are created on the first update (book §6.1.5).

        Args:
            lr: learning rate.
            decay_rate: ρ, the fraction of h kept from one step to the next.
        """
        raise NotImplementedError(not_implemented("RMSprop.__init__", "§6.1.5", "exercises/optimizers.py"))

    def update(self, params, grads):
        """One RMSprop step on every parameter, in place (book §6.1.5).

        Args:
            params: dict name -> array, updated in place.
            grads: dict name -> array shaped like params[name].
        """
        raise NotImplementedError(not_implemented("RMSprop.update", "§6.1.5", "exercises/optimizers.py"))


class Adam:
    """Adam with bias correction, in the form of the book's code (book §6.1.6).

    With t the number of updates so far (counting this one):
    m ← m + (1 - β1)·(g - m), v ← v + (1 - β2)·(g² - v) (the usual moving averages),
    lr_t = lr·√(1 - β2^t) / (1 - β1^t), W ← W - lr_t·m / (√v + 1e-7).
    lr_t folds the bias corrections m/(1 - β1^t) and v/(1 - β2^t) into the step size;
    the only difference from the paper is where 1e-7 sits relative to the correction.
    """

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        """Keep the hyperparameters; the moments are created on the first update (book §6.1.6).

        Args:
            lr: learning rate.
            beta1: decay rate of the first moment m.
            beta2: decay rate of the second moment v.
        """
        raise NotImplementedError(not_implemented("Adam.__init__", "§6.1.6", "exercises/optimizers.py"))

    def update(self, params, grads):
        """One Adam step on every parameter, in place (book §6.1.6).

        Args:
            params: dict name -> array, updated in place.
            grads: dict name -> array shaped like params[name].
        """
        raise NotImplementedError(not_implemented("Adam.update", "§6.1.6", "exercises/optimizers.py"))
