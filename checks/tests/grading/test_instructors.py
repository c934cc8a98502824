"""Instructors' door: loose .py uploads, safe unpacking, results fitted to the point total, grade-all's class report."""

import csv
import json
import os
import random
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from checks.grading.class_report import CHAPTER_COLUMNS, class_statistics, render_report
from checks.grading.gradescope import apportion, fit_file, fit_results, load_config
from checks.isolation.intake import IntakeError
from checks.isolation.intake.loose_files import assemble, loose_files, place
from checks.isolation.intake.submission import list_submissions
from checks.isolation.intake.zips import UnpackError, safe_extract
from checks.isolation.adapters import REPO_ROOT
from checks.tests.fixtures.grading import (REFERENCE, build_book_layout, copy_package, pristine_exercises,
                                          restore_from_reference)

EXERCISES = pristine_exercises()


# -- largest-remainder apportionment ------------------------------------------------------------
def test_apportion_sums_exactly_to_the_total():
    assert apportion([1, 1, 1], 100) == [33.34, 33.33, 33.33]
    rng = random.Random(0)
    for _ in range(40):
        weights = [rng.random() * rng.choice([1, 1e-3, 50]) for _ in range(rng.randint(1, 250))]
        total = rng.choice([100, 10, 37.5, 1])
        shares = apportion(weights, total)
        assert sum(Decimal(str(s)) for s in shares) == Decimal(str(total))
        exact = [w / sum(weights) * total for w in weights]
        assert all(abs(s - e) < 0.01 + 1e-9 for s, e in zip(shares, exact))  # never more than one unit off


def test_fit_results_scales_hides_not_attempted_and_keeps_the_summary():
    results = {"score": 1.0, "max_score": 3.0, "output": "dlfs grade — summary", "tests": [
        {"name": "a", "score": 1.0, "max_score": 1.0, "status": "passed", "tags": ["A", "passed"]},
        {"name": "b", "score": 0.0, "max_score": 1.0, "status": "failed", "tags": ["B", "wrong"]},
        {"name": "c", "score": 0.0, "max_score": 1.0, "status": "failed", "tags": ["C", "not_attempted"]}]}
    config = {**load_config(None), "total": 10, "visibility": "after_due_date"}
    fitted = fit_results(results, config)
    assert [t["max_score"] for t in fitted["tests"]] == [3.34, 3.33, 3.33]
    assert fitted["score"] == 3.34 and fitted["max_score"] == 10
    assert [t["visibility"] for t in fitted["tests"]] == ["after_due_date", "after_due_date", "hidden"]
    assert fitted["visibility"] == "after_due_date" and fitted["output"].startswith("dlfs grade — summary")
    shown = fit_results(results, {**config, "hide_not_attempted": False})
    assert {t["visibility"] for t in shown["tests"]} == {"after_due_date"}


def test_fit_file_leaves_a_valid_results_json_when_grading_wrote_none(tmp_path):
    config = tmp_path / "autograder.json"
    config.write_text(json.dumps({"total": 50, "chapters": [2, 3]}))
    fitted = fit_file(config, tmp_path / "results" / "results.json")
    assert fitted["score"] == 0 and fitted["max_score"] == 50
    # every check of the assignment is listed, with 0 of its share and the reason
    tests = fitted["tests"]
    assert tests and {t["name"].split()[0] for t in tests} == {"ch2", "ch3"}
    assert abs(sum(t["max_score"] for t in tests) - 50) < 1e-9 and all(t["score"] == 0 for t in tests)
    assert all("the grader wrote no results" in t["output"] for t in tests)
    assert json.loads((tmp_path / "results" / "results.json").read_text())["output"].startswith("Grading could not")
    (tmp_path / "broken.json").write_text("{not json")
    assert fit_file(config, tmp_path / "broken.json")["score"] == 0
    config.write_text(json.dumps({"total": -1}))
    with pytest.raises(ValueError, match="total"):
        load_config(config)


# -- loose files ------------------------------------------------------------------------------
def test_loose_files_are_placed_by_file_name_then_by_the_names_they_define(tmp_path):
    upload = tmp_path / "upload"
    upload.mkdir()
    (upload / "affine.py").write_bytes((REFERENCE / "layers" / "affine.py").read_bytes())
    activation = (REFERENCE / "layers" / "activation.py").read_text(encoding="utf-8")
    (upload / "my layers.py").write_text(activation.replace("from ..", "from ."), encoding="utf-8")
    (upload / "notes.py").write_text("print('hello')\n")
    placements, _ = place(sorted(upload.iterdir()), EXERCISES)
    described = [p.describe() for p in placements]
    assert described[0] == "affine.py → exercises/layers/affine.py"
    assert described[1].startswith("my layers.py → Relu, Sigmoid used by exercises/layers/activation.py")
    assert "not graded" in described[2]
    assemble(sorted(upload.iterdir()), EXERCISES, tmp_path / "assembled")
    probe = ("import numpy as np, exercises\n"
             "print(exercises.Relu().forward(np.array([-1.0, 2.0])).tolist())\n"
             "print(exercises.Affine(np.eye(2), np.zeros(2)).forward(np.ones((1, 2))).tolist())\n"
             "try:\n    exercises.softmax(np.zeros(3))\nexcept NotImplementedError:\n    print('stub')\n")
    run = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path / "assembled", capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(REPO_ROOT)})  # exercises imports `data`
    assert run.stdout.split() == ["[0.0,", "2.0]", "[[1.0,", "1.0]]", "stub"], run.stderr


def test_symlinked_loose_files_are_not_followed(tmp_path):
    (tmp_path / "functions.py").symlink_to(REFERENCE / "functions.py")
    (tmp_path / "gates.py").write_text("")
    assert [p.name for p in loose_files(tmp_path)] == ["gates.py"]


def test_files_matching_no_module_are_refused_with_their_names(tmp_path):
    (tmp_path / "hello.py").write_text("def greet():\n    return 1\n")
    with pytest.raises(IntakeError, match="hello.py"):
        assemble([tmp_path / "hello.py"], EXERCISES, tmp_path / "out")


# -- safe unpacking ----------------------------------------------------------------------------
def _zip(path, entries, symlink=None):
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = 0o120777 << 16
            archive.writestr(info, "/etc/passwd")
    return path


@pytest.mark.parametrize("entries, symlink, limits, message", [
    ({"../evil.py": "x"}, None, {}, "outside"),
    ({"/abs/evil.py": "x"}, None, {}, "outside"),
    ({"a/../../evil.py": "x"}, None, {}, "outside"),
    ({"ok.py": "x"}, "link", {}, "symbolic link"),
    ({f"f{i}.py": "x" for i in range(5)}, None, {"max_files": 4}, "at most 4"),
    ({"big.py": "x" * 5000}, None, {"max_bytes": 4096}, "at most 4096"),
], ids=["dotdot", "absolute", "nested-dotdot", "symlink", "too-many", "too-big"])
def test_unsafe_zips_are_refused(tmp_path, entries, symlink, limits, message):
    archive = _zip(tmp_path / "s.zip", entries, symlink)
    with pytest.raises(UnpackError, match=message):
        safe_extract(archive, tmp_path / "out", **limits)
    assert not (tmp_path / "evil.py").exists()


def test_submissions_are_listed_folders_and_zips_one_row_each(tmp_path):
    subs = tmp_path / "subs"
    (subs / "alice").mkdir(parents=True)
    _zip(subs / "bob.zip", {"bob/exercises/__init__.py": ""})
    (subs / "carol.zip").write_bytes(b"not a zip")
    _zip(subs / "alice.zip", {"x.py": ""})
    (subs / "readme.txt").write_text("ignored")
    (subs / "__MACOSX").mkdir()
    entries = {e.name: e.path for e in list_submissions(subs)}
    assert entries == {"alice": subs / "alice", "alice.zip": subs / "alice.zip", "bob": subs / "bob.zip",
                       "carol": subs / "carol.zip"}


# -- class report ------------------------------------------------------------------------------
def test_class_report_is_one_self_contained_page(tmp_path):
    rows = [{"submission": "a", "status": "graded", "percent": "75.00", **dict.fromkeys(CHAPTER_COLUMNS, "1.0")},
            {"submission": "b<script>", "status": "not graded", "message": "nothing to grade"}]
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "results.json").write_text(json.dumps({"tests": [
        {"name": "ch2 AND(truth-table)-check_truth_table", "status": "failed", "tags": ["AND", "wrong"],
         "output": "WRONG: check_truth_table failed for AND [impl: x]\n  outputs were (0, 0, 0, 0)"},
        {"name": "ch3 relu(f)-check_formula", "status": "passed", "tags": ["relu", "passed"], "output": "passed"}]}))
    stats = class_statistics(rows, tmp_path)
    assert stats["bins"][7] == 1 and stats["graded"] == 1
    assert stats["diagnoses"] == [("AND", "check_truth_table", "wrong", 1, "outputs were (0, 0, 0, 0)")]
    page = render_report(stats)
    assert "<script" not in page and "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in page and "b&lt;script&gt;" in page and "<svg" in page


# -- grade-all ---------------------------------------------------------------------------------
def test_grade_all_takes_folders_zips_broken_zips_and_empty_folders(tmp_path):
    subs, out = tmp_path / "subs", tmp_path / "out"
    alice = copy_package(EXERCISES, subs / "alice" / "exercises")
    restore_from_reference(alice, "gates.py")
    bob = copy_package(EXERCISES, tmp_path / "bob" / "exercises")
    restore_from_reference(bob, "gates.py")
    with zipfile.ZipFile(subs / "bob.zip", "w") as archive:
        for path in sorted(bob.rglob("*.py")):
            archive.write(path, path.relative_to(tmp_path).as_posix())
    (subs / "carol.zip").write_bytes(b"PK\x03\x04 truncated")
    (subs / "dave").mkdir()
    (subs / "erin").mkdir()
    (subs / "erin" / "gates.py").write_bytes((REFERENCE / "gates.py").read_bytes())  # a loose upload
    (out / "zoe-from-last-week").mkdir(parents=True)
    (out / ".dlfs-grade-all").write_text("")
    run = subprocess.run([sys.executable, "-m", "checks.grading.batch", str(subs), "--out", str(out),
                          "--jobs", "2", "--component", "AND", "--component", "XOR"],
                         cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 1, run.stdout + run.stderr
    rows = {row["submission"]: row for row in csv.DictReader((out / "scores.csv").open())}
    assert sorted(rows) == ["alice", "bob", "carol", "dave", "erin"]
    for name in ("alice", "bob", "erin"):
        assert rows[name]["status"] == "graded" and rows[name]["score"] == "2.5000", rows[name]
        assert rows[name]["ch2"] == "2.5000" and rows[name]["ch5"] == ""
    assert rows["bob"]["impl"] == "bob.zip/bob/exercises"
    assert rows["carol"]["status"] == "not graded" and "carol.zip" in rows["carol"]["message"]
    assert rows["dave"]["status"] == "not graded" and "nothing to grade" in rows["dave"]["message"]
    assert not (out / "zoe-from-last-week").exists()
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "carol.zip" in page and "Score distribution" in page


def test_grade_all_refuses_to_clear_a_folder_it_did_not_write(tmp_path):
    (tmp_path / "subs").mkdir()
    (tmp_path / "precious").mkdir()
    (tmp_path / "precious" / "thesis.tex").write_text("…")
    run = subprocess.run([sys.executable, "-m", "checks.grading.batch", str(tmp_path / "subs"), "--out",
                          str(tmp_path / "precious")], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and "not written by grade-all" in run.stderr
    assert (tmp_path / "precious" / "thesis.tex").is_file()


def test_the_autograder_finds_what_to_grade_in_a_zip_or_in_loose_files(tmp_path, capsys):
    """`python -m checks.grading.loose_files`, the release's run_autograder's first step (until its Python
    entry point): it prints a folder that resolves to what was submitted."""
    from checks.grading.loose_files import main
    from checks.isolation.intake import Form, Kind, resolve

    kit = tmp_path / "kit-upload"
    copy_package(EXERCISES, tmp_path / "kit" / "exercises")
    kit.mkdir()
    with zipfile.ZipFile(kit / "my-kit.zip", "w") as archive:
        archive.write(tmp_path / "kit" / "exercises" / "__init__.py", "kit/exercises/__init__.py")
    assert main([str(kit), "--stubs", str(EXERCISES), "--into", str(tmp_path / "a")]) == 0
    graded = capsys.readouterr().out.strip()
    assert graded.startswith(str(tmp_path / "a")) and resolve(graded).kind is Kind.PACKAGE
    loose = tmp_path / "loose"
    loose.mkdir()
    (loose / "gates.py").write_bytes((REFERENCE / "gates.py").read_bytes())
    assert main([str(loose), "--stubs", str(EXERCISES), "--into", str(tmp_path / "b")]) == 0
    graded = capsys.readouterr().out.strip()
    assert (Path(graded) / "gates.py").read_bytes() == (REFERENCE / "gates.py").read_bytes()
    assert resolve(graded).form is Form.PACKAGE
    book = build_book_layout(tmp_path / "book")
    assert main([str(book), "--stubs", str(EXERCISES), "--into", str(tmp_path / "c")]) == 0
    assert capsys.readouterr().out.strip() == str(book)  # graded where it is
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main([str(empty), "--stubs", str(EXERCISES), "--into", str(tmp_path / "d")]) == 1
    assert "nothing to grade" in capsys.readouterr().err


def test_loose_files_land_on_stubs_rendered_afresh_not_on_the_checkouts_exercises(tmp_path):
    # An instructor who tried the exercises in their own checkout must not hand those
    # attempts to a student whose loose upload is placed onto "the stubs".
    from checks.isolation.intake.loose_files import pristine_stubs
    from checks.tools.stubgen import render_tree

    stubs = pristine_stubs(tmp_path)
    assert stubs != REPO_ROOT / "exercises" and stubs.is_relative_to(tmp_path)
    expected = render_tree()
    assert {p.relative_to(stubs).as_posix(): p.read_bytes() for p in stubs.rglob("*") if p.is_file()} == expected
    assert b"raise NotImplementedError" in expected["layers/affine.py"]
