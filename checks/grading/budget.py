"""The budget of one autograder run: wall-clock time and memory, and the limits derived from them.

Gradescope runs `run_autograder` under its assignment settings: an overall timeout
(10 minutes by default, up to 40) and a container of 768 MB of memory (more on paid
plans) with ½ of a virtual CPU. A run killed by either gives the learner 0 and no
per-test results. `make release` writes the settings into `autograder.json`
(`minutes`, `memory_mb`; `RELEASE_ARGS="--gradescope-minutes N --gradescope-memory-mb M"`),
and the autograder (checks/grading/autograder.py) fits everything inside them:

- time: the run must be over by `deadline()`, which keeps a tenth of the budget
  and `START_SECONDS` back (Python and pytest start slowly on ½ CPU, Gradescope's own
  start and stop count too); the checks stop `REPORT_SECONDS` earlier, leaving time to
  score and write the reports. One total is shared by every check; the limits of one
  call, one check and one import are derived from what is left (`limits()`), and so is
  the time the plugin lets time-outs take before it shortens every call
  (checks/grading/plugin.py).
- memory: the grader's own processes (this entry point, pytest with the checks) take
  up to `GRADER_BYTES`; the submission's whole process tree gets the rest, less a
  tenth (checks/isolation/envelope.py bounds the tree as a whole).

Measured on the 2-core machine (the slow test checks/tests/grading/test_gradescope_envelope.py
runs the built zip inside ½ CPU and 768 MB): see docs/instructors.md, "Gradescope's limits".
"""

from dataclasses import dataclass

__all__ = ["Budget", "GRADER_BYTES", "REPORT_SECONDS", "START_SECONDS"]

# The grader's own processes (the entry point with the checks library, pytest with the
# checks) peak at about 180 MB summed RSS grading the reference; this leaves room for a
# submission's large messages and results.
GRADER_BYTES = 256 << 20
START_SECONDS = 15.0
REPORT_SECONDS = 15.0
# never below these, whatever the budget: a learner's honest call or import needs them
MIN_CALL_SECONDS, MIN_CHECK_SECONDS, MIN_LOAD_SECONDS = 2.0, 10.0, 10.0
MAX_CALL_SECONDS, MAX_CHECK_SECONDS, MAX_LOAD_SECONDS = 10.0, 60.0, 30.0
MIN_CHILD_BYTES = 128 << 20


@dataclass(frozen=True)
class Budget:
    """A run's wall-clock seconds and the memory of everything it starts."""

    seconds: float = 600.0
    memory_bytes: int = 768 << 20

    @classmethod
    def from_settings(cls, minutes, memory_mb):
        return cls(seconds=float(minutes) * 60.0, memory_bytes=int(memory_mb) << 20)

    def usable_seconds(self):
        """Seconds from the start of the run to the point it must be over."""
        return self.seconds * 0.9 - START_SECONDS

    def child_memory(self):
        """Bytes the submission's whole process tree may use."""
        return max(MIN_CHILD_BYTES, int(self.memory_bytes * 0.9) - GRADER_BYTES)

    def limits(self, seconds_left):
        """grade()'s keyword arguments for a run with `seconds_left` until its deadline."""
        run = max(1.0, seconds_left - REPORT_SECONDS)

        def within(share, low, high):
            return max(low, min(high, run * share))

        return {"run_timeout": run, "call_timeout": within(1 / 50, MIN_CALL_SECONDS, MAX_CALL_SECONDS),
                "check_budget": within(1 / 10, MIN_CHECK_SECONDS, MAX_CHECK_SECONDS),
                "load_timeout": within(1 / 20, MIN_LOAD_SECONDS, MAX_LOAD_SECONDS),
                "memory_limit": self.child_memory()}

    def describe(self):
        return f"{self.seconds / 60:g} min, {self.memory_bytes >> 20} MB"
