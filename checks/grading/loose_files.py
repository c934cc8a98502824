"""`python -m checks.grading.loose_files SUBMISSION --stubs DIR --into DIR`: the first step of the
release's bash `run_autograder`, kept until Gradescope's one Python entry point replaces that
script (it calls `checks.isolation.intake.resolve_submission`).

Prints the folder to grade: SUBMISSION itself when it needs no files written, else the
package its loose `.py` files were placed into, or what its `.zip` unpacked to (both under
--into); exit status 1, with the reason, when it holds nothing to grade. The placement
is `checks.isolation.intake.loose_files`; the resolution `checks.isolation.intake.resolve`.
"""

import argparse
import sys

from ..isolation.intake import Form, IntakeError, resolve

__all__ = ["main"]


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m checks.grading.loose_files", description=__doc__.splitlines()[0])
    parser.add_argument("submission", help="the submitted folder")
    parser.add_argument("--stubs", required=True, help="the exercises/ package of the student kit")
    parser.add_argument("--into", required=True, help="where loose files are placed and zips unpacked")
    args = parser.parse_args(argv)
    try:
        spec = resolve(args.submission, args.into, stubs=args.stubs)
    except (IntakeError, OSError) as error:
        print(f"loose files: {error}", file=sys.stderr)
        return 1
    for note in spec.notes:
        print(f"loose files: {note}", file=sys.stderr)
    written = spec.form in (Form.ZIP, Form.LOOSE_FILES, Form.PYTHON_FILE)
    print(spec.path if written else args.submission)
    return 0


if __name__ == "__main__":
    sys.exit(main())
