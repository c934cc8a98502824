"""`python -m checks.tools.mutants`: grade the bug corpus and write docs/mutants.md (see _runner.py)."""

import sys

from ._runner import main

sys.exit(main())
