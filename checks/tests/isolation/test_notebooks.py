"""Notebooks graded end to end, in the child process: the book's notebooks/, a learner's own notebook,
a folder with a notebook that cannot be read, one component written in two chapters.

The rules of reading (one module per notebook, kernel order, chapters, what is skipped)
are tested on the reader itself, in test_workspace.py; here the whole grading run.
"""

import ast
import shutil
from pathlib import Path

import nbformat
import pytest

from checks.grading import grade
from checks.grading.provenance import source_notes
from checks.isolation.intake import Kind, resolve
from checks.library.components import TABLE
from checks.library.named.function_checks import check_sigmoid_no_overflow_warning
from checks.library.outcomes import Verdict
from checks.tests.fixtures.grading import BOOK_FILES, REFERENCE, build_book_layout
from checks.tests.fixtures.listings import ANY_SHAPE_GRADIENT

BOOK = Path(__file__).resolve().parents[3].parent / "shared" / "book-code"
MIRROR = BOOK.parent / "mirror"
needs_book = pytest.mark.skipif(not (BOOK / "notebooks").is_dir(), reason="../shared/book-code is not beside the checkout")


def _notebook(path, cells):
    """Write a notebook of ("md" | "code", source) cells."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell(source) if kind == "md" else nbformat.v4.new_code_cell(source)
                      for kind, source in cells]
    nbformat.write(notebook, str(path))
    return path


AFFINE = '''class Affine:
    def __init__(self, W, b):
        self.W, self.b = W, b
        self.x = self.original_x_shape = self.dW = self.db = None

    def forward(self, x):
        self.original_x_shape = x.shape
        self.x = x.reshape(x.shape[0], -1)
        return np.dot(self.x, self.W) + self.b

    def backward(self, dout):
        dx = np.dot(dout, self.W.T)
        self.dW = np.dot(self.x.T, dout)
        self.db = np.sum(dout, axis=0)
        return dx.reshape(*self.original_x_shape)
'''
SIGMOID_WRONG = '''class Sigmoid:
    def __init__(self):
        self.out = None

    def forward(self, x):
        self.out = 1 / (1 + np.exp(-x))
        return self.out

    def backward(self, dout):
        return dout * self.out  # planted: the derivative is out * (1 - out)
'''
SOFTMAX_WRONG = '''def softmax(x):
    e = np.exp(x)  # planted: no max subtraction, overflows
    return e / np.sum(e, axis=-1, keepdims=True)
'''


def _learner_notebook(folder):
    return _notebook(folder / "my_work.ipynb", [
        ("code", "%matplotlib inline\nimport sys, os\nsys.path.append(os.pardir)\nimport numpy as np"),
        ("code", SOFTMAX_WRONG),
        ("code", "class Affine:\n    pass  # an early draft, redefined below"),
        ("code", AFFINE),
        ("code", SIGMOID_WRONG),
        ("code", "x = np.random.randn(3, 4)\nprint(Affine(np.ones((4, 2)), np.zeros(2)).forward(x))\n"
                 "while True:\n    pass  # a training loop left running at top level"),
        # real learners' notebooks rebind names later; what they defined is what is graded
        ("code", "from common.layers import *"),
    ])


def test_a_learners_notebook_is_graded_with_its_last_definitions(tmp_path):
    path = _learner_notebook(tmp_path)
    assert resolve(str(path), tmp_path / "work").kind is Kind.WORKSPACE
    result = grade(str(path), components=["Affine", "Sigmoid", "softmax"])
    outcomes = {}
    for record in result.records:
        outcomes.setdefault(record.component, set()).add(record.outcome)
    assert outcomes["Affine"] == {"passed"}, "the last definition of Affine (cell 4) is graded"
    assert "wrong" in outcomes["Sigmoid"] and "wrong" in outcomes["softmax"]
    assert any("Affine graded from my_work.ipynb, cell 4" in note for note in result.notes), result.notes
    assert all("dlfs-notebooks-" not in record.message for record in result.records)


def test_a_learners_two_bugs_are_named_at_the_top_of_the_summary(tmp_path):
    from checks.grading.report import render_summary

    summary = render_summary(grade(str(_learner_notebook(tmp_path))))
    lines = summary.splitlines()
    assert lines[1].startswith("next: softmax (chapter 3"), lines[:3]
    failures = summary[summary.index("Failures ("):]
    assert failures.index("1. softmax") < failures.index("2. Sigmoid"), failures[:400]
    assert "[impl: my_work.ipynb]" in failures and "dlfs-notebooks-" not in summary


@needs_book
def test_the_books_notebooks_folder_passes_every_check_as_its_py_layout_does(tmp_path):
    # The book's .py layout passes every check: test_book_api.py runs the whole suite on it (in its
    # process), and the corpus grades both layouts, isolated, at 100 % ("the book's code today",
    # docs/corpus.md). So the notebooks must pass every check here too; grading the .py layout
    # beside them as well was a second full grading (7-8 s of CPU in make check) to compare
    # against the same all-passed set.
    root = tmp_path / "book"
    shutil.copytree(BOOK / "notebooks", root / "notebooks")
    shutil.copytree(BOOK / "dataset", root / "dataset")
    for archive in (MIRROR / "mnist").glob("*.gz"):
        shutil.copyfile(archive, root / "dataset" / archive.name)
    from_notebooks = grade(str(root / "notebooks"))
    not_passed = [(r.name, r.outcome, r.message.splitlines()[:2]) for r in from_notebooks.records
                  if r.outcome not in (Verdict.PASSED, Verdict.DEVIATION)]
    assert not not_passed
    # the maximum is summed over the records present: a component not found would lower it
    assert from_notebooks.exact_score == from_notebooks.exact_max_score == 100
    # the book's sigmoid warns on overflow, in either layout (a declared deviation, no points lost)
    assert {(r.component, r.check) for r in from_notebooks.deviations} == {
        ("sigmoid", check_sigmoid_no_overflow_warning.__name__)}


@needs_book
def test_a_book_layout_whose_chapter_2_is_only_a_notebook(tmp_path):
    root = tmp_path / "book"
    shutil.copytree(BOOK, root, ignore=shutil.ignore_patterns("notebooks"))
    for script in (root / "ch02").glob("*.py"):
        script.unlink()
    _notebook(root / "ch02" / "gates.ipynb", [
        ("code", "import numpy as np\n\ndef AND(x1, x2):\n    w, b = np.array([0.5, 0.5]), -0.7\n"
                 "    return int(np.sum(w * np.array([x1, x2])) + b > 0)\n\n"
                 "def NAND(x1, x2):\n    w, b = np.array([-0.5, -0.5]), 0.7\n"
                 "    return int(np.sum(w * np.array([x1, x2])) + b > 0)\n\n"
                 "def OR(x1, x2):\n    w, b = np.array([0.5, 0.5]), -0.2\n"
                 "    return int(np.sum(w * np.array([x1, x2])) + b > 0)\n"),
        ("code", "def XOR(x1, x2):\n    return AND(NAND(x1, x2), OR(x1, x2))\n\nfor xs in [(0, 0), (1, 0)]:\n    print(XOR(*xs))"),
    ])
    assert resolve(f"book:{root}", tmp_path / "w1").kind is resolve(str(root), tmp_path / "w2").kind is Kind.WORKSPACE
    result = grade(f"book:{root}", chapters=[2])
    assert [r.outcome for r in result.records] == ["passed"] * 4
    assert any("XOR graded from ch02/gates.ipynb, cell 2" in note for note in result.notes), result.notes


def test_a_folder_with_unreadable_notebooks_is_graded_with_notes(tmp_path):
    (tmp_path / "empty.ipynb").write_text("", encoding="utf-8")
    (tmp_path / "broken.ipynb").write_text('{"cells": [{"cell_type": "code", "source": "def AND(', encoding="utf-8")
    (tmp_path / "script.ipynb").write_text("# %%\nimport numpy as np\n\n# %%\ndef OR(x1, x2):\n"
                                           "    return int(0.5 * x1 + 0.5 * x2 - 0.2 > 0)\n", encoding="utf-8")
    _notebook(tmp_path / "ch02.ipynb", [("code", "import numpy as np\nimport keras  # only for data\n\n"
                                                 "def AND(x1, x2):\n    return int(0.5 * x1 + 0.5 * x2 - 0.7 > 0)")])
    result = grade(str(tmp_path), components=["AND", "OR", "XOR"])
    assert {r.component: (r.outcome, r.detail) for r in result.records} == {
        "AND": ("passed", "passed"), "OR": ("passed", "passed"), "XOR": ("not_attempted", "missing")}
    notes = "\n".join(result.notes)
    assert "empty.ipynb could not be read (an empty file): skipped, the rest was graded" in notes
    assert "broken.ipynb could not be read (neither a notebook nor a Python script: " in notes
    assert "script.ipynb is a Python script (percent format), not a notebook: read as a script" in notes
    assert "ch02.ipynb, cell 1: `import keras  # only for data` failed (ModuleNotFoundError" in notes
    assert "AND graded from ch02.ipynb, cell 1" in notes and "OR graded from script.ipynb, cell 2" in notes
    assert {(r["component"], r["file"], r["cell"]) for r in result.sources["resolved"]} == \
        {("AND", "ch02.ipynb", 1), ("OR", "script.ipynb", 2), ("XOR", None, None)}


# §4.5.1's network as a learner types it, its helpers from the folder's common/
_CH04_NETWORK = (REFERENCE / "ch04" / "two_layer_net.py").read_text(encoding="utf-8").replace(
    "from ..", "from common.dlfs_copy.")


def test_a_network_written_in_two_chapters_is_graded_against_each_chapters_cases(tmp_path):
    """The ch04 notebook's TwoLayerNet (§4.5.1's) draws its weights from `rand` (uniform, all positive):
    only its initial-weight case fails; the chapter-5 TwoLayerNet's cases grade the ch05 notebook's."""
    root = build_book_layout(tmp_path / "book")
    for chapter in ("ch04", "ch05"):  # the learner's work is in the notebooks
        (root / chapter / "two_layer_net.py").unlink()
    _notebook(root / "ch04" / "ch04.ipynb", [("md", "# 4章 ニューラルネットワークの学習"),
                                             ("code", _CH04_NETWORK.replace("np.random.randn", "np.random.rand"))])
    _notebook(root / "ch05" / "ch05.ipynb", [("code", BOOK_FILES["ch05/two_layer_net.py"])])
    result = grade(f"book:{root}", components=[row.name for row in TABLE if "TwoLayerNet" in row.names])
    failed = {(record.chapter, record.outcome) for record in result.records if "initial_weight" in record.name}
    others = {(record.chapter, record.outcome) for record in result.records if "initial_weight" not in record.name}
    assert failed == {(4, "wrong"), (5, "passed")} and others == {(4, "passed"), (5, "passed")}, \
        [(r.name, r.outcome) for r in result.records]
    graded = {(r["chapter"], r["file"]) for r in result.sources["resolved"]}
    assert graded == {(4, "ch04/ch04.ipynb"), (5, "ch05/ch05.ipynb")}
    assert any(note.startswith("TwoLayerNet (chapter 4) graded from ch04/ch04.ipynb, cell 2") for note in result.notes)


def test_the_notes_say_which_definition_was_graded_and_why():
    resolved = [{"component": "Affine", "chapter": 5, "status": "found", "file": "notes/mine.ipynb", "cell": 3,
                 "line": 1, "copy": False, "origin": "notebook", "failed": [],
                 "others": [{"file": "common/layers.py", "cell": None, "copy": True, "chapter": None, "why": "copy"}]},
                {"component": "Dropout", "chapter": 6, "status": "found", "file": "common/layers.py", "cell": None,
                 "line": 40, "copy": True, "origin": "book_file", "others": [], "failed": []},
                {"component": "Relu", "chapter": 5, "status": "found", "file": "common/layers.py", "cell": None,
                 "line": 4, "copy": False, "origin": "book_file", "others": [], "failed": []}]
    notes = source_notes({"notes": [], "resolved": resolved})
    assert notes == ["Affine graded from notes/mine.ipynb, cell 3; your own definition, not the copy of the book's "
                     "published code in common/layers.py",
                     "Dropout graded from common/layers.py, a copy of the book's published code (no definition of "
                     "your own was found)"]


def test_the_records_from_the_learners_side_are_checked_before_use(tmp_path):
    """sources-*.json come from the child's answers: wrong shapes are dropped, long texts capped, duplicates merged."""
    import json

    from checks.grading.provenance import merge_sources

    (tmp_path / "sources-1.json").write_text(json.dumps({"notes": [
        {"kind": "unreadable", "file": "x" * 5000, "reason": "empty"}, "not a record", {"no": "kind"}],
        "resolved": [{"component": "Affine", "chapter": 5, "status": "missing"}, 42],
        "defined": ["Affine", "NotAComponent", 7]}))
    (tmp_path / "sources-2.json").write_text(json.dumps({"notes": [], "defined": [],
        "resolved": [{"component": "Affine", "chapter": 5, "status": "found", "file": "a.ipynb", "cell": 2}]}))
    (tmp_path / "sources-3.json").write_text("{ truncated")
    merged = merge_sources(tmp_path)
    assert [len(note["file"]) for note in merged["notes"]] == [300]
    assert merged["resolved"] == [{"component": "Affine", "chapter": 5, "status": "found", "file": "a.ipynb", "cell": 2}]
    assert merged["defined"] == ["Affine"]


def test_an_addlayer_without_a_mullayer_of_its_own_is_graded_on_its_own(tmp_path):
    """§5.4.2's graph needs a MulLayer too; a folder with only an AddLayer is still graded on its AddLayer."""
    _notebook(tmp_path / "ch05.ipynb", [("code", "class AddLayer:\n    def forward(self, x, y):\n        return x + y\n\n"
                                                 "    def backward(self, dout):\n        return dout * 1, dout * 1")])
    result = grade(str(tmp_path), components=["AddLayer", "MulLayer"])
    assert {r.component: r.outcome for r in result.records} == {"AddLayer": "passed", "MulLayer": "not_attempted"}


def test_a_mullayer_without_an_addlayer_is_graded_on_its_own(tmp_path):
    """§5.4.1's apple graph needs no AddLayer: a folder with only a MulLayer has it graded."""
    _notebook(tmp_path / "ch05.ipynb", [("code", "class MulLayer:\n    def forward(self, x, y):\n        self.x, self.y = x, y\n"
                                                 "        return x * y\n\n    def backward(self, dout):\n"
                                                 "        return dout * self.y, dout * self.x")])
    result = grade(str(tmp_path), components=["MulLayer"])
    assert {r.component: r.outcome for r in result.records} == {"MulLayer": "passed"}


def test_each_of_a_learners_definitions_is_graded_and_a_failure_names_its_file(tmp_path):
    """TakuroTerui's layout: ch04's numerical_gradient is right, ch05's ends in a bare `return`; the chosen one
    (ch04's, the component's chapter) passes, the other fails each check, named where it is. A draft that
    cannot be loaded (it needs a package that is not there) costs nothing, as no such definition is chosen."""
    right = ANY_SHAPE_GRADIENT
    for chapter in ("ch04", "ch05", "ch06"):
        (tmp_path / chapter).mkdir()
    _notebook(tmp_path / "ch04" / "ch04.ipynb", [("code", right)])
    _notebook(tmp_path / "ch05" / "ch05.ipynb", [("code", right.replace("    return out", "    return"))])
    _notebook(tmp_path / "ch06" / "ch06.ipynb", [("code", "import keras_not_installed\n"
                                                          "def numerical_gradient(f, x=keras_not_installed):\n"
                                                          "    return x")])
    result = grade(str(tmp_path), components=["numerical_gradient"])
    assert {r.outcome for r in result.records} == {"wrong"}, [(r.name, r.outcome) for r in result.records]
    named = [r for r in result.records if "[impl: " in r.message]  # the others: properties left uncredited
    assert len(named) >= 6 and all("ch05/ch05.ipynb, cell 1]" in r.message for r in named), named[0].message
    assert {r.variant for r in named} == {"ch05/ch05.ipynb, cell 1"}
    assert any("numerical_gradient graded from ch04/ch04.ipynb, cell 1; your other definitions, in "
               "ch05/ch05.ipynb, cell 1, were graded too" in note for note in result.notes), result.notes


def test_sections_7_4_forward_alone_gives_way_to_a_layer_with_backward_and_is_graded_on_forward(tmp_path):
    """§7.4.3 prints Convolution's forward alone (backward is in common/layers.py). A learner's cell as printed
    gives way to the folder's layer that has backward, and is graded besides it on what it defines: a right
    forward costs nothing, a wrong one (0x-CHUN's Pooling takes np.max of `out` before out exists) fails."""
    root = build_book_layout(tmp_path / "book")
    (root / "ch07").mkdir(exist_ok=True)
    wrong_pooling = _forward_alone("Pooling", ("np.max(col, axis=1)", "np.max(out, axis=1)"))
    _notebook(root / "ch07" / "ch07.ipynb", [("code", _forward_alone("Convolution")), ("code", wrong_pooling)])
    result = grade(f"book:{root}", components=["Convolution", "Pooling"])
    outcomes = {}
    for record in result.records:
        outcomes.setdefault(record.component, set()).add(record.outcome)
    assert outcomes["Convolution"] == {"passed"}, [(r.name, r.message[:200]) for r in result.failures]
    wrong = [r for r in result.records if r.component == "Pooling" and r.outcome == "error"]
    assert wrong and {r.variant for r in wrong} == {"ch07/ch07.ipynb, cell 2"}
    assert all(r.message.startswith("Pooling (ch07/ch07.ipynb, cell 2).forward raised UnboundLocalError")
               for r in wrong), [r.message[:200] for r in wrong]


def _forward_alone(name, change=None):
    """A notebook cell with the book's `name` layer as §7.4 prints it (forward alone), read from
    ../shared/book-code at test time (the book's code is never committed here); `change`: (old, new) text."""
    if not (BOOK / "common" / "layers.py").is_file():
        pytest.skip("../shared/book-code is not beside the checkout")
    tree = ast.parse((BOOK / "common" / "layers.py").read_text(encoding="utf-8"))
    layer = next(node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == name)
    layer.body = [node for node in layer.body if getattr(node, "name", None) != "backward"]
    code = "import numpy as np\nfrom common.util import im2col\n\n" + ast.unparse(layer) + "\n"
    if change is not None:
        assert change[0] in code
        code = code.replace(*change)
    return code
