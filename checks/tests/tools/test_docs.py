"""The tables in docs/ that the code can print are the ones it prints now."""

import pytest

from checks.tools import docs


def test_generated_tables_are_current():
    stale = docs.stale_tables()
    assert not stale, f"stale generated tables in docs/: {stale}; run `make docs` (python -m checks.tools.docs)"


def test_a_changed_table_is_reported_stale(tmp_path):
    for file in {file for file, _ in docs.GENERATED.values()}:
        (tmp_path / file).write_text((docs.DOCS / file).read_text(encoding="utf-8"), encoding="utf-8")
    target = tmp_path / docs.GENERATED["points"][0]
    target.write_text(target.read_text(encoding="utf-8").replace("| 2 Perceptrons | 5 |", "| 2 Perceptrons | 6 |"),
                      encoding="utf-8")
    assert "points" in docs.stale_tables(tmp_path)
    docs.write_tables(tmp_path)
    assert docs.stale_tables(tmp_path) == []


def test_missing_markers_are_named(tmp_path):
    (tmp_path / "grading.md").write_text("# no markers here\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no markers for the generated table 'points'"):
        docs.render("points", "# no markers here\n")


def test_the_bench_table_in_the_docs_has_a_row_per_figure_the_bench_measures():
    assert docs.stale_measured() == [], (
        "docs/performance.md's bench table is not the bench's figures; rerun make bench BENCH_ARGS=--write-docs")


def test_a_bench_table_with_a_missing_row_is_stale(tmp_path):
    text = (docs.DOCS / "performance.md").read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| SimpleConvNet training step"))
    (tmp_path / "performance.md").write_text(text.replace(row + "\n", ""), encoding="utf-8")
    assert docs.stale_measured(tmp_path) == ["bench"]


def test_the_readme_keeps_the_markers_the_bench_writes_its_speed_lines_between(tmp_path):
    (tmp_path / "README.md").write_text((docs.REPO_ROOT / "README.md").read_text(encoding="utf-8"), encoding="utf-8")
    docs.replace_measured("speed", "- DeepConvNet inference: **3.8×**\n", docs=tmp_path)
    assert "- DeepConvNet inference: **3.8×**\n<!-- END MEASURED: speed -->" in (tmp_path / "README.md").read_text(encoding="utf-8")
