"""What a claim's judge returns: the measured numbers and the criteria, each threshold written once.

A criterion that compares a measured number with a threshold is built from ``Bound``s
(``Verdict.bound`` for one, ``Verdict.require`` for several under one title): the
threshold is given once, as a number, and the criterion's text (with the measured
value, in the learner's language), its rule (the threshold alone), whether it holds,
and the signed distance to the threshold (``Bound.margin``, what the bands over seeds
and ``compare`` read) are all derived from it. Criteria without a number to compare
(a shape, an ordering) use ``Verdict.check``.

Every criterion has an ``id``: its title or its single bound's label in English
(placeholders filled in), the same in every language. results.json, the committed bands
(checks/reproduce/claims/bands.json) and ``compare`` key criteria by it.
"""

import math
from dataclasses import dataclass, field

from .texts import _

__all__ = ["Bound", "Criterion", "Verdict", "LN10", "english", "threshold_text"]

LN10 = math.log(10)  # loss of a network whose output is uniform over the 10 classes

# How each comparison is printed; "==" pins an exact value, "in" takes (low, high).
_SYMBOLS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "==": "=", "in": "∈"}


def english(text):
    """``text`` (an ``N_`` text or a plain string) in English, its placeholders filled in."""
    return str(text)  # an N_ text reads as its English rendering


def _number(x):
    return f"{x:g}" if isinstance(x, float) else str(x)


def threshold_text(op, threshold):
    """"≥ 0.96", "∈ [0.005, 0.02]": a comparison and its threshold as printed (results.json's op and threshold)."""
    if op == "in":
        return f"∈ [{_number(threshold[0])}, {_number(threshold[1])}]"
    return f"{_SYMBOLS[op]} {_number(threshold)}"


@dataclass(frozen=True)
class Bound:
    """One comparison: a measured value against its threshold.

    Attributes:
        label: what the value is (an ``N_`` text: translated where rendered).
        value: the measured number.
        op: ">=", "<=", ">", "<", "==" (an exact value) or "in" (``threshold`` = (low, high)).
        threshold: the number the value is compared with (given once, here).
        spec: format of the measured value in the text (e.g. ".4f", ".2g", "d").
    """

    label: str
    value: float
    op: str
    threshold: object
    spec: str = ".4g"

    def __post_init__(self):
        if self.op not in _SYMBOLS:
            raise ValueError(f"Bound {english(self.label)!r}: op {self.op!r}, expected one of {', '.join(_SYMBOLS)}")
        if self.op == "in" and not (isinstance(self.threshold, tuple) and len(self.threshold) == 2):
            raise ValueError(f"Bound {english(self.label)!r}: op 'in' needs (low, high), got {self.threshold!r}")

    def holds(self, value=None):
        """Whether ``value`` (default: the measured one) satisfies the bound; NaN never does."""
        x = self.value if value is None else value
        if isinstance(x, float) and math.isnan(x):
            return False
        t = self.threshold
        return {">=": lambda: x >= t, "<=": lambda: x <= t, ">": lambda: x > t, "<": lambda: x < t,
                "==": lambda: x == t, "in": lambda: t[0] <= x <= t[1]}[self.op]()

    def margin(self, value=None):
        """Signed distance of ``value`` to the threshold: positive on the passing side (``in``: to the nearer end).

        None for an exact value ("=="), which has no side to be on.
        """
        x = float(self.value if value is None else value)
        t = self.threshold
        if self.op in (">=", ">"):
            return x - t
        if self.op in ("<=", "<"):
            return t - x
        if self.op == "in":
            return min(x - t[0], t[1] - x)
        return None

    def _threshold_text(self):
        if self.op == "in":
            return f"[{_number(self.threshold[0])}, {_number(self.threshold[1])}]"
        return _number(self.threshold)

    def _value_text(self):
        try:
            return format(self.value, self.spec)
        except (TypeError, ValueError):  # e.g. "d" given a float NaN
            return str(self.value)

    def text(self):
        """"label = value ≥ threshold", in the current language."""
        if self.op == "==":
            return _("{label} = {value} (expected {expected})", label=_(self.label), value=self._value_text(),
                     expected=self._threshold_text())
        return f"{_(self.label)} = {self._value_text()} {_SYMBOLS[self.op]} {self._threshold_text()}"

    def rule(self, translate=True):
        """"label ≥ threshold", without the measured value (``translate=False``: in English)."""
        label = _(self.label) if translate else english(self.label)
        return f"{label} {_SYMBOLS[self.op]} {self._threshold_text()}"

    def record(self):
        """What results.json keeps of the bound: English label, value, comparison and threshold."""
        threshold = list(self.threshold) if self.op == "in" else self.threshold
        return {"label": english(self.label), "value": self.value, "op": self.op, "threshold": threshold}


@dataclass(frozen=True)
class Criterion:
    """One condition of a verdict.

    Attributes:
        id: the criterion in English (its title or its bound's label): the key of results.json,
            the bands file and ``compare``.
        text: the condition with its measured value(s) and threshold(s), in the current language.
        ok: whether it holds.
        rule: the thresholds alone, without measured numbers.
        bounds: the comparisons it is made of (empty for a condition without a number).
        hint: what a failure usually points at, for a learner (shown by the tests on failure).
    """

    id: str
    text: str
    ok: bool
    rule: str = ""
    bounds: tuple = ()
    hint: str = ""

    @property
    def values(self):
        """{English label: measured value} of its bounds (None when it has none)."""
        return {english(b.label): float(b.value) for b in self.bounds} or None


@dataclass
class Verdict:
    """What was measured and whether it matches the book.

    Attributes:
        measured: name → number (or list of numbers), recorded in results.json.
        criteria: the conditions checked; the verdict passes when all hold.
        summary: short measured text for the summary table.
    """

    measured: dict
    criteria: list = field(default_factory=list)
    summary: str = ""

    @property
    def passed(self):
        return all(c.ok for c in self.criteria)

    def check(self, ok, text, *, hint=""):
        """Record a criterion without a number to compare (``text`` already rendered); returns ``ok``."""
        self.criteria.append(Criterion(english(text), str(text), bool(ok), str(text), (), hint))
        return bool(ok)

    def bound(self, label, value, op, threshold, *, spec=".4g", note=None, hint=""):
        """Record the criterion ``label op threshold`` on the measured ``value``; returns whether it holds.

        ``note`` (an ``N_`` text) is appended in parentheses: what the book shows, say.
        """
        bound = Bound(label, _plain(value), op, threshold, spec)
        return self._add(english(label), (bound,), bound.text(), bound.rule(), note, hint)

    def require(self, title, *bounds, note=None, hint=""):
        """Record one criterion made of several ``Bound``s under ``title`` (an ``N_`` text); holds when all do."""
        bounds = tuple(Bound(b.label, _plain(b.value), b.op, b.threshold, b.spec) for b in bounds)
        text = _("{title}: {comparisons}", title=_(title), comparisons=", ".join(b.text() for b in bounds))
        rule = _("{title}: {comparisons}", title=_(title), comparisons=", ".join(b.rule() for b in bounds))
        return self._add(english(title), bounds, text, rule, note, hint)

    def _add(self, identity, bounds, text, rule, note, hint):
        ok = all(b.holds() for b in bounds)
        if note is not None:
            text = _("{text} ({note})", text=text, note=_(note))
        self.criteria.append(Criterion(identity, text, ok, rule, bounds, hint))
        return ok

    def failures(self):
        return [c for c in self.criteria if not c.ok]


def _plain(value):
    """A NumPy scalar as a Python number (results.json, pickling); anything else as it is."""
    item = getattr(value, "item", None)
    return item() if callable(item) and getattr(value, "ndim", 1) == 0 else value
