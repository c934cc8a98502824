"""A batch never falls (issue #27): every zip entry, every name and every unreadable submission
is confined to its own submission, with a row and a reason in scores.csv; distinct files never collide.

One real grade-all over a folder an instructor could receive: a zip whose entries conflict
with each other and one of whose names is over 255 bytes, a folder named in 84 Japanese
characters (252 bytes: its output folder's escaped name would be 756), two zips whose names
differ only in `-` and `_`, a folder whose one notebook cannot be read (graded, with a note),
an empty zip, a FIFO and a link dressed as submissions. Under the boundary chosen here and,
in the slow tier, under the fallback (whose staged copies carry those names too).
"""

import csv
import json
import os
import zipfile

from checks.grading.batch import FOLDER_KEY, OUTPUT_NAME_BYTES, grade_all, output_name
from checks.grading.class_report import class_statistics
from checks.tests.fixtures.grading import REFERENCE

GATES = (REFERENCE / "gates.py").read_bytes()
WRONG_GATES = GATES.replace(b"-0.7", b"-0.2")  # AND computed as OR
JAPANESE_84 = "深層学習" * 21
JAPANESE_92 = "深層学習" * 23


def _zip(path, entries):
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in entries:
            archive.writestr(name, content)


def test_one_submission_never_ends_the_batch_nor_spoils_another(tmp_path, each_boundary):
    subs = tmp_path / "submissions"
    subs.mkdir()
    _zip(subs / "conflicts.zip", [("gates.py", GATES), ("a", b"file"), ("a/b.py", b"folder"),
                                  (f"{JAPANESE_92}/notes.py", b"x = 1\n")])
    (subs / JAPANESE_84).mkdir()  # nothing in it: its row and results.json must still find a folder
    _zip(subs / "ch3-work.zip", [("gates.py", GATES)])
    _zip(subs / "ch3_work.zip", [("gates.py", WRONG_GATES)])
    (subs / "broken-notebook").mkdir()
    (subs / "broken-notebook" / "ch02.ipynb").write_bytes(b"\x89PNG not a notebook")
    _zip(subs / "empty.zip", [])
    os.mkfifo(subs / "pipe.zip")
    os.symlink(REFERENCE, subs / "linked")

    rows = grade_all(subs, tmp_path / "out", jobs=2, components=["AND"])

    by_name = {row["submission"]: row for row in rows}
    assert len(by_name) == len(rows) == 8
    graded = {name: row for name, row in by_name.items() if row["status"] == "graded"}
    # a learner's folder whose only notebook cannot be read is graded (nothing found: 0), with a note
    assert sorted(graded) == ["broken-notebook", "ch3-work", "ch3_work", "conflicts"]
    assert float(graded["ch3-work"]["score"]) == float(graded["conflicts"]["score"]) > 0
    assert float(graded["ch3_work"]["score"]) == 0  # its own AND, not ch3-work's
    assert float(graded["broken-notebook"]["score"]) == 0
    broken = json.loads((tmp_path / "out" / graded["broken-notebook"][FOLDER_KEY] / "results.json")
                        .read_text(encoding="utf-8"))
    assert any(note.startswith("ch02.ipynb could not be read") for note in broken["extra_data"]["notes"])
    reasons = {name: row["message"] for name, row in by_name.items() if row["status"] != "graded"}
    assert reasons[JAPANESE_84].startswith(JAPANESE_84 + ": nothing to grade")
    assert "empty" in reasons["empty"] and "nothing to grade" in reasons["empty"]
    assert reasons["pipe"] == "pipe.zip: not a regular file"
    assert reasons["linked"].startswith("linked: a link;")

    out = tmp_path / "out"
    folders = [row[FOLDER_KEY] for row in rows]
    assert len(set(folders)) == len(folders)  # distinct submissions, distinct folders
    for row in rows:  # every row has its results.json, the ungraded ones saying why
        assert len(row[FOLDER_KEY].encode()) <= OUTPUT_NAME_BYTES
        data = json.loads((out / row[FOLDER_KEY] / "results.json").read_text(encoding="utf-8"))
        assert (data["score"] > 0) == (row["status"] == "graded" and float(row["score"]) > 0)
    notes = json.loads((out / output_name("conflicts") / "results.json").read_text(encoding="utf-8"))
    left_out = [note for note in notes["extra_data"]["notes"] if "left out" in note]
    assert len(left_out) == 2 and any("a name of 276 bytes" in note for note in left_out), left_out
    with open(out / "scores.csv", encoding="utf-8", newline="") as handle:
        assert len(list(csv.DictReader(handle))) == 8
    # the class report counts every graded submission, whatever its name had to become
    stats = class_statistics(rows, out)
    assert dict(stats["components"])["AND"]["graded"] == len(graded)
