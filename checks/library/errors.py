"""Outcomes a check can end with, as exception types the grader classifies.

`CheckFailure` is an `AssertionError`, so pytest reports it as an ordinary failure;
the others tell "wrong" apart from "not attempted" and from "the implementation broke".
"""

from checks.i18n import translator

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


class MissingComponent(Exception):
    """The implementation has no component of that name (or its module failed to import)."""

    def __init__(self, component, detail):
        self.component = component
        self.detail = detail
        super().__init__(f"{component} is missing from the implementation: {detail}")

    def __str__(self):
        return _("{component} is missing from the implementation: {detail}", component=self.component,
                 detail=self.detail)


class ImplementationTimeout(Exception):
    """A call into the implementation ran past its time limit; its process was killed."""


class ImplementationCrashed(Exception):
    """The process running the implementation died (exit, signal, memory limit)."""
