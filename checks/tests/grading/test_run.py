"""Grading whole implementations: reference, the shipped exercises, a half-done copy, the CLI."""

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from fractions import Fraction

import pytest

from checks.tests.fixtures.grading import restore_from_reference, shipped_exercises
from checks.library.catalog import all_checks
from checks.library.registry import chapter_of
from checks.grading import GradingError, grade
from checks.grading.__main__ import main as grading_main
from checks.grading.points import CHAPTERS, weight_of
from checks.isolation.adapters import REPO_ROOT

def test_reference_scores_100_percent_with_reports(tmp_path):
    result = grade("reference", out_dir=tmp_path / "out", workers=1)
    failing = [(r.name, r.message.splitlines()[:2]) for r in result.records if r.outcome != "passed"]
    assert not failing
    assert result.exact_score == result.exact_max_score == 100
    data = json.loads((tmp_path / "out" / "results.json").read_text())
    assert data["score"] == 100 and data["max_score"] == 100
    assert len(data["tests"]) == len(result.records) and all(t["status"] == "passed" for t in data["tests"])
    suite = ET.parse(tmp_path / "out" / "junit.xml").getroot().find("testsuite")
    assert suite.get("failures") == suite.get("errors") == "0"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["junit.xml", "results.json", "summary.txt"]


def test_shipped_exercises_score_0_without_harness_errors(tmp_path):
    # generated afresh: exercises/ itself is the learner's and may hold their work
    result = grade(str(shipped_exercises(tmp_path / "exercises")), workers=1)
    assert result.exact_score == 0 and result.exact_max_score == 100
    assert {r.outcome for r in result.records} == {"not_attempted"}
    assert {r.detail for r in result.records} == {"not_attempted"}  # stubs, never "missing" or a crash
    assert all("not implemented yet" in r.message for r in result.records)


def test_half_done_exercises_score_exactly_the_parts_done(tmp_path):
    """Chapter 2 and Affine put back from the reference: exactly their points, nothing else."""
    package = shipped_exercises(tmp_path / "half_done")
    restore_from_reference(package, "gates.py", "layers/affine.py")
    result = grade(str(package), workers=1)
    done = {"AND", "NAND", "OR", "XOR", "Affine"}
    expected = sum((r.points for r in result.records if r.component in done), Fraction(0))
    assert result.exact_score == expected
    assert all(r.outcome == "passed" for r in result.records if r.component in done)
    assert {r.outcome for r in result.records if r.component not in done} == {"not_attempted"}
    # and, independently of the grader's arithmetic: all of chapter 2, and Affine's share of the weights of
    # each chapter it has cases in (the 2-D Affine of §5.6.2 in chapter 5, its N-d input of §7.5 in chapter 7)
    affine = Fraction(0)
    for chapter in (5, 7):
        pairs = [(check.__name__, case.component) for check, case in all_checks() if chapter_of(case) == chapter]
        share = sum(weight_of(chapter, name) for name, component in pairs if component == "Affine")
        affine += Fraction(CHAPTERS[chapter].total * share, sum(weight_of(chapter, name) for name, _ in pairs))
    assert expected == 5 + affine


def test_selection_keeps_points_and_bad_impls_cannot_be_graded(tmp_path, monkeypatch):
    # two workers: the one grading of make check on xdist's path (its plugin named on pytest's
    # command line, since a grading loads no plugin on its own)
    temporary_root = tmp_path / "pytest-of-user"  # where pytest keeps its numbered folders (/tmp/pytest-of-USER)
    temporary_root.mkdir()
    monkeypatch.setenv("PYTEST_DEBUG_TEMPROOT", str(temporary_root))
    result = grade("reference", workers=2, select="AND or softmax", components=["AND", "softmax"])
    # xdist's folders were the run's own: none made there, and none of the user's older ones deleted
    assert list(temporary_root.iterdir()) == []
    assert {r.component for r in result.records} == {"AND", "softmax"}
    assert result.exact_score == result.exact_max_score == sum(r.points for r in result.records)
    assert result.records[0].points == Fraction(5, 4)  # a subset does not change what a check is worth
    with pytest.raises(GradingError):
        grade(str(tmp_path / "nowhere"))


def test_command_line_prints_the_table_and_exits_0_whatever_the_score(tmp_path):
    shipped = shipped_exercises(tmp_path / "exercises")
    run = subprocess.run([sys.executable, "-m", "checks.grading", f"--impl={shipped}", "--chapter", "2,3",
                          "--out", str(tmp_path / "out")], cwd=REPO_ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "Perceptrons" in run.stdout and "0.00 /   5.00" in run.stdout and "0.00 /  10.00" in run.stdout
    assert "next: AND (chapter 2" in run.stdout and "Failures (" in run.stdout
    summary = (tmp_path / "out" / "summary.txt").read_text(encoding="utf-8")
    assert summary in run.stdout and str(tmp_path) not in summary  # the folder's name, not where it sits
    assert json.loads((tmp_path / "out" / "results.json").read_text())["score"] == 0
    broken = subprocess.run([sys.executable, "-m", "checks.grading", f"--impl={tmp_path / 'nowhere'}",
                             "--out", str(tmp_path / "bad")],
                            cwd=REPO_ROOT, capture_output=True, text=True)
    assert broken.returncode == 2 and "grading could not run" in broken.stderr
    assert json.loads((tmp_path / "bad" / "results.json").read_text())["score"] == 0


def test_min_percent_gates_the_exit_status(monkeypatch, capsys):
    """--min-percent (for CI gates) is the only way the score changes the exit status."""
    from checks.grading import scoring as core

    def fake_grade(impl, **options):
        records = core.score_records([], "package")
        return core.GradeResult(impl=impl, label=impl, kind="package", records=records,
                                exact_score=Fraction(40), exact_max_score=Fraction(100))

    monkeypatch.setattr("checks.grading.__main__.grade", fake_grade)
    assert grading_main(["--impl=reference", "--no-out"]) == 0
    assert grading_main(["--impl=reference", "--no-out", "--min-percent", "40"]) == 0
    assert grading_main(["--impl=reference", "--no-out", "--min-percent", "50"]) == 3
    assert "40.00 / 100.00" in capsys.readouterr().out


def test_chapter_and_component_options_take_lists_and_name_a_typo(capsys):
    from checks.grading.__main__ import _chapters, _parser

    assert _chapters("3,5") == [3, 5] and _chapters("3-5") == [3, 4, 5] and _chapters("7") == [7]
    args = _parser().parse_args(["--chapter", "3,5", "--chapter", "2", "--component", "Affine,Relu"])
    assert args.chapter == [[3, 5], [2]] and args.component == [["Affine", "Relu"]]
    with pytest.raises(SystemExit):
        _parser().parse_args(["--chapter", "9"])
    assert "no chapter 9 to grade: the graded chapters are 2–8" in capsys.readouterr().err
    assert grading_main(["--impl=reference", "--no-out", "--component", "Afine"]) == 2
    assert "--component Afine: no component of that name; did you mean Affine?" in capsys.readouterr().err


def test_the_grading_command_starts_without_pytest():
    """pytest runs in the grading's own process (the judge); the command that starts it and scores
    its records needs the catalog of checks, not pytest (0.67-0.83 against 0.48-0.59 s of CPU to
    import the command, six runs each, alternating)."""
    script = "import sys, checks.grading.__main__; print(sorted(m for m in sys.modules if m.split('.')[0] in " \
             "('pytest', '_pytest')))"
    run = subprocess.run([sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]", run.stdout
