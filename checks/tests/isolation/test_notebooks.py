"""Notebooks are graded where code is: the book's notebooks/, a learner's own notebook, magics."""

import shutil
from pathlib import Path

import nbformat
import pytest

from checks.grading import grade
from checks.isolation.intake import Kind, resolve
from checks.isolation.notebooks import cell_to_python, convert, definitions_only

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


def test_magics_and_shell_escapes():
    assert cell_to_python("%matplotlib inline\nx = 1\n!pip install numpy\nfiles = !ls\n") == "\nx = 1\n\n\n"
    assert "import numpy as np" in cell_to_python("%pylab inline\n")
    assert "import matplotlib.pyplot as plt" in cell_to_python("%pylab inline\n")
    assert cell_to_python("%%bash\necho hi\n") == ""
    assert cell_to_python("%%time\ny = 2\n") == "y = 2\n"
    assert cell_to_python("np.zeros?\n") == "\n"


def test_definitions_only_drops_training_loops_prints_and_plots():
    code = ("import numpy as np\nLR = 0.1\nclass Net:\n    pass\nfor i in range(10**9):\n    pass\n"
            "print('hi')\nplt.show()\nnet = Net()\n")
    kept = definitions_only(code)
    assert "class Net" in kept and "LR = 0.1" in kept and "import numpy" in kept
    assert "range" not in kept and "print" not in kept and "show" not in kept and "net = " not in kept


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


def test_conversion_writes_the_definitions_where_the_book_keeps_them(tmp_path):
    conversion = convert(_learner_notebook(tmp_path), tmp_path / "out")
    layers = (tmp_path / "out" / "common" / "layers.py").read_text()
    assert "import Affine, Sigmoid" in layers
    namespace = (tmp_path / "out" / "_notebooks" / "my_work.py").read_text()
    assert "while True" not in namespace and "pass  # an early draft" not in namespace
    assert "from common.layers import" not in namespace, "a star import of its own home would be circular"
    assert conversion.provenance["Sigmoid"] == "my_work.ipynb, cell 5"


@needs_book
def test_the_books_notebooks_folder_grades_like_its_py_layout(tmp_path):
    root = tmp_path / "book"
    shutil.copytree(BOOK / "notebooks", root / "notebooks")
    shutil.copytree(BOOK / "dataset", root / "dataset")
    for archive in (MIRROR / "mnist").glob("*.gz"):
        shutil.copyfile(archive, root / "dataset" / archive.name)
    from_notebooks = grade(str(root / "notebooks"))
    counts = from_notebooks.counts()
    assert counts["not_attempted"] == 0 and counts["error"] == 0, from_notebooks.failures[:3]
    layout = tmp_path / "layout"
    shutil.copytree(BOOK, layout, ignore=shutil.ignore_patterns("notebooks"))
    from_files = grade(f"book:{layout}")
    assert {(r.name, r.outcome) for r in from_notebooks.records} == {(r.name, r.outcome) for r in from_files.records}
    assert from_notebooks.score == from_files.score


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
