"""Outcomes a check can end with, as exception types the grader classifies.

`CheckFailure` is an `AssertionError`, so pytest reports it as an ordinary failure;
the others tell "wrong" apart from "not attempted" and from "the implementation broke".
"""

import re

from checks.i18n import N_, translator

__all__ = [
    "CheckFailure",
    "ImplementationCrashed",
    "ImplementationError",
    "ImplementationTimeout",
    "MissingComponent",
    "NotAttempted",
]

_ = translator("grading")


class CheckFailure(AssertionError):
    """The implementation ran and gave a wrong result; the message is the diagnosis."""


class ImplementationError(Exception):
    """The implementation raised while a check called it.

    Carries only strings (type name, message, traceback text): the exception object
    itself stays in the process that ran the implementation.
    """

    def __init__(self, component, type_name, message, traceback_text=""):
        self.component = component
        self.type_name = type_name
        self.message = message
        self.traceback_text = traceback_text
        super().__init__(f"{component} raised {type_name}: {message}")

    def __str__(self):
        # rendered when shown (in the language of that moment), not when raised
        text = _("{component} raised {type_name}: {message}", component=self.component, type_name=self.type_name,
                 message=self.message)
        if self.traceback_text:
            text += "\n\n" + _("Traceback in the implementation:") + "\n" + self.traceback_text.rstrip()
        return text


class NotAttempted(ImplementationError):
    """The implementation raised NotImplementedError: a stub nobody filled in yet."""


# What the sandboxed process says about a component it cannot find (checks/isolation/child/sandboxed/
# loaders.py, book_layout.py). That process cannot import checks, so it writes English; these
# patterns let the grader say it in the learner's language. Text no pattern matches stays as it is.
_DETAILS = (
    (re.compile(r"(?P<label>.+) defines no (?P<name>[\w.]+) yet"), N_("{label} defines no {name} yet")),
    (re.compile(r"(?P<label>.+) exports no name '(?P<name>[^']+)'"), N_("{label} exports no name '{name}'")),
    (re.compile(r"the book's repository has no home for this component"),
     N_("the book's repository has no home for this component")),
    (re.compile(r"(?P<file>[\w./-]+) defines none of (?P<names>[\w, ]+)"), N_("{file} defines none of {names}")),
    (re.compile(r"(?P<label>.+?) failed to import \(its definitions only: the script's top-level work is not "
                r"run\):\n(?P<error>.*)", re.DOTALL),
     N_("{label} failed to import (its definitions only: the script's top-level work is not run):\n{error}")),
    (re.compile(r"(?P<label>.+?) failed to import:\n(?P<error>.*)", re.DOTALL), N_("{label} failed to import:\n{error}")),
    (re.compile(r"(?P<where>[^;]+?) did not finish loading earlier \(it hung or stopped the process\)"),
     N_("{where} did not finish loading earlier (it hung or stopped the process)")),
    (re.compile(r"no definition of (?P<names>[\w, ]+) was found \(the book keeps it in (?P<homes>[^;]+)\)"),
     N_("no definition of {names} was found (the book keeps it in {homes})")),
    (re.compile(r"no (?P<name>[\w.]+) written for chapter (?P<chapter>\d+), which asks more of it than chapter "
                r"(?P<earlier>\d+) \((?P<where>[^;]+), graded for its own chapter\)"),
     N_("no {name} written for chapter {chapter}, which asks more of it than chapter {earlier} ({where}, graded "
        "for its own chapter)")),
    # `what` and `listing` are the English texts of an `Extension` (checks/library/components.py): msgids too
    (re.compile(r"no (?P<name>[\w.]+) written for (?P<section>§[\d.]+) \((?P<what>.+?)\): (?P<where>.+?) is "
                r"(?P<listing>§[^;]+), graded where the book prints it"),
     N_("no {name} written for {section} ({what}): {where} is {listing}, graded where the book prints it")),
)
_TRANSLATED_PARTS = ("what", "listing")

_REASONS = re.compile(r"; (?=[\w./-]+(?:, cell \d+)? (?:defines none of|failed to import|did not finish loading)"
                      r"|no definition of )")


def _detail(text):
    """`text` (one detail, or several joined by "; ") in the learner's language where a pattern knows it."""
    parts = _REASONS.split(text)  # a book-layout component with several homes: one reason per file
    if len(parts) > 1:
        return "; ".join(_detail(part) for part in parts)
    for pattern, msgid in _DETAILS:
        match = pattern.fullmatch(text)
        if match:
            parts = {key: _(value) if key in _TRANSLATED_PARTS else value for key, value in match.groupdict().items()}
            return _(msgid, **parts)
    return text


class MissingComponent(Exception):
    """The implementation has no component of that name (or its module failed to import)."""

    def __init__(self, component, detail):
        self.component = component
        self.detail = detail
        super().__init__(f"{component} is missing from the implementation: {detail}")

    def __str__(self):
        return _("{component} is missing from the implementation: {detail}", component=self.component,
                 detail=_detail(self.detail))


class ImplementationTimeout(Exception):
    """A call into the implementation ran past its time limit; its process was killed."""


class ImplementationCrashed(Exception):
    """The process running the implementation died (exit, signal, memory limit)."""
