"""Known mistakes recognised in a submission's failures, from the bug corpus's signatures.

Each variant of the bug corpus (checks/tools/mutants/) is a realistic mistake; `make
mutants` grades every one and writes, into misconception_signatures.py, its *signature*:
which checks of its component it fails, and how — each failing check's outcome, its
detail, the exception's type when it raised, and the hint its diagnosis gave (by the
hint's msgid, so a run in Japanese matches a signature recorded in English).

A submission *shows* a known mistake in a component when the failures it owns there
(not those blamed on a failing prerequisite, not the property checks withheld by the
credit rule) are exactly a signature's, check for check, down to the values a wrong
check got: the checks' inputs are seeded, so the same mistake gets the same numbers,
and two mistakes failing the same checks the same way (MSE averaged or without its ½)
are told apart by them. Failures of one component caused by another's mistake (a check
composing both) differ in their values from that component's own mistakes and are not
taken for one. A component failing in any other way is *unexplained*, counted as such:
never forced onto the nearest label. A component not attempted (still a stub) shows
nothing. Should two signatures ever be identical, both are named.

`misconceptions(records)` gives, per component, the matched mistakes and the
unexplained components; results.json carries them in `extra_data["misconceptions"]`
and `extra_data["unexplained"]`, the learner's summary names them (`summary_lines`),
and the class report counts them across the class.
"""

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache

from ..i18n import language, translator
from ..i18n.catalogs import translations

__all__ = ["Signature", "error_type", "failures_by_component", "hint_msgid", "misconceptions", "recognised",
           "signatures", "summary_lines"]

_ = translator("grading")
# outcomes a component owns as failures; "gated" (the credit rule's) is left out: it follows
# from the failures of the component's correctness checks, not from a mistake of its own
_FAILING = ("wrong", "error", "not_attempted")
_ERROR_TYPE = re.compile(r"\b([A-Z][A-Za-z0-9_]*(?:Error|Exception|Warning|Exit|Interrupt))\b")
# a number standing alone in ASCII terms: a particle of another script may follow it ("1개", "1e-12인"),
# and so may a full stop ending the sentence ("표준편차 0.05886."), but not a section's next digit ("§5.5.1")
_NUMBER = re.compile(r"(?<![A-Za-z0-9_.])(?:[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|nan|inf)"
                     r"(?![A-Za-z0-9_]|\.[A-Za-z0-9_])")
_PLACEHOLDER = re.compile(r"\\\{\w+\\\}")


@dataclass(frozen=True)
class Signature:
    """One known mistake: the corpus variant `name` of `component`, the book's `section`, the
    `mistake` in English (a msgid: `_(mistake)` is the learner's language) and `failing`: the
    frozenset of (check name, outcome, detail, exception type, hint msgid, digest of the values
    got) it fails."""

    name: str
    component: str
    section: str
    mistake: str
    failing: frozenset


def _text(value):
    return str(getattr(value, "value", value) or "")


def _field(record, name, default=""):
    return record.get(name, default) if isinstance(record, dict) else getattr(record, name, default)


@lru_cache(maxsize=None)
def _hint_pattern(msgid, lang):
    """A regex finding the hint `msgid` in a message rendered in `lang`, placeholders matching any text."""
    template = translations("grading", lang).gettext(msgid) if lang != "en" else msgid
    return re.compile(_PLACEHOLDER.sub(".+?", re.escape(template)))


def _hint_line(message, lang):
    prefix = (translations("grading", lang).gettext("hint: {hint}") if lang != "en" else "hint: {hint}")
    head = prefix.split("{hint}")[0].strip()
    for line in message.splitlines():
        if line.strip().startswith(head):
            return line.strip()[len(head):].strip()
    return None


def hint_msgid(message, known, lang=None):
    """The msgid among `known` of the hint in `message` ("" when it gives none, "?" when it gives
    one that is not known)."""
    lang = lang or language()
    line = _hint_line(message, lang)
    if line is None:
        return ""
    for msgid in sorted(known, key=len, reverse=True):
        if _hint_pattern(msgid, lang).fullmatch(line):
            return msgid
    return "?"


# Numbers are read to 3 significant digits, and those below _NOISE in magnitude as 0: what a
# gradient's central difference gives for an element that does not move the loss is rounding
# noise, which differs between machines and BLAS libraries: the digest must not depend on it.
_DIGITS = ".3g"
_NOISE = 1e-7


def _number(token):
    value = float(token)
    return "0" if abs(value) < _NOISE else format(value, _DIGITS)


@lru_cache(maxsize=None)
def _worded_numbers(lang):
    """[(text, text without its numbers)] for the grading catalog's wording in ``lang`` that holds a
    number: the parts of its messages between placeholders (``{shape}``) that hold more than
    numbers, longest first. Such a number is the wording's, never a value a check got, and a translation
    spells it its own way ("zeros" is "すべて 0", "one permutation" "1 つの置換", "a second" "2 回目")."""
    from ..i18n.catalogs import load_catalog

    # English has no catalog of its own: its wording is the msgids, which every catalog holds.
    catalog = load_catalog("grading", "ja" if lang == "en" else lang)
    if catalog is None:
        return ()
    found = set()
    for message in catalog:
        if not message.id or isinstance(message.id, tuple):
            continue
        text = message.id if lang == "en" else message.string
        for part in re.split(r"\{[^{}]*\}", text or ""):
            if _NUMBER.search(part) and _NUMBER.sub("", part).strip():
                found.add((part, _NUMBER.sub("", part)))
    return tuple(sorted(found, key=lambda pair: -len(pair[0])))


def value_digest(message, lang=None):
    """A digest of the numbers a wrong check's message shows — the values it got — past its first
    line (which names the implementation), to 3 significant digits, rounding noise read as 0.
    Sorted, so that a language putting "4 of 6" as "6 … 4" gives the same digest: two
    implementations making the same mistake get the same numbers from the checks' seeded
    inputs, in any language and on any machine. The hint line is left out: it is matched by its
    msgid (`hint_msgid`), and a translation may spell its numbers differently (ja's Relu hint
    says "0" three times where the English says it twice). So are the numbers of the messages'
    own wording (`_worded_numbers`), for the same reason."""
    lang = lang or language()
    hint = _hint_line(message or "", lang)
    lines = [line for line in (message or "").splitlines()[1:] if hint is None or not line.strip().endswith(hint)]
    text = "\n".join(lines)
    for worded, without_numbers in _worded_numbers(lang):
        text = text.replace(worded, without_numbers)
    numbers = []
    for token in _NUMBER.findall(text):
        try:
            numbers.append(_number(token))
        except ValueError:
            continue
    return hashlib.sha256(" ".join(sorted(numbers)).encode()).hexdigest()[:12]


def error_type(message):
    """The exception type named first in an erroring check's message ("" when none is)."""
    found = _ERROR_TYPE.search(message or "")
    return found.group(1) if found else ""


def failures_by_component(records, known_hints=(), lang=None):
    """{component: frozenset of (check name, outcome, detail, exception type, hint msgid, value
    digest)}: the
    failures each component owns, for components that are written (not all not attempted).

    `records`: the graded records (objects or their to_json dicts); `known_hints`: the hint
    msgids to recognise (others read "?").
    """
    by_component, attempted = {}, set()
    for record in records:
        component, outcome = _field(record, "component"), _text(_field(record, "outcome"))
        detail = _text(_field(record, "detail"))
        if outcome not in ("not_attempted",):
            attempted.add(component)
        if outcome not in _FAILING or detail == "gated" or _field(record, "blocked_by", ()):
            continue
        message = _field(record, "message") or ""
        wrong = outcome == "wrong"
        failure = (_field(record, "name"), outcome, detail, error_type(message) if outcome == "error" else "",
                   hint_msgid(message, known_hints, lang) if wrong else "", value_digest(message, lang) if wrong else "")
        by_component.setdefault(component, set()).add(failure)
    return {component: frozenset(failures) for component, failures in by_component.items()
            if component in attempted}


@lru_cache(maxsize=None)
def signatures():
    """Every Signature of the corpus (misconception_signatures.py, written by `make mutants`)."""
    from .misconception_signatures import SIGNATURES

    return tuple(Signature(name, component, section, mistake, frozenset(tuple(failure) for failure in failing))
                 for name, component, section, mistake, failing in SIGNATURES)


@lru_cache(maxsize=None)
def _known_hints():
    return frozenset(failure[4] for signature in signatures() for failure in signature.failing
                     if failure[4] not in ("", "?"))


def misconceptions(records, lang=None):
    """(matched, unexplained): matched is [{"component", "labels": [variant names], "mistakes":
    [English texts], "section"}] per component showing a known mistake, in the records' order;
    unexplained the components failing in a way no signature describes."""
    failures = failures_by_component(records, _known_hints(), lang)
    by_key = {}
    for signature in signatures():
        by_key.setdefault((signature.component, signature.failing), []).append(signature)
    matched, unexplained = [], []
    for component, failing in failures.items():
        found = by_key.get((component, failing))
        if not found:
            unexplained.append(component)
            continue
        matched.append({"component": component, "labels": [s.name for s in found],
                        "mistakes": [s.mistake for s in found], "section": found[0].section})
    return matched, unexplained


def recognised(records):
    """`misconceptions(records)`, or ([], []) when they cannot be told: naming a mistake is a
    courtesy that must never cost a report."""
    try:
        return misconceptions(records)
    except Exception:
        return [], []


def summary_lines(matched):
    """The learner's lines naming each likely mistake, in their language ([] when none)."""
    lines = []
    for entry in matched:
        mistakes = _(" or ").join(_(mistake) for mistake in entry["mistakes"])
        lines.append(_("likely mistake in {component} (book {section}): {mistake}", component=entry["component"],
                       section=entry["section"], mistake=mistakes))
    return lines
