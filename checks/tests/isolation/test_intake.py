"""One intake: every form an IMPL value takes resolves, once, to the right frozen ImplSpec.

Each case builds the submission as a learner or an instructor would hand it over (a
package, a copy of the kit, a book layout, notebooks nested or not, a .py, loose files,
zips of these), resolves it and checks kind, form, what is opened and what the learner
reads; then the refusals, each naming the thing, what was expected and what came.
"""

import dataclasses
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from checks.isolation.adapters import REPO_ROOT, open_implementation
from checks.isolation.intake import Form, ImplSpec, IntakeError, Kind, load_spec, resolve, resolve_submission, resolved
from checks.tests.fixtures.grading import REFERENCE, build_book_layout, copy_package, pristine_exercises

GATES = (REFERENCE / "gates.py").read_text(encoding="utf-8")
AND_CELL = ("import numpy as np\n\ndef AND(x1, x2):\n    w, b = np.array([0.5, 0.5]), -0.7\n"
            "    return int(np.sum(w * np.array([x1, x2])) + b > 0)\n")


def _notebook(path, *cells):
    path.parent.mkdir(parents=True, exist_ok=True)
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    nbformat.write(notebook, str(path))
    return path


def _zip(path, folder, prefix=""):
    with zipfile.ZipFile(path, "w") as archive:
        for file in sorted(Path(folder).rglob("*")):
            if file.is_file():
                archive.write(file, prefix + file.relative_to(folder).as_posix())
    return path


def _resolve(value, tmp_path, **options):
    return resolve(str(value), tmp_path / "work", stubs=pristine_exercises(), shown_from=tmp_path, **options)


# -- every form ---------------------------------------------------------------------------------------
def test_named_values():
    reference, exercises, mutant = resolve("reference"), resolve("exercises"), resolve("mutant:affine_dw_transposed")
    assert (reference.kind, reference.form, reference.module, reference.trusted) == \
        (Kind.PACKAGE, Form.REFERENCE, "reference", True)
    assert (exercises.form, exercises.trusted, exercises.path) == (Form.EXERCISES, False, str(REPO_ROOT / "exercises"))
    assert (mutant.kind, mutant.trusted, mutant.base) == (Kind.MUTANT, True, reference)
    assert mutant.child_spec()["kind"] == "overlay" and mutant.child_spec()["support"]["reference"] == reference.path


def test_a_package_a_kit_and_a_kit_wrapped_in_one_more_folder(tmp_path):
    package = copy_package(REFERENCE, tmp_path / "my package")
    spec = _resolve(package, tmp_path)
    assert (spec.kind, spec.form, spec.path, spec.display) == (Kind.PACKAGE, Form.PACKAGE, str(package), "my package")
    assert spec.module.isidentifier()
    kit = tmp_path / "dlfs-kit"
    copy_package(pristine_exercises(), kit / "exercises")
    (kit / "README.md").write_text("the student kit")
    for value in (kit, tmp_path):  # tmp_path holds "dlfs-kit" and "my package": not one inner folder
        if value == tmp_path:
            shutil.rmtree(package)
        spec = _resolve(value, tmp_path)
        assert (spec.kind, spec.form, spec.path) == (Kind.PACKAGE, Form.KIT, str(kit / "exercises"))
        assert spec.display == "dlfs-kit/exercises"


def test_book_layouts_named_or_detected(tmp_path):
    root = build_book_layout(tmp_path / "book")
    named, detected = _resolve(f"book:{root}", tmp_path), _resolve(root, tmp_path)
    assert named.kind is detected.kind is Kind.BOOK and named.path == detected.path == str(root)
    assert named.display == detected.display == "book:book" and named.deviation_kind == "book"
    assert named.notes == () and "graded as book:book" in detected.notes[0]
    assert named.child_spec()["homes"]["Affine"][0][0] == "common/layers.py"


def test_notebooks_one_a_folder_nested_and_mixed_with_files(tmp_path):
    one = _notebook(tmp_path / "one" / "gates.ipynb", AND_CELL)
    nested = _notebook(tmp_path / "repo" / "book1" / "ch02" / "パーセプトロン.ipynb", AND_CELL)
    (tmp_path / "repo" / "README.md").write_text("my notes")
    (tmp_path / "repo" / "utils.py").write_text("def helper():\n    return 1\n")  # a mix: not loose files
    for value, form, path in ((one, Form.NOTEBOOK, one), (one.parent, Form.FOLDER, one.parent),
                              (tmp_path / "repo", Form.FOLDER, tmp_path / "repo")):
        spec = _resolve(value, tmp_path)
        assert (spec.kind, spec.form, spec.path) == (Kind.WORKSPACE, form, str(path))
        assert spec.deviation_kind == "book" and not spec.staged  # read where it is, by the child
        child = spec.child_spec()
        assert child["kind"] == "workspace" and "AND" in child["components"]
        # one notebook: the child sees its folder (the repository around it), and is told which file to grade
        assert (child["path"], child["entry"]) == ((str(one.parent), "gates.ipynb") if form is Form.NOTEBOOK
                                                   else (str(path), None))
        assert "work" not in spec.display
    assert nested.is_file()


def test_a_book_layout_partly_in_notebooks_is_a_workspace_but_the_complete_one_is_a_book(tmp_path):
    root = build_book_layout(tmp_path / "book")
    _notebook(root / "notebooks" / "ch02.ipynb", AND_CELL)
    assert _resolve(root, tmp_path).kind is Kind.BOOK  # every home file there: graded from its files
    (root / "ch02" / "and_gate.py").unlink()
    assert _resolve(root, tmp_path).kind is Kind.WORKSPACE


def test_one_py_and_loose_files_are_placed_onto_the_stubs(tmp_path):
    single = tmp_path / "my gates.py"
    single.write_text(GATES, encoding="utf-8")
    spec = _resolve(single, tmp_path)
    assert (spec.kind, spec.form, spec.source, spec.display) == (Kind.PACKAGE, Form.PYTHON_FILE, str(single),
                                                                 "my gates.py")
    assert spec.notes and "my gates.py → AND, NAND, OR, XOR used by exercises/gates.py" in spec.notes[0]
    loose = tmp_path / "upload"
    loose.mkdir()
    (loose / "gates.py").write_text(GATES, encoding="utf-8")
    spec = _resolve(loose, tmp_path)
    assert (spec.form, spec.source, spec.display) == (Form.LOOSE_FILES, str(loose), "upload (loose files)")
    assert (Path(spec.path) / "gates.py").read_text(encoding="utf-8") == GATES
    implementation = open_implementation(spec)
    try:
        assert implementation.get("AND")(1, 1) == 1
    finally:
        implementation.close()


def test_loose_files_differing_only_in_dash_and_underscore_do_not_overwrite_each_other(tmp_path):
    loose = tmp_path / "upload"
    loose.mkdir()
    (loose / "my-gates.py").write_text("def AND(x1, x2):\n    return 'dash'\n")
    (loose / "my_gates.py").write_text("def OR(x1, x2):\n    return 'underscore'\n")
    spec = _resolve(loose, tmp_path)
    implementation = open_implementation(spec)
    try:
        assert (implementation.get("AND")(0, 0), implementation.get("OR")(0, 0)) == ("dash", "underscore")
    finally:
        implementation.close()


def test_zips_of_each_form_and_a_folder_holding_one_zip(tmp_path):
    kit = tmp_path / "kit"
    copy_package(pristine_exercises(), kit / "alice" / "exercises")
    archive = _zip(tmp_path / "alice.zip", kit)
    spec = _resolve(archive, tmp_path)
    assert (spec.kind, spec.form, spec.source) == (Kind.PACKAGE, Form.ZIP, str(archive))
    assert spec.display == "alice.zip/alice/exercises" and Path(spec.path).is_relative_to(tmp_path / "work")
    book = _zip(tmp_path / "book.zip", build_book_layout(tmp_path / "layout"))
    assert _resolve(book, tmp_path).display == "book:book.zip"
    loose = tmp_path / "loose"
    loose.mkdir()
    (loose / "gates.py").write_text(GATES, encoding="utf-8")
    upload = tmp_path / "upload"
    upload.mkdir()
    _zip(upload / "submission.zip", loose)  # Gradescope keeps an uploaded zip whole
    spec = _resolve(upload, tmp_path)
    assert (spec.form, spec.display) == (Form.ZIP, "upload/submission.zip (loose files)")


def test_gradescopes_path_copies_then_resolves(tmp_path):
    submission = tmp_path / "submission"
    copy_package(pristine_exercises(), submission / "exercises")
    os.symlink(REFERENCE / "gates.py", submission / "exercises" / "answer.py")
    spec = resolve_submission(submission, tmp_path / "work")
    assert spec.form is Form.KIT and Path(spec.path).is_relative_to(tmp_path / "work")
    assert spec.display == "submission/exercises"
    assert spec.notes == ("left out of the graded copy: exercises/answer.py (a link leaving the submission)",)


# -- the record ----------------------------------------------------------------------------------------
def test_the_spec_is_frozen_and_travels_as_json_even_with_undecodable_names(tmp_path):
    folder = tmp_path / os.fsdecode(b"caf\xe9 d\xc3\xa9j\xc3\xa0")  # a latin-1 byte, then UTF-8
    copy_package(REFERENCE, folder)
    spec = _resolve(folder, tmp_path).with_notes("a note")
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.path = "/elsewhere"
    assert load_spec(spec.dump(tmp_path / "spec.json")) == spec
    assert ImplSpec.from_json(resolve("mutant:affine_dw_transposed").to_json()).base.label == "reference"
    json.loads((tmp_path / "spec.json").read_text(encoding="ascii"))
    # a learner's folder the child reads itself: the child is told so, with the component table
    unstaged = dataclasses.replace(spec, kind=Kind.WORKSPACE, form=Form.FOLDER)
    assert unstaged.child_spec()["kind"] == "workspace" and unstaged.child_spec()["path"] == str(folder)
    assert unstaged.child_spec()["components"]["Affine"]["homes"] == ["common/layers.py"]


# -- refusals name the thing, what was expected and what came -----------------------------------------
@pytest.mark.parametrize("make, expected", [
    (lambda tmp: "no-such-folder", "--impl=no-such-folder: no such file or folder"),
    (lambda tmp: "mutant:affine_dw", "did you mean affine_dw_transposed?"),
    (lambda tmp: "book:", "no path given"),
    (lambda tmp: (tmp / "notes.txt", (tmp / "notes.txt").write_text("x"))[0],
     "a .txt file; expected a folder, a notebook (.ipynb), a .py file or a .zip"),
    (lambda tmp: f"book:{(tmp / 'x.py', (tmp / 'x.py').write_text(''))[0]}", "not a folder; book:PATH expects"),
    (lambda tmp: ((tmp / "empty").mkdir(), tmp / "empty")[1], "empty: nothing to grade: expected an exercises/"),
    (lambda tmp: ((tmp / "bad.zip").write_bytes(b"PK\x03\x04 truncated"), tmp / "bad.zip")[1],
     "bad.zip: not a readable zip file"),
], ids=["missing", "mutant", "empty-book", "txt", "book-file", "empty-folder", "broken-zip"])
def test_refusals_say_what_was_expected_and_what_came(tmp_path, make, expected):
    value = make(tmp_path)
    with pytest.raises(IntakeError) as refused:
        resolve(str(value), tmp_path / "work", shown_from=tmp_path)
    assert expected in refused.value.for_option("--impl"), refused.value.for_option("--impl")


def test_a_value_needing_files_asks_for_a_work_folder_and_resolved_cleans_its_own(tmp_path):
    single = tmp_path / "gates.py"
    single.write_text(GATES, encoding="utf-8")
    with pytest.raises(ValueError, match="pass a work folder"):
        resolve(str(single))
    with resolved(str(single)) as spec:
        assembled = Path(spec.path)
        assert assembled.is_dir()
    assert not assembled.exists()


def test_a_folder_with_a_broken_notebook_is_a_learners_folder_not_a_refusal(tmp_path):
    """The child skips what it cannot read, with a note (checks/tests/isolation/test_notebooks.py)."""
    (tmp_path / "n").mkdir()
    (tmp_path / "n" / "x.ipynb").write_text("{not json")
    assert resolve(str(tmp_path / "n")).kind is Kind.WORKSPACE


# -- paths with spaces and non-ASCII characters, from any folder --------------------------------------
def test_grading_from_another_folder_a_zip_under_a_path_with_spaces_and_japanese(tmp_path):
    here = tmp_path / "a b" / "データ"
    loose = here / "提出 1"
    loose.mkdir(parents=True)
    (loose / "gates.py").write_text(GATES, encoding="utf-8")
    _zip(here / "提出.zip", loose)
    run = subprocess.run([sys.executable, "-m", "checks.grading", "--impl=提出.zip", "--component", "AND",
                          "--out", "out"], cwd=here, capture_output=True, text=True, timeout=600,
                         env={**os.environ, "PYTHONPATH": str(REPO_ROOT)})
    assert run.returncode == 0, run.stdout + run.stderr
    data = json.loads((here / "out" / "results.json").read_text(encoding="utf-8"))
    assert data["score"] == data["max_score"] > 0, data["output"]
    assert data["extra_data"]["impl"] == "提出.zip (loose files)"
    assert str(tmp_path) not in data["output"] and "dlfs-intake-" not in data["output"]


def test_pytest_takes_the_value_resolves_it_once_and_says_what_is_wrong(tmp_path):
    notebook = _notebook(tmp_path / "私の ノート.ipynb", AND_CELL)
    run = subprocess.run([sys.executable, "-m", "pytest", "checks/suite/test_components.py", f"--impl={notebook}",
                          "-k", "AND and truth and not NAND", "-q", "-n", "2", "-p", "no:cacheprovider"],
                         cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0 and "1 passed" in run.stdout, run.stdout[-2000:] + run.stderr[-2000:]
    run = subprocess.run([sys.executable, "-m", "pytest", "checks/suite/test_components.py",
                          f"--impl={tmp_path / 'nowhere'}", "-q", "-p", "no:cacheprovider"],
                         cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 4 and f"--impl={tmp_path / 'nowhere'}: no such file or folder" in run.stderr


def test_a_folder_of_python_files_in_folders_of_the_learners_own_naming_is_graded(tmp_path):
    """kaimu0719's layout: Backpropagation/AffineLayer.py, optimizer/Momentum/Momentum.py, no chapter folders."""
    (tmp_path / "Backpropagation").mkdir()
    (tmp_path / "Backpropagation" / "ReLULayer.py").write_text("class Relu:\n    pass\n", encoding="utf-8")
    (tmp_path / "optimizer" / "Momentum").mkdir(parents=True)
    (tmp_path / "optimizer" / "Momentum" / "Momentum.py").write_text("class Momentum:\n    pass\n", encoding="utf-8")
    with resolved(str(tmp_path)) as spec:
        assert spec.kind is Kind.WORKSPACE


def test_an_empty_init_at_the_top_of_a_book_layout_leaves_it_a_book_layout(tmp_path):
    """drxyzw's repository: ch02/ … ch06/, common/ and an empty __init__.py at the top."""
    (tmp_path / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "common").mkdir()
    (tmp_path / "common" / "layers.py").write_text("class Relu:\n    pass\n", encoding="utf-8")
    with resolved(str(tmp_path)) as spec:
        assert spec.kind is Kind.BOOK
