"""Untrusted input is bounded before the grader parses it (issue #27): zips, loose files, notebooks.

A zip's entry count is read from its end record before `zipfile` builds one object per
entry; an entry the file system cannot hold is left out with its reason, not the whole
submission; a loose file of pasted weights is never parsed in the grader's process; a
notebook is parsed only by the child that runs it (checks/isolation/child/sandboxed/workspace.py),
where a cell too large or nested too deep costs that cell only (graded end to end under the
boundary chosen here and, in the slow tier, the fallback).
"""

import functools
import struct
import subprocess
import sys
import zipfile

import nbformat
import pytest

from checks.isolation.adapters import REPO_ROOT
from checks.isolation.intake import Form, Kind, UnpackError, resolve
from checks.isolation.intake.zips import count_entries, safe_extract
from checks.tests.fixtures.grading import REFERENCE, pristine_exercises

GATES = (REFERENCE / "gates.py").read_bytes()
JAPANESE_92 = "深層学習" * 23  # 92 characters, 276 bytes in UTF-8: over the 255 a name may have


def _zip(path, entries):
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in entries:
            archive.writestr(name, content)
    return path


@pytest.mark.filterwarnings("ignore:Duplicate name")  # the zip holds a name twice on purpose
def test_entries_the_file_system_cannot_hold_are_left_out_one_by_one(tmp_path):
    archive = _zip(tmp_path / "s.zip", [
        ("work/gates.py", GATES),
        ("work/a", b"a file first"), ("work/a/b.py", b"then a folder of the same name"),
        ("work/c/d.py", b"a folder first"), ("work/c", b"then a file of the same name"),
        (f"work/{JAPANESE_92}/x.py", b"a folder name of 276 bytes"),
        ("work/ch3-work.py", b"dash"), ("work/ch3_work.py", b"underscore"),
        ("work/gates.py", b"the same name twice"),
        ("__MACOSX/work/._gates.py", b"\x00\x05\x16\x07"),
    ])
    extraction = safe_extract(archive, tmp_path / "out")
    left_out = dict(extraction.left_out)
    assert set(left_out) == {"work/a/b.py", "work/c", f"work/{JAPANESE_92}/x.py", "work/gates.py"}
    assert left_out[f"work/{JAPANESE_92}/x.py"] == "a name of 276 bytes; the file system allows 255"
    assert left_out["work/a/b.py"] == "work/a is a file in this zip, not a folder"
    assert left_out["work/c"] == "work/c is a folder in this zip, not a file"
    assert left_out["work/gates.py"] == "the zip holds this name twice"
    out = tmp_path / "out" / "work"
    assert (out / "gates.py").read_bytes() == GATES  # the first of the two, never overwritten
    assert (out / "ch3-work.py").read_bytes() == b"dash" and (out / "ch3_work.py").read_bytes() == b"underscore"
    assert not (tmp_path / "out" / "__MACOSX").exists() and extraction.files == 5


def test_the_left_out_entries_are_notes_and_the_rest_is_graded(tmp_path):
    archive = _zip(tmp_path / "s.zip", [("gates.py", GATES), (f"{JAPANESE_92}.py", b"x = 1\n")])
    spec = resolve(str(archive), tmp_path / "work", stubs=pristine_exercises())
    assert (spec.kind, spec.form) == (Kind.PACKAGE, Form.ZIP)
    assert any("left out (a name of 279 bytes" in note for note in spec.notes), spec.notes


def _declaring(path, entries, zip64=False):
    """A small zip whose end record declares `entries` entries (what a hostile zip may claim)."""
    _zip(path, [("a.py", b"")])
    data = bytearray(path.read_bytes())
    at = data.rfind(b"PK\x05\x06")
    if zip64:
        data[at + 8:at + 12] = b"\xff\xff\xff\xff"
        record = b"PK\x06\x06" + struct.pack("<QHHIIQQQQ", 44, 45, 45, 0, 0, entries, entries, 0, 0)
        locator = b"PK\x06\x07" + struct.pack("<IQI", 0, at, 1)
        data[at:at] = record + locator
    else:
        data[at + 8:at + 12] = struct.pack("<HH", entries, entries)
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("zip64", [False, True], ids=["zip", "zip64"])
def test_a_zip_declaring_too_many_entries_is_refused_before_it_is_parsed(tmp_path, monkeypatch, zip64):
    archive = _declaring(tmp_path / "many.zip", 60000 if not zip64 else 10 ** 9, zip64=zip64)
    assert count_entries(archive) == (60000 if not zip64 else 10 ** 9)

    def never(*args, **kwargs):  # zipfile would build one object per declared entry
        raise AssertionError("the central directory was parsed")

    monkeypatch.setattr(zipfile.ZipFile, "__init__", never)
    with pytest.raises(UnpackError) as refused:
        safe_extract(archive, tmp_path / "out")
    assert str(refused.value) == f"many.zip: {count_entries(archive)} entries; at most 5000 are unpacked"


_PEAK = """
import sys
from checks.isolation.intake import IntakeError, resolve
try:
    spec = resolve(sys.argv[1], sys.argv[2], stubs=sys.argv[3])
    print("resolved", spec.kind.value, *spec.notes, sep="\\n")
except IntakeError as error:
    print("refused", error, sep="\\n")
# VmHWM: this process's own peak (ru_maxrss would carry over the forking parent's peak)
print(next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM")) >> 10)
"""


def _peak_mb(value, tmp_path):
    """(what resolving `value` said, the peak memory of the process that resolved it, in MB)."""
    run = subprocess.run([sys.executable, "-c", _PEAK, str(value), str(tmp_path / "work"), str(pristine_exercises())],
                         cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    *said, peak = run.stdout.strip().splitlines()
    return said, int(peak)


@functools.cache
def _weights():
    """≈ 10 MB of pasted weights (made when a test asks: each test worker imports this module)."""
    return "W = [" + ", ".join(f"{i * 0.001:.6f}" for i in range(1_100_000)) + "]\n"


def test_a_loose_file_of_pasted_weights_is_never_parsed_by_the_grader(tmp_path):
    upload = tmp_path / "upload"
    upload.mkdir()
    (upload / "gates.py").write_bytes(GATES)
    (upload / "weights.py").write_text(_weights())
    said, peak = _peak_mb(upload, tmp_path)
    assert said[0] == "resolved" and "weights.py: not graded (larger than 512 KB" in "\n".join(said), said
    assert peak < 250, f"the grader's process peaked at {peak} MB"  # parsing it takes > 1 GB


def test_a_notebook_of_pasted_weights_costs_the_child_not_the_grader(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(_weights()),
                      nbformat.v4.new_code_cell("def AND(x1, x2):\n    return int(x1 and x2)\n")]
    nbformat.write(notebook, str(tmp_path / "weights.ipynb"))
    said, peak = _peak_mb(tmp_path / "weights.ipynb", tmp_path)
    assert said[0] == "resolved", said  # not parsed here at all: the child reads it
    assert peak < 250, f"the grader's process peaked at {peak} MB"


def test_utf8_names_written_without_the_utf8_flag_are_read_as_utf8(tmp_path):
    """Many zip tools write UTF-8 names without flag bit 11; zipfile would read them as cp437 mojibake."""
    name = "ノート.py".encode()
    placeholder = b"n" * (len(name) - 3) + b".py"
    _zip(tmp_path / "s.zip", [(placeholder.decode(), b"x = 1\n")])
    data = (tmp_path / "s.zip").read_bytes()
    assert data.count(placeholder) == 2  # the local header and the central directory
    (tmp_path / "s.zip").write_bytes(data.replace(placeholder, name))
    assert not zipfile.ZipFile(tmp_path / "s.zip").infolist()[0].flag_bits & 0x800
    safe_extract(tmp_path / "s.zip", tmp_path / "out")
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["ノート.py"]


def test_a_notebooks_cells_too_large_or_too_deep_cost_only_themselves(tmp_path, each_boundary):
    """Graded end to end in the memory Gradescope's budget leaves the submission: pasted weights, an
    expression nested too deep for the parser, a sum too long for it; the cell after them is graded."""
    from checks.grading import grade
    from checks.grading.budget import Budget

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(_weights()),
                      nbformat.v4.new_code_cell("deep = " + "(" * 2000 + "1" + ")" * 2000),
                      nbformat.v4.new_code_cell("total = " + " + ".join(["1"] * 100_000)),
                      nbformat.v4.new_code_cell("def AND(x1, x2):\n    return int(x1 and x2)\n")]
    nbformat.write(notebook, str(tmp_path / "work.ipynb"))
    result = grade(str(tmp_path / "work.ipynb"), components=["AND"], memory_limit=Budget().child_memory(),
                   write=False)
    print(f"\n[intake] {each_boundary.name}: " + " | ".join(result.notes))
    assert result.score == result.max_score > 0
    notes = "\n".join(result.notes)
    assert "AND graded from work.ipynb, cell 4" in notes
    assert "work.ipynb, cell 1 could not be read (too large" in notes
    for cell in (2, 3):
        assert f"work.ipynb, cell {cell} could not be read (nested too deeply" in notes, notes
