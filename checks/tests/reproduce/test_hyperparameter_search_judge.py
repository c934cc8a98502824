"""ch06_hyperparameter_search's judge (checks/reproduce/claims/ch06.py, book §6.5.3).

The book draws each trial's ``lr = 10 ** uniform(-6, -2)``. At the book's 100 trials both
sides of the good region are always drawn, so a search over the wrong range (weight decay's
exponents, -8 to -4, given to lr) fails; the quick tier's 4 trials miss a side by chance, and its
criteria about a side apply only where that side was drawn.
"""

import numpy as np

from checks.reproduce.claims.ch06 import judge_hyperparameter_search
from checks.reproduce.model import Options

QUICK, BOOK = Options(quick=True), Options()


def _search(lr, val_acc):
    lr = np.asarray(lr, dtype=float)
    return {"search": {"lr": lr, "weight_decay": np.full(lr.size, 1e-6),
                       "val_acc": np.repeat(np.asarray(val_acc, dtype=float)[:, None], 3, axis=1)}}


def _failed(verdict):
    return [criterion.text for criterion in verdict.failures()]


def test_a_book_size_search_over_the_wrong_range_fails_for_the_missing_side():
    rng = np.random.default_rng(0)
    lr = 10 ** rng.uniform(-8, -4, 100)  # the two ranges swapped: no lr near the good region
    verdict = judge_hyperparameter_search(_search(lr, np.full(100, 0.1)), BOOK)
    assert any(text.startswith("trials drawn on both sides") for text in _failed(verdict)), _failed(verdict)


def test_a_book_size_search_on_the_books_scale_passes():
    rng = np.random.default_rng(0)
    lr = 10 ** rng.uniform(-6, -2, 100)
    val = np.where(lr >= 4e-3, 0.8, np.where(lr <= 3e-4, 0.12, 0.3))
    verdict = judge_hyperparameter_search(_search(lr, val), BOOK)
    assert verdict.passed, _failed(verdict)


def test_quick_trials_missing_the_small_side_by_chance_still_pass():
    # 4 trials, one good lr, none ≤ 3e-4 (about 2 % of seeds): the small-lr criterion does not apply
    verdict = judge_hyperparameter_search(_search([5e-3, 1e-3, 6e-4, 2e-3], [0.5, 0.3, 0.2, 0.3]), QUICK)
    assert verdict.passed, _failed(verdict)


def test_quick_trials_fail_when_a_good_lr_does_not_learn_or_a_small_one_does():
    assert not judge_hyperparameter_search(_search([5e-3, 1e-5, 6e-4, 2e-3], [0.1, 0.1, 0.2, 0.3]), QUICK).passed
    assert not judge_hyperparameter_search(_search([5e-3, 1e-5, 6e-4, 2e-3], [0.5, 0.6, 0.2, 0.3]), QUICK).passed
