"""The one error of the intake: what was named, and why it cannot be graded."""

__all__ = ["IntakeError"]


class IntakeError(ValueError):
    """`thing` (an IMPL value, a file, a zip entry) cannot be graded, because of `reason`.

    `str()` is "thing: reason"; `for_option("--impl")` is "--impl=thing: reason", for the
    command lines that took it as an option.
    """

    def __init__(self, thing, reason):
        super().__init__(f"{thing}: {reason}")
        self.thing, self.reason = str(thing), str(reason)

    def for_option(self, option):
        return f"{option}={self.thing}: {self.reason}"
