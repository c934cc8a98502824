"""How many points each check is worth: chapter totals, and each check's weight from its declaration.

Each chapter has a fixed total (the whole book is 100 points); every check declares
its weight beside it (`@check(weight=...)` in `checks/library/named/`). A chapter's
total is spread over the checks of that chapter that are at stake, in proportion to
their weights:

    points(check) = chapter total × weight(check) / Σ weights of the chapter's checks at stake

So adding a configuration (a case) to a chapter moves points between its checks
but never changes the chapter's total. The weight scale:

- **6** a whole network's backprop gradient against central differences;
- **4** a layer's gradient check (dx, and dW/db/dγ/dβ) — the heart of chapters 5–8;
- **3** checks against a definition that takes real work (im2col/col2im, dropout's
  test-time scaling, batch-norm running statistics, a network's own numerical
  gradient, the 3-layer predict, numerical_gradient on any shape);
- **2** the book's printed values, closed forms, a multi-step optimizer run, a
  network's loss, parameter shapes and initial weights;
- **1** edge cases and hygiene: overflow, ties, kinks, dtype, not mutating inputs,
  shapes, linearity in dout, repeatability, a single optimizer step (the sequence
  check covers it).

What is not at stake earns nothing and is out of the maximum: deviations declared
with their checks (e.g. the book's sigmoid overflow warning in a book-layout folder)
and, for book-layout folders, any component the book's repository has no file for
(see `checks/grading/deviations.py`; `numerical_diff`, `gradient_descent` and `predict`
are graded from the chapter scripts the book keeps them in). Their points go to the
other checks of the chapter, so every kind of submission is graded out of 100.

Credit rule. The checks declared with `role="property"` (shapes, keeps its input,
repeatable, linear in dout, zero dout, batch = per sample, restores x, integer
dtype, updates in place) also hold for a placeholder such as `return np.zeros_like(dout)`
or an optimizer whose update does nothing. They earn their points only when at least
one `role="correctness"` check of the same component passes in the same run;
otherwise they are reported as wrong with that explanation (`scoring._apply_credit_rule`).
A `role="forward"` check (a layer's forward against the book's definition) earns its
points on its own and is not such a correctness check.
"""

from dataclasses import dataclass
from fractions import Fraction

from ..i18n import N_
from ..library import catalog

__all__ = ["CHAPTERS", "Chapter", "TOTAL", "points_for", "weight_of"]


@dataclass(frozen=True)
class Chapter:
    title: str
    total: int


CHAPTERS = {
    2: Chapter(N_("Perceptrons"), 5),
    3: Chapter(N_("Neural networks"), 10),
    4: Chapter(N_("Neural network learning"), 15),
    5: Chapter(N_("Backpropagation"), 20),
    6: Chapter(N_("Training techniques"), 20),
    7: Chapter(N_("Convolutional neural networks"), 20),
    8: Chapter(N_("Deep learning"), 10),
}

TOTAL = sum(chapter.total for chapter in CHAPTERS.values())


def weight_of(chapter, check_name):
    """The declared weight of a check (0 outside the graded chapters)."""
    if chapter not in CHAPTERS:
        return 0
    return catalog.weight_of(check_name)


def points_for(entries):
    """Exact points of each entry, as Fractions.

    `entries` is an iterable of (key, chapter, check_name, at_stake) for *every*
    check of the suite (not only those run: selecting a subset must not change what
    a check is worth). Checks not at stake get 0.
    """
    entries = list(entries)
    weights = {}
    for _, chapter, check_name, at_stake in entries:
        if at_stake:
            weights[chapter] = weights.get(chapter, 0) + weight_of(chapter, check_name)
    points = {}
    for key, chapter, check_name, at_stake in entries:
        if not at_stake or not weights.get(chapter):
            points[key] = Fraction(0)
        else:
            points[key] = Fraction(CHAPTERS[chapter].total) * weight_of(chapter, check_name) / weights[chapter]
    return points
