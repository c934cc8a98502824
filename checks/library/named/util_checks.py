"""Named checks for the chapter 6–7 utilities: im2col, col2im, conv_output_size,
shuffle_dataset, smooth_curve.

im2col is compared with a direct loop definition (`checks/library/definitions.py`); col2im must be its adjoint
(⟨im2col(x), y⟩ = ⟨x, col2im(y)⟩), which catches a col2im that assigns instead of
accumulating or averages overlaps (configurations in `cases/utils.py`).
"""

import numpy as np

from checks.i18n import N_, translator

from ..cases.utils import (
    COL2IM_CASES,
    CONV_OUTPUT_SIZE_FORMULA,
    IM2COL_BOOK_SHAPES,
    IM2COL_CASES,
    IM2COL_CONFIGS,
    SHUFFLE_PAIRS,
    SMOOTH_CURVE_LINES,
)
from ..calls import book_call, get
from ..definitions import col2im_by_loops, im2col_by_loops
from ..diagnosis import Context
from ..gradcheck import assert_close, assert_finite
from ..registry import check

__all__ = ["check_col2im_is_adjoint_of_im2col", "check_conv_output_size", "check_im2col_book_shapes",
           "check_im2col_matches_definition", "check_shuffle_keeps_pairs", "check_smooth_curve_preserves_lines"]

SEED = 0
_ = translator("grading")


def _ctx(impl, case, quantity=None, reference=None, **shapes):
    return Context.of(impl, case, quantity, reference, shapes=shapes, seed=SEED)


@check(on=IM2COL_CASES, weight=3, role="correctness")
def check_im2col_matches_definition(impl, case):
    """im2col equals the loop definition (row order n, out_y, out_x; column order c, ky, kx)."""
    shape, fh, fw, stride, pad = IM2COL_CONFIGS[case.config]
    x = np.random.default_rng(SEED).normal(size=shape)
    got = book_call(get(impl, case), case.component, "__call__", x, fh, fw, stride=stride, pad=pad)
    ctx = _ctx(impl, case, f"im2col(x, {fh}, {fw}, stride={stride}, pad={pad})",
               N_("the loop definition"), x=shape)
    assert_close(got, im2col_by_loops(x, fh, fw, stride, pad), ctx, atol=0, rtol=0)


@check(on=COL2IM_CASES, weight=3, role="correctness")
def check_col2im_is_adjoint_of_im2col(impl, case):
    """⟨im2col(x), y⟩ = ⟨x, col2im(y)⟩: overlaps accumulate, padding is cropped."""
    shape, fh, fw, stride, pad = IM2COL_CONFIGS[case.config]
    rng = np.random.default_rng(SEED)
    col = rng.normal(size=im2col_by_loops(np.zeros(shape), fh, fw, stride, pad).shape)
    got = book_call(get(impl, case), case.component, "__call__", col, shape, fh, fw, stride=stride, pad=pad)
    ctx = _ctx(impl, case, f"col2im(col, {shape}, {fh}, {fw}, stride={stride}, pad={pad})",
               N_("the adjoint of im2col (overlapping windows add up)"), col=col.shape)
    expected = col2im_by_loops(col, shape, fh, fw, stride, pad)
    overlap_counts = col2im_by_loops(np.ones_like(col), shape, fh, fw, stride, pad)

    def overlaps_hint(analytic, expected, compared, context):
        assigned = (np.abs(analytic) <= np.abs(expected) + 1e-9) & (overlap_counts > 1)
        if np.allclose(analytic * overlap_counts, expected, atol=1e-9):
            return N_("overlaps are averaged; col2im must add them (it is the adjoint, not an inverse)")
        if assigned.any():
            return N_("where windows overlap the values must accumulate (+=), not be assigned (=)")
        return None

    assert_close(got, expected, ctx, atol=1e-12, rtol=1e-12, hint_sources=(overlaps_hint,))


@check(on=[IM2COL_BOOK_SHAPES], weight=1, role="correctness")
def check_im2col_book_shapes(impl, case):
    """im2col(rand(1,3,7,7), 5, 5) is (9, 75) and for 10 images (90, 75), as the book prints (§7.4.3)."""
    im2col = get(impl, case)
    rng = np.random.default_rng(SEED)
    for n, expected in ((1, (9, 75)), (10, (90, 75))):
        got = np.shape(book_call(im2col, case.component, "__call__", rng.random((n, 3, 7, 7)), 5, 5, stride=1, pad=0))
        if got != expected:
            _ctx(impl, case).fail(
                _("{call} = {got}, the book prints {expected}", call="im2col(rand({},3,7,7), 5, 5).shape".format(n),
                  got=str(got), expected=str(expected)))


@check(on=[CONV_OUTPUT_SIZE_FORMULA], weight=1, role="correctness")
def check_conv_output_size(impl, case):
    """conv_output_size(input, filter, stride, pad) = (input + 2·pad − filter) // stride + 1."""
    function = get(impl, case)
    for args in ((28, 5, 1, 0), (7, 3, 2, 1), (14, 3, 1, 2), (6, 2, 2, 0)):
        got = function(*args)
        assert_finite(got, _ctx(impl, case, f"conv_output_size{args}",
                                "(input + 2·pad − filter) // stride + 1"))
        expected = (args[0] + 2 * args[3] - args[1]) // args[2] + 1
        if got != expected:
            _ctx(impl, case).fail(
                _("{call} = {got}, expected {expected}", call="conv_output_size" + str(args), got=str(got),
                  expected=str(expected)))


@check(on=[SHUFFLE_PAIRS], weight=1, role="correctness")
def check_shuffle_keeps_pairs(impl, case):
    """shuffle_dataset permutes x and t with one permutation (2-D and 4-D x)."""
    shuffle = get(impl, case)
    impl.seed(SEED)
    for shape in ((20, 3), (20, 1, 2, 2)):
        x = np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape)
        t = np.arange(20)
        x_shuffled, t_shuffled = shuffle(x, t)
        x_shuffled, t_shuffled = np.asarray(x_shuffled), np.asarray(t_shuffled)
        assert_finite(x_shuffled, _ctx(impl, case, N_("shuffled x"),
                                       N_("a permutation of x's rows"), x=shape))
        ok = (x_shuffled.shape == x.shape and sorted(t_shuffled.tolist()) == t.tolist()
              and np.array_equal(x_shuffled, x[t_shuffled]))
        if not ok or np.array_equal(t_shuffled, t):
            _ctx(impl, case).fail(
                _("x of shape {shape}: rows and labels must move together under one permutation (and actually move)",
                  shape=str(shape)))


@check(on=[SMOOTH_CURVE_LINES], weight=1, role="correctness")
def check_smooth_curve_preserves_lines(impl, case):
    """smooth_curve keeps the length, maps a constant to itself and keeps a ramp's interior."""
    smooth = get(impl, case)
    constant = np.full(40, 2.5)
    ramp = np.arange(40, dtype=np.float64)
    got_constant = np.asarray(smooth(constant))
    got_ramp = np.asarray(smooth(ramp))
    ctx = _ctx(impl, case, "smooth_curve(constant)", N_("the constant"))
    assert_close(got_constant, constant, ctx, atol=1e-9, rtol=1e-9)
    ctx = _ctx(impl, case, N_("smooth_curve(ramp) away from the ends"), N_("the ramp (a symmetric window keeps lines)"))
    assert_close(got_ramp[10:-10], ramp[10:-10], ctx, atol=1e-9, rtol=1e-9)
