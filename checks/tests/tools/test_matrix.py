"""checks/tools/matrix.py (make matrix): interpreter discovery, parsing, the table, pyproject's bounds.

The matrix itself builds eight virtualenvs and is run by hand (`make matrix`); its latest
results are committed in docs/matrix.md.
"""

import os
import re
import stat

import pytest

from checks.isolation.adapters import REPO_ROOT
from checks.tools import matrix

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: pytest depends on tomli there
    import tomli as tomllib


def _fake_python(folder, name, reports):
    """An executable `name` in `folder` that prints `reports` as its version, like the probe expects."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"#!/bin/sh\necho {reports}\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_find_python_checks_the_version_each_candidate_reports(tmp_path):
    on_path = tmp_path / "bin"
    _fake_python(on_path, "python3.12", "3.11")  # a shim or link that runs another version
    pyenv = tmp_path / "pyenv"
    _fake_python(pyenv / "versions" / "3.12.1" / "bin", "python3", "3.12")
    _fake_python(pyenv / "versions" / "3.12.9" / "bin", "python3", "3.12")
    found = matrix.find_python("3.12", path=str(on_path), pyenv_root=str(pyenv))
    assert found == str(pyenv / "versions" / "3.12.9" / "bin" / "python3")  # the newest patch release
    assert matrix.find_python("3.13", path=str(on_path), pyenv_root=str(pyenv)) is None


def test_find_python_prefers_path(tmp_path):
    on_path = tmp_path / "bin"
    chosen = _fake_python(on_path, "python3.10", "3.10")
    assert matrix.find_python("3.10", path=str(on_path), pyenv_root=str(tmp_path / "none")) == str(chosen)


def test_numpy_requirements_name_both_ends():
    assert matrix.numpy_requirements("3.10") == [("oldest", "numpy==1.24.*"), ("newest", "numpy>=2,<3")]
    assert matrix.numpy_requirements("3.13")[0] == ("oldest", "numpy==2.1.*")
    with pytest.raises(ValueError, match="3.9"):
        matrix.numpy_requirements("3.9")


def test_parse_pytest_summary():
    output = "....\n= 3 failed, 640 passed, 5 skipped, 2 xfailed in 81.20s (0:01:21) =\n"
    assert matrix.parse_pytest_summary(output) == "3 failed, 640 passed, 5 skipped, 2 xfailed"
    assert matrix.parse_pytest_summary("650 passed in 60.02s\n") == "650 passed"
    assert matrix.parse_pytest_summary("ERROR: usage\n") == ""


def test_parse_grade_score():
    output = "dlfs grade — reference (package)\n\nscore: 233.5 / 234 (99.8%) in 80.1 s\n"
    assert matrix.parse_grade_score(output) == (233.5, 234.0)
    assert matrix.parse_grade_score("grading could not run: x\n") is None


def test_render_markdown_has_a_row_per_cell_and_the_notes():
    cells = [matrix.Cell("3.10", "oldest", "numpy==1.24.*", "3.10.13", "1.24.4", "passed", "650 passed",
                         "100.00% (234 / 234 pts)"),
             matrix.Cell("3.13", "newest", "numpy>=2,<3", suite="install failed", grade="install failed",
                         notes=["pip failed"])]
    text = matrix.render_markdown(cells, "2026-01-01 00:00 UTC", notes=["Python 3.12: not found"])
    rows = [line for line in text.splitlines() if line.startswith("| 3.")]
    assert rows[0] == "| 3.10.13 | 1.24.4 (oldest) | passed | 650 passed | 100.00% (234 / 234 pts) |"
    assert rows[1].startswith("| 3.13 | numpy>=2,<3 (newest) | install failed |")
    assert "- Python 3.12: not found" in text and "pip failed" in text


def test_pyproject_bounds_are_the_matrix_lower_ends():
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["requires-python"] == f">={matrix.PYTHONS[0]}"
    numpy = [d for d in project["dependencies"] if re.match(r"numpy\b", d)]
    oldest = min(matrix.OLDEST_NUMPY.values(), key=lambda v: tuple(map(int, v.split("."))))
    assert numpy == [f"numpy>={oldest}"]


def test_the_committed_matrix_covers_every_supported_python():
    text = (REPO_ROOT / "docs" / "matrix.md").read_text(encoding="utf-8")
    for python in matrix.PYTHONS:
        assert re.search(rf"^\| {re.escape(python)}(\.\d+)? \|", text, re.MULTILINE) or \
            f"Python {python}: not found" in text, f"docs/matrix.md has no row for Python {python}"
    assert os.path.basename(str(matrix.DEFAULT_OUT)) == "matrix.md"
