"""A class at real scale (issue #25): graded in shards then merged as in one run, resumed, and what it
misunderstands recognised — on a synthetic class built from the bug corpus (slow: every
submission is graded on the whole suite, twice).

The class (checks/tests/fixtures/classes.py): every variant of the bug corpus the checks
catch, three to a student where their components do not build on each other, a student
without mistakes, one with a mistake no variant describes, an empty folder, a file that
is not a zip and a zipped package: 42 submissions.
"""

import csv
import html
import io
import json
import shutil

import pytest

from checks.grading.batch import FOLDER_KEY, SKIPPED_KEY, grade_all, merge
from checks.grading.class_report import REPORT_NAME
from checks.grading.shards import Shard
from checks.tests.fixtures.classes import add_mistakes, build_class, failing_too, mistake_groups
from checks.tests.fixtures.grading import REFERENCE, copy_package
from checks.tools.mutants import MUTANTS_DIR
from checks.tools.mutants._runner import load_variant

pytestmark = pytest.mark.slow
SHARDS = 3


def _csv_without_timings(path):
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    for row in rows:
        row.pop("seconds")
    return rows


def _extra(out, row):
    return json.loads((out / row[FOLDER_KEY] / "results.json").read_text(encoding="utf-8"))["extra_data"]


def test_a_class_in_shards_merges_into_one_run_is_resumed_and_its_mistakes_are_recognised(tmp_path):
    subs = tmp_path / "submissions"
    groups = mistake_groups()
    students = build_class(subs, groups)
    assert len(students) + 2 >= 30  # + the empty folder and the broken zip

    whole = tmp_path / "whole"
    rows = {row["submission"]: row for row in grade_all(subs, whole, jobs=2)}
    assert len(rows) == len(students) + 2

    # -- shards, then merged: the same scores.csv (apart from timings) and report.html ------------
    shard_dirs = [tmp_path / f"shard-{index}" for index in range(1, SHARDS + 1)]
    sliced = [grade_all(subs, folder, jobs=2, shard=Shard(index, SHARDS))
              for index, folder in enumerate(shard_dirs, start=1)]
    names = [row["submission"] for rows_of_shard in sliced for row in rows_of_shard]
    assert sorted(names) == sorted(rows) and all(sliced)  # each submission in exactly one non-empty shard
    merged = tmp_path / "merged"
    merge(shard_dirs, merged)
    assert _csv_without_timings(merged / "scores.csv") == _csv_without_timings(whole / "scores.csv")
    assert str(tmp_path) not in (whole / "scores.csv").read_text(encoding="utf-8")  # the same on every machine
    assert (merged / REPORT_NAME).read_text(encoding="utf-8") == (whole / REPORT_NAME).read_text(encoding="utf-8")

    # -- every label recovered, nothing forced onto one -------------------------------------------
    for name, variants in students.items():
        extra = _extra(whole, rows[name])
        labels = sorted(label for entry in extra["misconceptions"] for label in entry["labels"])
        assert labels == sorted(variants), (name, extra["misconceptions"], extra["unexplained"])
        expected = ["Sigmoid"] if name == "unexplained" else failing_too(variants)
        assert sorted(extra["unexplained"]) == expected, (name, extra["unexplained"])
    page = (whole / REPORT_NAME).read_text(encoding="utf-8")
    for group in groups:
        for variant in group:
            mistake = load_variant(variant).mistake.split(": ", 1)[1]
            assert html.escape(mistake) in page, variant
    assert "1 student</b>: Sigmoid fails in a way no known mistake describes" in page
    # the MulLayer mistakes fail AddLayer's apple-orange graph too, blamed on MulLayer (its prerequisite):
    # never an AddLayer label, nor an unexplained AddLayer
    assert "AddLayer fails in a way no known mistake describes" not in page

    # -- a rerun keeps every result; a changed submission alone is graded again -------------------
    again = grade_all(subs, whole, jobs=2)
    assert all(row.get(SKIPPED_KEY) for row in again), [row["submission"] for row in again if not row.get(SKIPPED_KEY)]
    changed = "student-01"
    shutil.rmtree(subs / changed)
    fixed = copy_package(REFERENCE, subs / changed)  # the student fixed two of their three mistakes
    add_mistakes(fixed, [(MUTANTS_DIR / f"{students[changed][0]}.py").read_text(encoding="utf-8")])
    third = {row["submission"]: row for row in grade_all(subs, whole, jobs=2)}
    assert [name for name, row in third.items() if not row.get(SKIPPED_KEY)] == [changed]
    extra = _extra(whole, third[changed])
    assert [label for entry in extra["misconceptions"] for label in entry["labels"]] == students[changed][:1]
    assert float(third[changed]["score"]) > float(rows[changed]["score"])
