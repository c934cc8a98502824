"""Named checks for the chapter 6–7 utilities: im2col, col2im, conv_output_size,
shuffle_dataset, smooth_curve.

im2col is compared with a direct loop definition; col2im must be its adjoint
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
from ..diagnosis import Context
from ..gradcheck import assert_close, assert_finite
from ..registry import check

__all__ = ["check_col2im_is_adjoint_of_im2col", "check_conv_output_size", "check_im2col_book_shapes",
           "check_im2col_matches_definition", "check_shuffle_keeps_pairs", "check_smooth_curve_preserves_lines",
           "col2im_by_loops", "im2col_by_loops"]

SEED = 0
_ = translator("grading")


def im2col_by_loops(x, fh, fw, stride, pad):
    """The definition: one row per (image, out_y, out_x), columns ordered (c, ky, kx)."""
    n, c, h, w = x.shape
    out_h, out_w = (h + 2 * pad - fh) // stride + 1, (w + 2 * pad - fw) // stride + 1
    padded = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    rows = []
    for i in range(n):
        for oy in range(out_h):
            for ox in range(out_w):
                patch = padded[i, :, oy * stride:oy * stride + fh, ox * stride:ox * stride + fw]
                rows.append(patch.reshape(-1))
    return np.array(rows)


def col2im_by_loops(col, shape, fh, fw, stride, pad):
    """The adjoint of im2col_by_loops: every column entry added back where it came from."""
    n, c, h, w = shape
    out_h, out_w = (h + 2 * pad - fh) // stride + 1, (w + 2 * pad - fw) // stride + 1
    padded = np.zeros((n, c, h + 2 * pad, w + 2 * pad))
    row = 0
    for i in range(n):
        for oy in range(out_h):
            for ox in range(out_w):
                padded[i, :, oy * stride:oy * stride + fh, ox * stride:ox * stride + fw] += \
                    col[row].reshape(c, fh, fw)
                row += 1
    return padded[:, :, pad:pad + h, pad:pad + w]


def _ctx(impl, case, check, quantity=None, reference=None, **shapes):
    return Context.of(check, impl, case, quantity, reference, shapes=shapes, seed=SEED)


@check(on=IM2COL_CASES, weight=3, role="correctness")
def check_im2col_matches_definition(impl, case):
    """im2col equals the loop definition (row order n, out_y, out_x; column order c, ky, kx)."""
    shape, fh, fw, stride, pad = IM2COL_CONFIGS[case.config]
    x = np.random.default_rng(SEED).normal(size=shape)
    got = impl.get("im2col")(x, fh, fw, stride=stride, pad=pad)
    ctx = _ctx(impl, case, "check_im2col_matches_definition", f"im2col(x, {fh}, {fw}, stride={stride}, pad={pad})",
               N_("the loop definition"), x=shape)
    assert_close(got, im2col_by_loops(x, fh, fw, stride, pad), ctx, atol=0, rtol=0)


@check(on=COL2IM_CASES, weight=3, role="correctness")
def check_col2im_is_adjoint_of_im2col(impl, case):
    """⟨im2col(x), y⟩ = ⟨x, col2im(y)⟩: overlaps accumulate, padding is cropped."""
    shape, fh, fw, stride, pad = IM2COL_CONFIGS[case.config]
    rng = np.random.default_rng(SEED)
    col = rng.normal(size=im2col_by_loops(np.zeros(shape), fh, fw, stride, pad).shape)
    got = impl.get("col2im")(col, shape, fh, fw, stride=stride, pad=pad)
    ctx = _ctx(impl, case, "check_col2im_is_adjoint_of_im2col",
               f"col2im(col, {shape}, {fh}, {fw}, stride={stride}, pad={pad})",
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
    im2col = impl.get("im2col")
    rng = np.random.default_rng(SEED)
    for n, expected in ((1, (9, 75)), (10, (90, 75))):
        got = np.shape(im2col(rng.random((n, 3, 7, 7)), 5, 5, stride=1, pad=0))
        if got != expected:
            _ctx(impl, case, "check_im2col_book_shapes").fail(
                _("{call} = {got}, the book prints {expected}", call="im2col(rand({},3,7,7), 5, 5).shape".format(n),
                  got=str(got), expected=str(expected)))


@check(on=[CONV_OUTPUT_SIZE_FORMULA], weight=1, role="correctness")
def check_conv_output_size(impl, case):
    """conv_output_size(input, filter, stride, pad) = (input + 2·pad − filter) // stride + 1."""
    function = impl.get("conv_output_size")
    for args in ((28, 5, 1, 0), (7, 3, 2, 1), (14, 3, 1, 2), (6, 2, 2, 0)):
        got = function(*args)
        assert_finite(got, _ctx(impl, case, "check_conv_output_size", f"conv_output_size{args}",
                                "(input + 2·pad − filter) // stride + 1"))
        expected = (args[0] + 2 * args[3] - args[1]) // args[2] + 1
        if got != expected:
            _ctx(impl, case, "check_conv_output_size").fail(
                _("{call} = {got}, expected {expected}", call="conv_output_size" + str(args), got=str(got),
                  expected=str(expected)))


@check(on=[SHUFFLE_PAIRS], weight=1, role="correctness")
def check_shuffle_keeps_pairs(impl, case):
    """shuffle_dataset permutes x and t with one permutation (2-D and 4-D x)."""
    shuffle = impl.get("shuffle_dataset")
    impl.seed(SEED)
    for shape in ((20, 3), (20, 1, 2, 2)):
        x = np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape)
        t = np.arange(20)
        x_shuffled, t_shuffled = shuffle(x, t)
        x_shuffled, t_shuffled = np.asarray(x_shuffled), np.asarray(t_shuffled)
        assert_finite(x_shuffled, _ctx(impl, case, "check_shuffle_keeps_pairs", N_("shuffled x"),
                                       N_("a permutation of x's rows"), x=shape))
        ok = (x_shuffled.shape == x.shape and sorted(t_shuffled.tolist()) == t.tolist()
              and np.array_equal(x_shuffled, x[t_shuffled]))
        if not ok or np.array_equal(t_shuffled, t):
            _ctx(impl, case, "check_shuffle_keeps_pairs").fail(
                _("x of shape {shape}: rows and labels must move together under one permutation (and actually move)",
                  shape=str(shape)))


@check(on=[SMOOTH_CURVE_LINES], weight=1, role="correctness")
def check_smooth_curve_preserves_lines(impl, case):
    """smooth_curve keeps the length, maps a constant to itself and keeps a ramp's interior."""
    smooth = impl.get("smooth_curve")
    constant = np.full(40, 2.5)
    ramp = np.arange(40, dtype=np.float64)
    got_constant = np.asarray(smooth(constant))
    got_ramp = np.asarray(smooth(ramp))
    ctx = _ctx(impl, case, "check_smooth_curve_preserves_lines", "smooth_curve(constant)", N_("the constant"))
    assert_close(got_constant, constant, ctx, atol=1e-9, rtol=1e-9)
    ctx = _ctx(impl, case, "check_smooth_curve_preserves_lines",
               N_("smooth_curve(ramp) away from the ends"), N_("the ramp (a symmetric window keeps lines)"))
    assert_close(got_ramp[10:-10], ramp[10:-10], ctx, atol=1e-9, rtol=1e-9)
