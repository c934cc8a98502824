"""The bug corpus: realistic wrong implementations, one small module each.

Every module defines `REPLACES` (component name -> wrong version, usually a
subclass of the reference overriding one method), `COMPONENT` (what is broken),
`MISTAKE` (one line: what is wrong and where learners make it) and, when the
variant is behaviourally identical to the reference, `EQUIVALENT` (why).
`--impl=mutant:NAME` runs the checks against the reference with that swap.

Variants must use only the public API of what they replace (constructor arguments,
the book's attribute names, `super()` calls) and keep any state of their own under
their own attribute names, so that a change inside the reference cannot break them.
`python -m checks.tools.mutants` (`make mutants`) grades the whole corpus through
`checks.grading.grade` and writes docs/mutants.md (see `_runner.py`) and the
misconception signatures grading recognises mistakes by
(checks/grading/misconception_signatures.py, see `_signatures.py`).
"""

from pathlib import Path

__all__ = ["MUTANTS_DIR", "mutant_names"]

MUTANTS_DIR = Path(__file__).resolve().parent


def mutant_names():
    return sorted(p.stem for p in MUTANTS_DIR.glob("*.py") if not p.stem.startswith("_"))
