"""`python -m checks.grading.submission copy SOURCE TARGET`: the copy step of the bash
`checks/grading/run_autograder`, kept until Gradescope's one Python entry point replaces that
script (it calls `checks.isolation.intake.resolve_submission`, which copies and resolves).

The copy itself is `checks.isolation.intake.submission.copy_submission`.
"""

import sys

from ..isolation.intake import IntakeError
from ..isolation.intake.submission import copy_submission

__all__ = ["main"]


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 3 or argv[0] != "copy":
        print("usage: python -m checks.grading.submission copy SOURCE TARGET", file=sys.stderr)
        return 2
    try:
        skipped = copy_submission(argv[1], argv[2])
    except (OSError, IntakeError) as error:
        print(f"cannot copy the submission: {error}", file=sys.stderr)
        return 2
    for path, reason in skipped:
        print(f"left out of the graded copy: {path} ({reason})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
