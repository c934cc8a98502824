"""How many points each check is worth: chapter totals and one table of weights by check kind.

Each chapter has a fixed total (the whole book is 100 points); every check kind
has a weight (WEIGHTS). A chapter's total is spread over the checks of that
chapter that are at stake, in proportion to their weights:

    points(check) = chapter total × weight(check kind) / Σ weights of the chapter's checks at stake

So adding a configuration (a case) to a chapter moves points between its checks
but never changes the chapter's total. What the weights say:

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

What is not at stake earns nothing and is out of the maximum: declared deviations
(`checks/library/deviations.py`, e.g. the book's sigmoid overflow warning in a book-layout
folder). Their points go to the other checks of the chapter, so every kind of
submission is graded out of 100. (`numerical_diff`, `gradient_descent` and `predict` are
at stake in a book-layout folder too: they are graded from the chapter scripts the book
keeps them in.)

Credit rule. The *property* checks (PROPERTY_CHECKS: shapes, keeps its input,
repeatable, linear in dout, zero dout, batch = per sample, restores x, integer
dtype, updates in place) also hold for a placeholder such as `return np.zeros_like(dout)`
or an optimizer whose update does nothing. They earn
their points only when at least one other check of the same component passes in
the same run; otherwise they are reported as wrong with that explanation.
"""

from dataclasses import dataclass
from fractions import Fraction

__all__ = ["CHAPTERS", "DEFAULT_WEIGHT", "PROPERTY_CHECKS", "WEIGHTS", "Chapter", "TOTAL", "points_for", "weight_of"]


# Weight of each check kind, the same in every chapter (see the docstring for the scale).
WEIGHTS = {
    "check_gradient_matches_numerical": 6,
    "check_backward_gradient_dx": 4,
    "check_backward_gradient_params": 4,
    "check_batchnorm_running_statistics": 3,
    "check_col2im_is_adjoint_of_im2col": 3,
    "check_dropout_test_time_scaling": 3,
    "check_im2col_matches_definition": 3,
    "check_numerical_gradient_any_shape": 3,
    "check_own_numerical_gradient_agrees": 3,
    "check_three_layer_predict": 3,
    "check_book_value": 2,
    "check_buy_apple_graph": 2,
    "check_cross_entropy_labels_equal_one_hot": 2,
    "check_defaults_build_and_predict": 2,
    "check_elementwise_formula": 2,
    "check_gradient_descent_book_path": 2,
    "check_initial_weight_statistics": 2,
    "check_loss_is_cross_entropy_of_predict": 2,
    "check_param_keys_and_shapes": 2,
    "check_softmax_each_row": 2,
    "check_update_sequence_matches_closed_form": 2,
    "check_accuracy_matches_predict": 1,
    "check_backward_linear_in_dout": 1,
    "check_backward_repeatable": 1,
    "check_batch_equals_per_sample": 1,
    "check_conv_output_size": 1,
    "check_forward_keeps_input": 1,
    "check_im2col_book_shapes": 1,
    "check_keeps_input": 1,
    "check_numerical_gradient_restores_x": 1,
    "check_output_and_gradient_shapes": 1,
    "check_pooling_ties_conserve_gradient": 1,
    "check_relu_at_zero": 1,
    "check_relu_grad_at_zero": 1,
    "check_shuffle_keeps_pairs": 1,
    "check_sigmoid_no_overflow_warning": 1,
    "check_single_update_matches_closed_form": 1,
    "check_smooth_curve_preserves_lines": 1,
    "check_softmax_overflow_safe": 1,
    "check_softmax_rows_far_apart": 1,
    "check_step_function_at_zero": 1,
    "check_step_function_returns_integers": 1,
    "check_truth_table": 1,
    "check_update_in_place": 1,
    "check_zero_dout_gives_zero_gradients": 1,
}


@dataclass(frozen=True)
class Chapter:
    title: str
    total: int


CHAPTERS = {
    2: Chapter("Perceptrons", 5),
    3: Chapter("Neural networks", 10),
    4: Chapter("Neural network learning", 15),
    5: Chapter("Backpropagation", 20),
    6: Chapter("Training techniques", 20),
    7: Chapter("Convolutional neural networks", 20),
    8: Chapter("Deep learning", 10),
}

TOTAL = sum(chapter.total for chapter in CHAPTERS.values())

# A check missing from WEIGHTS (a new check the table has not caught up with) weighs
# this much; checks/test_grading_points.py fails until the table has it.
DEFAULT_WEIGHT = 1

PROPERTY_CHECKS = frozenset({
    "check_output_and_gradient_shapes",
    "check_backward_linear_in_dout",
    "check_zero_dout_gives_zero_gradients",
    "check_batch_equals_per_sample",
    "check_forward_keeps_input",
    "check_backward_repeatable",
    "check_keeps_input",
    "check_numerical_gradient_restores_x",
    "check_step_function_returns_integers",
    "check_update_in_place",
})


def weight_of(chapter, check_name):
    if chapter not in CHAPTERS:
        return 0
    return WEIGHTS.get(check_name, DEFAULT_WEIGHT)


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
