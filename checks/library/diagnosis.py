"""Failure messages a learner can act on.

A diagnosis names the check, the component and its configuration, the
implementation, shapes, seed, step and tolerances; counts the mismatching
elements; lists the first few with both values side by side; gives the largest
absolute and relative differences; and adds one hint when the error has a known
signature (see `hints.py`).

Non-finite values (NaN, ±inf) get a diagnosis of their own (`describe_nonfinite`):
how many there are on each side, the first few with both values, and what they
mean — for a numerical gradient, that the forward pass was not finite near x[i].
"""

import contextlib
import contextvars
from dataclasses import dataclass, field

import numpy as np

from checks.i18n import N_, ljust, rjust, translator

from .errors import CheckFailure
from .hints import find_hint

_ = translator("grading")

__all__ = ["Context", "describe_mismatch", "describe_nonfinite", "fmt_shape", "running_check"]

SHOWN = 5

# The check running now: set by the registry around every registered check (`registry.check`),
# so a check never types its own name (`Context.of` reads it here).
_RUNNING = contextvars.ContextVar("dlfs_running_check", default=None)


@contextlib.contextmanager
def running_check(name):
    """While the block runs, `Context.of` names the check `name`."""
    token = _RUNNING.set(name)
    try:
        yield
    finally:
        _RUNNING.reset(token)


def fmt_shape(shape):
    return "(" + ", ".join(str(n) for n in shape) + ("," if len(shape) == 1 else "") + ")"


@dataclass
class Context:
    """What a check is about: filled by the check, printed on failure.

    Every failure message of a check is built here, by `fail` (or, for a numeric
    comparison, by `assert_close` through `describe_mismatch`): the same header
    (check, component and configuration, implementation, what was compared, the
    setting), then the check's own text, then at most one hint.
    """

    check: str
    component: str  # the case id, e.g. "Affine(2d)"
    impl: str
    quantity: str | None = None  # e.g. "dx from backward(dout)"; None: nothing compared elementwise
    reference: str | None = None  # e.g. "central differences of sum(forward(x)·dout)"
    shapes: dict = field(default_factory=dict)
    seed: int | None = None
    step: float | None = None
    extra: dict = field(default_factory=dict)  # arrays a component-specific hint may use

    @classmethod
    def of(cls, impl, case, quantity=None, reference=None, **fields):
        """The context of the running check on `case` against `impl` (the registry names the check)."""
        check = _RUNNING.get()
        if check is None:
            raise RuntimeError("Context.of is for a registered check while it runs (checks/library/registry.py); "
                               "elsewhere build Context(check=..., ...) directly")
        return cls(check=check, component=case.id, impl=impl.label, quantity=quantity, reference=reference,
                   **fields)

    def header(self):
        lines = [_("{check} failed for {component} [impl: {impl}]", check=self.check, component=self.component,
                   impl=self.impl)]
        if self.quantity is not None:
            lines.append("  " + _("compared: {quantity}  vs  {reference}", quantity=_(self.quantity),
                                  reference=_(self.reference or "")))
        setting = ", ".join(f"{name} {fmt_shape(shape)}" for name, shape in self.shapes.items())
        if self.seed is not None:
            setting += (", " if setting else "") + _("seed {seed}", seed=self.seed)
        if self.step is not None:
            setting += f", h={self.step:g}"
        if setting:
            lines.append("  " + _("setting: {setting}", setting=setting))
        return "\n".join(lines)

    def message(self, text="", hint=None):
        """The failure message: the header, `text` (one or more lines, indented), the hint."""
        lines = [self.header()]
        lines += [f"  {line}" if line else line for line in text.splitlines()]
        if hint:
            lines.append("  " + _("hint: {hint}", hint=_(hint)))
        return "\n".join(lines)

    def fail(self, text="", hint=None):
        """Raise the check's failure: `CheckFailure` with `message(text, hint)`."""
        raise CheckFailure(self.message(text, hint))

    def fail_shape(self, got, expected):
        """Fail because `quantity` has shape `got` instead of `expected`, with the hint its signature gives."""
        got, expected = tuple(got), tuple(expected)
        hint = None
        if len(got) == 2 and got == tuple(reversed(expected)):
            hint = N_("the shape is transposed (for dW: x.T @ dout, not dout.T @ x)")
        elif int(np.prod(got)) == int(np.prod(expected)):
            hint = N_("same number of elements in another shape — reshape the result to "
                      "the input's original shape (book §5.6.2: dx.reshape(*original_x_shape))")
        elif len(got) == len(expected) - 1 or (len(got) == 1 and len(expected) == 1):
            hint = N_("summed over the wrong axis? (for db: sum over the batch, axis=0)")
        self.fail(_("{quantity} has shape {got}, expected {expected}", quantity=_(self.quantity),
                    got=fmt_shape(got), expected=fmt_shape(expected)), hint)


def describe_mismatch(analytic, expected, bad, compared, context, atol, rtol, hint_sources=()):
    # a scalar (a loss, an accuracy, a book value) is listed as one element at index (0,)
    analytic, expected, bad, compared = (np.atleast_1d(a) for a in (analytic, expected, bad, compared))
    diff = np.abs(analytic - expected)
    # relative differences only where |expected| is above the absolute tolerance: dividing by an
    # expected 0 would print 1e+300 instead of something a reader can use
    meaningful = compared & (np.abs(expected) > max(atol, 1e-12))
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = np.where(meaningful, diff / np.where(meaningful, np.abs(expected), 1.0), 0.0)
    diff = np.where(compared, diff, 0.0)
    lines = [_("tolerance: |got − expected| ≤ {atol} + {rtol}·|expected|", atol=format(atol, "g"),
               rtol=format(rtol, "g")),
             _("mismatches: {count} of {total} compared elements", count=int(bad.sum()), total=int(compared.sum())),
             "  " + ljust(_("index"), 16) + rjust(_("got"), 16) + rjust(_("expected"), 16) + rjust(_("abs diff"), 12)]
    for index in list(zip(*np.nonzero(bad)))[:SHOWN]:
        index = tuple(int(i) for i in index)
        lines.append(f"  {str(index):<16}{analytic[index]:>16.8g}{expected[index]:>16.8g}{diff[index]:>12.3g}")
    worst = np.unravel_index(int(np.argmax(diff)), diff.shape) if diff.size else ()
    relative = (_("max rel diff {value} (where |expected| > {floor})", value=format(float(np.max(rel)), ".3g"),
                  floor=format(max(atol, 1e-12), "g"))
                if meaningful.any() else _("no relative diff (every expected value is ≈ 0)"))
    lines.append(_("max abs diff {value} at {index}; {relative}",
                   value=format(float(np.max(diff)) if diff.size else 0.0, ".3g"),
                   index=str(tuple(int(i) for i in worst)), relative=relative))
    hint = find_hint(analytic, expected, compared, context, hint_sources)
    return context.message("\n".join(lines), hint)


def _value(number):
    """A float as a reader expects it: nan, inf and -inf spelled out."""
    number = float(number)
    if np.isnan(number):
        return "nan"
    if np.isinf(number):
        return "inf" if number > 0 else "-inf"
    return f"{number:.8g}"


def _kinds(values):
    nan, positive, negative = int(np.isnan(values).sum()), int(np.isposinf(values).sum()), int(np.isneginf(values).sum())
    parts = [f"{count} {name}" for count, name in ((nan, "NaN"), (positive, "+inf"), (negative, "-inf")) if count]
    return ", ".join(parts)


def describe_nonfinite(analytic, expected, nonfinite, compared, context, hint_sources=()):
    """The diagnosis when some compared element is NaN or ±inf on either side.

    Shapes: analytic, expected, nonfinite and compared all have one shape (scalars
    are treated as shape (1,)). A non-finite expected value of a numerical gradient
    (`context.step` set) comes from the implementation's own forward pass, evaluated
    at x ± h in one element: that is what the message says.
    """
    any_finite = expected is None  # only finiteness was required (`assert_finite`)
    if any_finite:
        expected = np.zeros(np.shape(analytic))
    analytic, expected, nonfinite, compared = (np.atleast_1d(a) for a in (analytic, expected, nonfinite, compared))
    bad_got = compared & ~np.isfinite(analytic)
    bad_expected = compared & ~np.isfinite(expected)
    first = [tuple(int(i) for i in index) for index in list(zip(*np.nonzero(nonfinite)))[:SHOWN]]
    lines = [_("not finite: {count} of {total} compared elements hold NaN or inf "
               "(never accepted: a NaN compares unequal to everything and must not pass a check)",
               count=int(nonfinite.sum()), total=int(compared.sum()))]
    if bad_got.any():
        lines.append(_("{quantity} is not finite at {count} element(s) ({kinds})", quantity=_(context.quantity),
                       count=int(bad_got.sum()), kinds=_kinds(analytic[bad_got])))
    if bad_expected.any():
        if context.step is not None:
            where = context.extra.get("perturbed", "x")
            index = next(i for i in first if bad_expected[i])
            lines.append(_("the numerical gradient is not finite at {count} element(s) ({kinds}): forward is not "
                           "finite near {where} (the forward pass gave NaN or inf at {name} ± h in that element; "
                           "it must be finite wherever the check evaluates it)",
                           count=int(bad_expected.sum()), kinds=_kinds(expected[bad_expected]),
                           where=where + "[" + _index(index) + "]", name=where))
        else:
            lines.append(_("the expected value ({reference}) is not finite at {count} element(s) ({kinds}): it comes "
                           "from the implementation's own results, which must be finite",
                           reference=_(context.reference or ""), count=int(bad_expected.sum()),
                           kinds=_kinds(expected[bad_expected])))
    lines.append("  " + ljust(_("index"), 16) + rjust(_("got"), 16) + rjust(_("expected"), 16))
    for index in first:
        shown = _("any finite") if any_finite else _value(expected[index])
        lines.append(f"  {str(index):<16}{_value(analytic[index]):>16}" + rjust(shown, 16))
    hint = None
    for rule in hint_sources:
        try:
            hint = rule(analytic, expected, compared, context)
        except Exception:  # a hint is a courtesy: one confused by NaN must not hide the diagnosis
            hint = None
        if hint:
            break
    return context.message("\n".join(lines), hint)


def _index(index):
    return ", ".join(str(i) for i in index)
