"""`make grade-all`: a folder of submissions graded in parallel into scores.csv."""

import csv
import json
import subprocess
import sys

from checks.tests.fixtures.grading import (REFERENCE, build_book_layout, copy_package, restore_from_reference,
                                          shipped_exercises)
from checks.isolation.intake import Form, Kind, resolve
from checks.isolation.adapters import REPO_ROOT
from checks.tests.fixtures.boundaries import ATTEMPT_MARK, attempts_in


def test_grade_all_writes_a_csv_and_every_results_json(tmp_path, child_logs):
    submissions = tmp_path / "submissions"
    alice = shipped_exercises(submissions / "alice" / "exercises")  # a copy of the repository
    restore_from_reference(alice, "gates.py")
    copy_package(REFERENCE, submissions / "bob" / "unzipped")  # a package inside one extra folder
    build_book_layout(submissions / "carol")
    (submissions / "dave").mkdir()
    (submissions / "dave" / "notes.txt").write_text("nothing to grade")
    eve = copy_package(REFERENCE, submissions / "eve")
    gates = eve / "gates.py"
    gates.write_text(gates.read_text() + f'''

def _sabotage():
    try:
        open({str(alice / "gates.py")!r}, "w").write("raise SystemExit")
        outcome = "ALLOWED"
    except OSError as error:
        outcome = f"refused: {{error}}"
    print({ATTEMPT_MARK!r} + __import__("json").dumps(["sabotage", outcome]), flush=True)


_sabotage()
''')
    kit = resolve(submissions / "alice")
    assert (kit.kind, kit.form, kit.path) == (Kind.PACKAGE, Form.KIT, str(alice))
    assert resolve(submissions / "carol").kind is Kind.BOOK

    out = tmp_path / "out"
    run = subprocess.run([sys.executable, "-m", "checks.grading.batch", str(submissions), "--out", str(out),
                          "--jobs", "2", "--component", "AND", "--component", "XOR"],
                         cwd=REPO_ROOT, capture_output=True, text=True)
    assert run.returncode == 1, run.stdout + run.stderr  # dave could not be graded
    rows = {row["submission"]: row for row in csv.DictReader((out / "scores.csv").open())}
    assert sorted(rows) == ["alice", "bob", "carol", "dave", "eve"]
    for name in ("alice", "bob", "carol", "eve"):
        assert rows[name]["status"] == "graded"
        assert rows[name]["score"] == rows[name]["max_score"] == "2.5000", (name, rows[name])
        data = json.loads((out / name / "results.json").read_text())
        assert data["score"] == 2.5 and len(data["tests"]) == 2
    assert rows["dave"]["status"] == "not graded" and "nothing to grade" in rows["dave"]["message"]
    assert rows["carol"]["impl"].startswith("book:")
    assert attempts_in(child_logs)["sabotage"].startswith("refused"), "one submission could write into another"
    assert "raise SystemExit" not in (alice / "gates.py").read_text()
