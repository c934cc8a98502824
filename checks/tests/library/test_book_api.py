"""The whole book's API is at stake: every public function and method of the book's code
(../shared/book-code) is exercised by some check, or declared not at stake with its reason
(checks/library/book_api.py).

Measured, not declared: the suite runs in-process on a copy of the book's code while a
tracer records which of its functions are called.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from checks.library.book_api import NOT_AT_STAKE, public_api

REPO = Path(__file__).resolve().parents[3]
BOOK = REPO.parent / "shared" / "book-code"


def test_public_api_lists_top_level_functions_and_methods(tmp_path):
    (tmp_path / "common").mkdir()
    (tmp_path / "common" / "layers.py").write_text(
        "def relu(x):\n    def inner(): pass\n    return x\n\ndef _private(x):\n    return x\n\n"
        "class Affine:\n    def __init__(self, W):\n        self.W = W\n    def forward(self, x):\n        return x\n"
        "    def __forward(self, x):\n        return x\n", encoding="utf-8")
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "x.py").write_text("def skipped(): pass\n", encoding="utf-8")
    assert public_api(tmp_path) == ["common/layers.py:Affine.forward", "common/layers.py:relu"]


@pytest.mark.skipif(not BOOK.is_dir(), reason="../shared/book-code is not beside the checkout")
def test_every_public_function_of_the_book_is_checked_or_declared_not_at_stake(tmp_path):
    copy = tmp_path / "book"
    shutil.copytree(BOOK, copy, ignore=shutil.ignore_patterns("notebooks", "*.pkl", "*.gz"))
    out = tmp_path / "called.json"
    env = {**os.environ, "DLFS_TRACE_ROOT": str(copy), "DLFS_TRACE_OUT": str(out), "OPENBLAS_NUM_THREADS": "1"}
    run = subprocess.run([sys.executable, "-m", "pytest", "checks/suite/test_components.py", f"--impl=book:{copy}",
                          "-p", "checks.tests.library.book_api_tracer", "-p", "no:cacheprovider", "-p", "no:xdist",
                          "-q", "--no-header"], cwd=REPO, env=env, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    called = set(json.loads(out.read_text(encoding="utf-8")))
    api = public_api(copy)
    unchecked = [item for item in api if item not in called and item not in NOT_AT_STAKE]
    assert not unchecked, ("public functions of the book's code that no check calls and that are not declared "
                           f"not at stake (checks/library/book_api.py): {unchecked}")
    stale = sorted(item for item in NOT_AT_STAKE if item in called or item not in api)
    assert not stale, f"declared not at stake but called by a check, or no longer in the book's code: {stale}"
