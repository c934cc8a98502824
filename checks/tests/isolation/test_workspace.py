"""A learner's folder read as Jupyter and the book's repository read it (checks/isolation/child/sandboxed/workspace.py).

Every notebook here is written by the test, as JSON, so each rule is shown on the
smallest folder that needs it; the same rules on real learners' repositories are
measured outside the repository (the corpus, docs/corpus.md).
"""

import json
import sys

import pytest

from checks.isolation.intake.spec import component_table
from checks.isolation.child.sandboxed import copies, folder as folder_module
from checks.isolation.child.sandboxed.cells import Unreadable, cell_to_python, read_notebook
from checks.isolation.child.sandboxed.chapters import chapter_of_heading, chapter_of_path
from checks.isolation.child.sandboxed.missing import MissingName
from checks.isolation.child.sandboxed.workspace import Workspace
from checks.tests.fixtures.listings import ANY_SHAPE_GRADIENT, ONE_D_GRADIENT

COMPONENTS = component_table()


def notebook(path, *cells, version=4):
    """Write a notebook of cells: a string is a code cell, ("md", text) a markdown one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"cells": [], "metadata": {}, "nbformat": version, "nbformat_minor": 5}
    for cell in cells:
        kind, source = cell if isinstance(cell, tuple) else ("code", cell)
        entry = {"cell_type": "markdown" if kind == "md" else "code", "metadata": {},
                 "source": source.splitlines(True)}
        if kind != "md":
            entry.update(outputs=[], execution_count=None)
        document["cells"].append(entry)
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def open_workspace(monkeypatch):
    """Open Workspaces in this process; what they change in sys (path, modules, finders, cwd) is undone."""
    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.setattr(sys, "meta_path", list(sys.meta_path))
    before = set(sys.modules)
    opened = []

    def open_(path, **options):
        found = Workspace(path, COMPONENTS, **options)
        opened.append(found)
        return found

    yield open_
    for name in set(sys.modules) - before:
        del sys.modules[name]


def graded(found, name, chapter=None):
    found.resolve(name, chapter)
    record = found.provenance(name, chapter)
    return record["file"] if record["cell"] is None else f"{record['file']}, cell {record['cell']}"


# -- 1. each notebook on its own ---------------------------------------------------------------
def test_notebooks_of_one_name_in_different_folders_never_collide(tmp_path, open_workspace):
    for chapter, weight in (("C02", 0.5), ("C03", 2.0)):
        write(tmp_path / chapter / "helpers.py", f"WEIGHT = {weight}\n")
        notebook(tmp_path / chapter / "note.ipynb", "import numpy as np\nfrom helpers import WEIGHT",
                 "def AND(x1, x2):\n    return int(WEIGHT * (x1 + x2) > 0.7)" if chapter == "C02" else
                 "def step_function(x):\n    return np.array(x * WEIGHT > 0, dtype=int)")
    notebook(tmp_path / "ch3-work.ipynb", "def relu(x):\n    return x")
    notebook(tmp_path / "ch3_work.ipynb", "import numpy as np\ndef relu(x):\n    return np.maximum(0, x)")
    found = open_workspace(tmp_path)
    # each notebook imported its own folder's helpers.py
    assert found.resolve("AND")(1, 0) == 0 and found.resolve("AND")(1, 1) == 1
    assert list(found.resolve("step_function")(__import__("numpy").array([-1.0, 1.0]))) == [0, 1]
    assert graded(found, "AND") == "C02/note.ipynb, cell 2"
    assert graded(found, "step_function") == "C03/note.ipynb, cell 2"
    # two notebooks whose names differ only by - and _ are two modules; the other is named
    found.resolve("relu")
    record = found.provenance("relu")
    assert record["file"] == "ch3-work.ipynb" and record["others"][0]["file"] == "ch3_work.ipynb"
    assert len({definition.source.module_name for definition in found.definitions["relu"]}) == 2


def test_a_failed_import_costs_only_what_depends_on_it(tmp_path, open_workspace):
    notebook(tmp_path / "ch05.ipynb",
             "import numpy as np\nfrom keras.datasets import mnist\nfrom google.colab import drive",
             "class Relu:\n    def __init__(self):\n        self.mask = None\n"
             "    def forward(self, x):\n        self.mask = x <= 0\n        out = x.copy()\n        out[self.mask] = 0\n"
             "        return out\n    def backward(self, dout):\n        dout[self.mask] = 0\n        return dout",
             "class Affine(mnist.Layer):\n    pass",
             "import pandas_not_installed_dlfs as pd\ndef sigmoid(x):\n    return 1 / (1 + np.exp(-x))")
    notebook(tmp_path / "ch06.ipynb", "import keras\nclass SGD:\n    def __init__(self, lr=0.01):\n        self.lr = lr")
    found = open_workspace(tmp_path)
    assert found.resolve("Relu")().forward(__import__("numpy").array([-1.0, 2.0])).tolist() == [0.0, 2.0]
    assert found.resolve("sigmoid")(0.0) == 0.5
    assert found.resolve("SGD")().lr == 0.01
    with pytest.raises(MissingName, match="ch05.ipynb, cell 3.*NameError: name 'mnist'"):
        found.resolve("Affine")
    failed = {(n["file"], n["cell"], n["statement"]) for n in found.notes if n["kind"] == "statement_failed"}
    assert ("ch05.ipynb", 1, "from keras.datasets import mnist") in failed
    assert ("ch05.ipynb", 1, "from google.colab import drive") in failed
    assert ("ch06.ipynb", 1, "import keras") in failed
    assert any("keras" in n["error"] for n in found.notes if n["kind"] == "statement_failed")


def test_the_notebooks_folder_and_the_repository_root_are_on_the_path_and_the_folder_is_the_cwd(tmp_path, open_workspace):
    root = tmp_path / "book1"
    write(root / "common" / "__init__.py", "")
    write(root / "common" / "functions.py", "def softmax(x):\n    return x\n")
    write(root / "dataset" / "__init__.py", "")
    notebook(root / "ch04" / "work.ipynb",
             "import os\nfrom common.functions import softmax as _unused  # no sys.path.append needed",
             "def numerical_diff(f, x, where=os.getcwd()):\n    return where")
    found = open_workspace(tmp_path)
    assert found.resolve("numerical_diff")(None, 0) == str(root / "ch04")
    assert not [n for n in found.notes if n["kind"] == "statement_failed"]


# -- 2. the learner's own work wins -----------------------------------------------------------
def test_a_learners_notebook_beats_a_copy_of_the_book_and_a_file_without_the_name(tmp_path, open_workspace, monkeypatch):
    write(tmp_path / "common" / "__init__.py", "")
    write(tmp_path / "common" / "layers.py", "class Affine:\n    BOOK = True\n")  # stands for a copy of the book
    write(tmp_path / "common" / "functions.py", "def sigmoid(x):\n    return x\n")  # defines no softmax
    notebook(tmp_path / "notes" / "mine.ipynb", "class Affine:\n    BOOK = False",
             "def softmax(x):\n    return 'mine'")
    monkeypatch.setattr(copies, "is_book_copy", lambda name, node: "BOOK = True" in __import__("ast").unparse(node))
    found = open_workspace(tmp_path)
    assert found.resolve("Affine").BOOK is False
    record = found.provenance("Affine")
    assert (record["file"], record["cell"], record["copy"]) == ("notes/mine.ipynb", 1, False)
    assert record["others"] == [{"file": "common/layers.py", "cell": None, "line": 1, "copy": True, "chapter": None,
                                 "why": "copy"}]
    assert found.resolve("softmax")(0) == "mine"
    # with nothing of the learner's own, the copy is what there is, and the record says so
    notebook(tmp_path / "notes" / "mine.ipynb", "x = 1")
    found = open_workspace(tmp_path)
    assert found.resolve("Affine").BOOK is True and found.provenance("Affine")["copy"] is True


def test_a_learners_last_cell_wins_even_when_it_is_the_books_code_typed_exactly(tmp_path, open_workspace, monkeypatch):
    """The book shows a bad numerical_diff (h = 10e-50) before the right one; a learner typing both ends with
    the right one, which is the book's code: their earlier draft must not be graded instead."""
    notebook(tmp_path / "ch04.ipynb", "def numerical_diff(f, x):\n    h = 10e-50\n    return (f(x + h) - f(x)) / h",
             "def numerical_diff(f, x):\n    h = 1e-4\n    return (f(x + h) - f(x - h)) / (2 * h)")
    monkeypatch.setattr(copies, "is_book_copy", lambda name, node: "0.0001" in __import__("ast").unparse(node))
    found = open_workspace(tmp_path)
    assert graded(found, "numerical_diff") == "ch04.ipynb, cell 2"
    assert found.provenance("numerical_diff")["copy"] is True


def test_a_function_is_never_graded_as_a_layer_of_the_same_spelling(tmp_path, open_workspace, monkeypatch):
    """`def ReLU(x)` in a chapter-6 experiment is the activation function, not the Relu layer (even when the
    only Relu layer is a copy of the book's, which a learner's own definition would beat)."""
    monkeypatch.setattr(copies, "is_book_copy", lambda name, node: name == "Relu")
    write(tmp_path / "common" / "layers.py", "class Relu:\n    LAYER = True\n")
    notebook(tmp_path / "ch06.ipynb", "import numpy as np\ndef ReLU(x):\n    return np.maximum(0, x)")
    found = open_workspace(tmp_path)
    assert found.resolve("Relu").LAYER is True


def test_another_file_is_the_learners_own_only_where_its_layout_lacks_the_books_file(tmp_path, open_workspace,
                                                                                      monkeypatch):
    """A chapter script's variant beside the book's own file is not the component; a learner's own module in a
    layout of their own is, even beside a downloaded copy of the book's repository."""
    monkeypatch.setattr(copies, "is_book_copy", lambda name, node: "COPY" in __import__("ast").unparse(node))
    write(tmp_path / "common" / "gradient.py", "def numerical_gradient(f, x):\n    'COPY'\n    return 'home'\n")
    write(tmp_path / "ch04" / "gradient_2d.py", "def numerical_gradient(f, x):\n    return 'row by row'\n")
    write(tmp_path / "samples" / "common" / "layers.py", "class Affine:\n    'COPY'\n")
    write(tmp_path / "Chapter5" / "Layer" / "Affine.py", "class Affine:\n    MINE = True\n")
    found = open_workspace(tmp_path)
    assert found.resolve("numerical_gradient")(None, None) == "home"
    assert found.resolve("Affine").MINE is True


def test_a_learners_own_module_beside_a_copy_of_the_books_common_is_theirs(tmp_path, open_workspace, monkeypatch):
    """at-grandpa's layout: common/ downloaded from the book, the learner's softmax in lib/softmax.py, which
    their chapter scripts import: that one is graded, not the copy."""
    monkeypatch.setattr(copies, "is_book_copy", lambda name, node: "COPY" in __import__("ast").unparse(node))
    write(tmp_path / "common" / "functions.py", "def softmax(x):\n    'COPY'\n    return 'copy'\n")
    write(tmp_path / "lib" / "softmax.py", "def softmax(x):\n    return 'mine'\n")
    write(tmp_path / "ch03" / "softmax_demo.py", "from lib.softmax import softmax\n")
    found = open_workspace(tmp_path)
    assert found.resolve("softmax")(None) == "mine"
    # HYEZ's layout: the learner's ch3/softmax.py (a file the book never had) is theirs too
    (tmp_path / "lib" / "softmax.py").unlink()
    write(tmp_path / "ch3" / "softmax.py", "def softmax(x):\n    return 'typed in chapter 3'\n")
    found = open_workspace(tmp_path)
    assert found.resolve("softmax")(None) == "typed in chapter 3"


def test_a_home_reached_through_a_symlinked_folder_is_the_file_it_points_to(tmp_path, open_workspace, monkeypatch):
    """at-grandpa links each chapter folder's common/ to the top one (`ch01/common -> ../common`): the link is
    not a second definition, from chapter 1, that beats the learner's own lib/softmax.py."""
    monkeypatch.setattr(copies, "is_book_copy", lambda name, node: "COPY" in __import__("ast").unparse(node))
    write(tmp_path / "common" / "functions.py", "def softmax(x):\n    'COPY'\n    return 'copy'\n")
    write(tmp_path / "lib" / "softmax.py", "def softmax(x):\n    return 'mine'\n")
    write(tmp_path / "ch01" / "hello.py", "print('hello')\n")
    (tmp_path / "ch01" / "common").symlink_to("../common")
    found = open_workspace(tmp_path)
    assert found.resolve("softmax")(None) == "mine"
    assert found.provenance("softmax")["file"] == "lib/softmax.py"


def test_a_chapter_file_of_the_learners_own_naming_is_read_definitions_only(tmp_path, open_workspace):
    """hongsj2001's Ch04/4.5.1.py defines the chapter-4 TwoLayerNet, then computes its numerical gradient on a
    784-100-10 network at top level (minutes): not a file the book's scripts import, so not imported whole.
    A file where the book keeps one (ch04/two_layer_net.py) still is."""
    write(tmp_path / "common" / "functions.py", "def relu(x):\n    return x\n")
    write(tmp_path / "Ch04" / "4.5.1.py", "import numpy as np\nSTD = 0.01\nDEMO = []\nclass TwoLayerNet:\n"
          "    def std(self):\n        return STD, DEMO\nDEMO.append('the demo ran')\n")
    write(tmp_path / "Ch05" / "two_layer_net.py", "SIDE = []\nclass TwoLayerNet:\n"
          "    def side(self):\n        return SIDE\nSIDE.append('ran')\n")
    found = open_workspace(tmp_path)
    assert found.resolve("ch04.TwoLayerNet")().std() == (0.01, [])
    assert found.resolve("TwoLayerNet")().side() == ["ran"]


def test_each_of_the_learners_own_definitions_is_graded_as_it_was_made(tmp_path, open_workspace, monkeypatch):
    """A component written in several files or notebooks is graded as each (`variants`), one per file or
    notebook (its last definition); not a copy where the book keeps the file, nor a chapter script's variant.
    TakuroTerui's ch05 notebook redefines numerical_gradient with a bare `return`; HYEZ typed the book's
    Dropout into ch6/dropout.py without importing numpy."""
    monkeypatch.setattr(copies, "is_book_copy", lambda name, node: "COPY" in __import__("ast").unparse(node))
    write(tmp_path / "common" / "gradient.py", "def numerical_gradient(f, x):\n    'COPY'\n    return 'home'\n")
    write(tmp_path / "common" / "layers.py", "class Dropout:\n    'COPY'\n")
    write(tmp_path / "ch04" / "gradient_2d.py", "def numerical_gradient(f, x):\n    return 'row by row'\n")
    write(tmp_path / "chapter4" / "gradient_2d.py", "def numerical_gradient(f, x):\n    return 'renamed folder'\n")
    write(tmp_path / "ch6" / "dropout.py", "class Dropout:\n    'COPY'\n    TYPED = True\n")
    (tmp_path / "ch07").mkdir()
    (tmp_path / "ch07" / "common").symlink_to("../common")
    notebook(tmp_path / "ch04" / "ch04.ipynb", "def numerical_gradient(f, x):\n    return 'ch04'")
    notebook(tmp_path / "ch05" / "ch05.ipynb", "def numerical_gradient(f, x):\n    return 'ch05 draft'",
             "def numerical_gradient(f, x):\n    return None")
    found = open_workspace(tmp_path)
    assert found.resolve("numerical_gradient", 4)(None, None) == "ch04"
    assert [(v["file"], v["cell"]) for v in found.variants("numerical_gradient", 4)] == [("ch05/ch05.ipynb", 2)]
    assert "variants" not in found.provenance("numerical_gradient", 4)  # said once graded
    assert found.resolve("numerical_gradient", 4, variant=0)(None, None) is None
    assert found.provenance("numerical_gradient", 4)["variants"] == [
        {"file": "ch05/ch05.ipynb", "cell": 2, "line": 1, "chapter": 5}]
    # the copy where the book keeps Dropout is graded; the one typed into a file of the learner's naming too
    assert not hasattr(found.resolve("Dropout"), "TYPED")
    assert [v["file"] for v in found.variants("Dropout")] == ["ch6/dropout.py"]
    assert found.resolve("Dropout", variant=0).TYPED is True
    # a component found once has no other definition; one not found has none either
    assert found.variants("softmax") == [] and found.variants("Affine") == []
    with pytest.raises(MissingName):
        found.resolve("numerical_gradient", 4, variant=1)


def test_a_learners_file_wins_over_a_book_notebook_cell_holding_the_same_file(tmp_path, open_workspace):
    write(tmp_path / "common" / "__init__.py", "")
    write(tmp_path / "common" / "functions.py", "def relu(x):\n    return 'file'\n")
    notebook(tmp_path / "notebooks" / "common.ipynb", ("md", "# common/functions.py"), "def relu(x):\n    return 'cell'")
    found = open_workspace(tmp_path)
    assert found.resolve("relu")(0) == "file"


# -- 3. kernel order ---------------------------------------------------------------------------
def test_a_definition_sees_what_the_kernel_had_when_it_was_made(tmp_path, open_workspace):
    write(tmp_path / "helpers.py", "def softmax(x):\n    return 'imported'\n")
    notebook(tmp_path / "ch05.ipynb",
             "def softmax(x):\n    return 'broken draft'",
             "from helpers import *",
             "class SoftmaxWithLoss:\n    def forward(self, x, t):\n        return softmax(x), later(x)",
             "def softmax(x):\n    return 'redefined after'",
             "def later(x):\n    return 'defined after, run before use'")
    found = open_workspace(tmp_path)
    assert found.resolve("SoftmaxWithLoss")().forward(0, 0) == ("imported", "defined after, run before use")
    assert found.resolve("softmax")(0) == "redefined after"  # the last definition of softmax itself


def test_a_component_defined_in_two_chapters_is_graded_as_each(tmp_path, open_workspace):
    notebook(tmp_path / "ch04.ipynb", "class TwoLayerNet:\n    CHAPTER = 4")
    notebook(tmp_path / "ch05" / "backprop.ipynb", "class TwoLayerNet:\n    CHAPTER = 5")
    found = open_workspace(tmp_path)
    # the component table decides the chapter (`ch04.TwoLayerNet`, `TwoLayerNet`); the chapter being
    # checked only orders the definitions of one component
    assert [found.resolve(name, chapter).CHAPTER for name, chapter in
            (("ch04.TwoLayerNet", None), ("TwoLayerNet", None), ("TwoLayerNet", 5), ("ch04.TwoLayerNet", 3))] \
        == [4, 5, 5, 4]
    record = found.provenance("ch04.TwoLayerNet")
    assert record["source_chapter"] == 4 and record["file"] == "ch04.ipynb"


def test_two_components_of_one_name_each_take_the_definitions_of_their_own_chapter(tmp_path, monkeypatch):
    """With the ch04 TwoLayerNet a component of its own, a ch05 notebook's TwoLayerNet is never graded as it."""
    table = {**COMPONENTS, "ch04.TwoLayerNet": {"chapter": 4, "names": ["TwoLayerNet"],
                                                "homes": ["ch04/two_layer_net.py"]}}
    monkeypatch.setattr(sys, "meta_path", list(sys.meta_path))
    notebook(tmp_path / "ch05.ipynb", "class TwoLayerNet:\n    CHAPTER = 5")
    found = Workspace(tmp_path, table)
    assert found.resolve("TwoLayerNet").CHAPTER == 5
    with pytest.raises(MissingName):
        found.resolve("ch04.TwoLayerNet")
    notebook(tmp_path / "ch04" / "nn.ipynb", "class TwoLayerNet:\n    CHAPTER = 4")
    found = Workspace(tmp_path, table)
    assert found.resolve("ch04.TwoLayerNet").CHAPTER == 4 and found.resolve("TwoLayerNet").CHAPTER == 5
    assert "ch04.TwoLayerNet" in found.report()["defined"]


def test_a_notebooks_headings_name_the_chapter_of_the_cells_below(tmp_path, open_workspace):
    notebook(tmp_path / "all.ipynb", ("md", "# 第4章 ニューラルネットワークの学習"), "class TwoLayerNet:\n    CHAPTER = 4",
             ("md", "## 5장 오차역전파법"), "class TwoLayerNet:\n    CHAPTER = 5")
    found = open_workspace(tmp_path)
    assert found.resolve("ch04.TwoLayerNet").CHAPTER == 4 and found.resolve("TwoLayerNet").CHAPTER == 5


def test_a_cell_that_never_finished_loading_is_skipped_after_a_restart(tmp_path, open_workspace):
    notebook(tmp_path / "ch03.ipynb", "def relu(x):\n    return 'kept'", "def sigmoid(x):\n    return 'hung here'")
    state = tmp_path / "state"
    state.mkdir()
    (state / "loading.json").write_text(json.dumps({"file": "ch03.ipynb", "cell": 2}))
    found = open_workspace(tmp_path / "ch03.ipynb", state_dir=state)
    assert found.resolve("relu")(0) == "kept"
    with pytest.raises(MissingName, match="did not finish loading"):
        found.resolve("sigmoid")
    assert {"kind": "unfinished", "file": "ch03.ipynb", "cell": 2} in found.notes
    assert not (state / "loading.json").exists()


# -- 4. never abort a folder ------------------------------------------------------------------
def test_unreadable_notebooks_and_cells_cost_only_themselves(tmp_path, open_workspace, monkeypatch):
    write(tmp_path / "empty.ipynb", "")
    write(tmp_path / "broken.ipynb", '{"cells": [')
    write(tmp_path / "percent.ipynb", "# %%\nimport numpy as np\n\n# %% [markdown]\n# notes\n\n# %%\n"
                                      "def relu(x):\n    return np.maximum(0, x)\n")
    notebook(tmp_path / "future.ipynb", "def identity_function(x):\n    return x", version=5)
    write(tmp_path / "big.ipynb", json.dumps({"cells": [], "nbformat": 4, "padding": "x" * 10000}))
    monkeypatch.setattr(folder_module, "NOTEBOOK_BYTES", 5000)
    notebook(tmp_path / "cells.ipynb",
             "%matplotlib inline\n!pip install numpy\nfiles = !ls\nimport numpy as np\nnp.zeros?",
             "def step_function(x) return x",  # a syntax error
             "deep = " + "(" * 300 + "1" + ")" * 300,
             "%%bash\necho this is not Python",
             "def sigmoid(x):\n    %time y = 1\n    return 1 / (1 + np.exp(-x))",
             "for i in range(10**12):\n    pass  # a training loop never runs")
    found = open_workspace(tmp_path)
    assert found.resolve("relu")(-1.0) == 0.0 and found.resolve("identity_function")(3) == 3
    assert found.resolve("sigmoid")(0.0) == 0.5
    reasons = {n["file"]: n.get("reason") for n in found.notes if n["kind"] == "unreadable"}
    assert reasons == {"empty.ipynb": "empty", "broken.ipynb": "not_json", "big.ipynb": "too_large"}
    assert {"kind": "read_as_script", "file": "percent.ipynb"} in found.notes
    assert {"kind": "future_format", "file": "future.ipynb", "version": 5} in found.notes
    skipped = {(n["cell"], n["reason"]) for n in found.notes if n["kind"] == "cell_skipped"}
    assert skipped == {(2, "syntax"), (3, "too_deep")}
    with pytest.raises(MissingName):
        found.resolve("step_function")


def test_the_readers_bounds():
    with pytest.raises(Unreadable, match="too_deep"):
        read_notebook(b"{" + b'"a": [' * 100 + b"]" * 100 + b"}")
    cells, how = read_notebook(json.dumps({"nbformat": 3, "worksheets": [{"cells": [
        {"cell_type": "heading", "level": 2, "source": "Chapter 5"},
        {"cell_type": "code", "input": ["x = 1\n"]}]}]}).encode())
    assert how == "notebook" and [(c.kind, c.source) for c in cells] == [("markdown", "## Chapter 5"), ("code", "x = 1\n")]


def test_magics_and_shell_escapes_become_plain_python_line_for_line():
    assert cell_to_python("%matplotlib inline\nx = 1\n!pip install numpy\nfiles = !ls\n") == "\nx = 1\n\n\n"
    assert "from numpy import *" in cell_to_python("%pylab inline\n")
    assert cell_to_python("%%bash\necho hi\n") == ""
    assert cell_to_python("%%time\ny = 2\n") == "\ny = 2\n"
    assert cell_to_python("np.zeros?\n") == "\n"
    assert cell_to_python("if x:\n    %timeit f()\n") == "if x:\n    pass\n"


@pytest.mark.parametrize(("path", "chapter"), [
    ("book1/ch04/test.ipynb", 4), ("C03/note.ipynb", 3), ("notebooks/ch05.ipynb", 5), ("04_backprop.ipynb", 4),
    ("ch3-work.ipynb", 3), ("4章.ipynb", 4), ("第5章/x.ipynb", 5), ("6장/x.ipynb", 6), ("第七章.ipynb", 7),
    ("01/ch02/2.3.2.ipynb", 2), ("Chapter_08/deep.py", 8), ("common/layers.py", None), ("Untitled.ipynb", None),
    ("research/batch4.ipynb", None), ("ch10.ipynb", None), ("Volume_1/common/util.py", None),
])
def test_the_chapter_of_a_path(path, chapter):
    assert chapter_of_path(path) == chapter


def test_the_chapter_of_a_heading():
    assert chapter_of_heading("# 4章 ニューラルネットワークの学習") == 4
    assert chapter_of_heading("## Chapter 5: backpropagation") == 5
    assert chapter_of_heading("# 第五章 误差反向传播法") == 5
    assert chapter_of_heading("## 5.6 Affine/Softmax") is None
    assert chapter_of_heading("# ch05/two_layer_net.py") is None
    assert chapter_of_heading("some text mentioning chapter 5") is None


# -- 5. what works today keeps working -----------------------------------------------------------
def test_the_books_notebook_cells_are_importable_as_the_files_they_hold(tmp_path, open_workspace):
    notebook(tmp_path / "notebooks" / "common.ipynb",
             ("md", "# common/functions.py"), "import numpy as np\ndef softmax(x):\n    return np.exp(x) / np.exp(x).sum()",
             ("md", "# common/layers.py"),
             "from common.functions import *\nclass SoftmaxWithLoss:\n    def forward(self, x):\n        return softmax(x)")
    notebook(tmp_path / "notebooks" / "ch05.ipynb", "import sys, os\nsys.path.append(os.pardir)",
             ("md", "# ch05/two_layer_net.py"), "from common.layers import SoftmaxWithLoss\nclass TwoLayerNet:\n"
             "    def __init__(self):\n        self.last = SoftmaxWithLoss()",
             "from dataset.mnist import load_mnist")
    found = open_workspace(tmp_path)
    assert graded(found, "TwoLayerNet") == "notebooks/ch05.ipynb, cell 3"
    assert found.resolve("TwoLayerNet")().last.forward(__import__("numpy").zeros(2)).tolist() == [0.5, 0.5]
    assert found.provenance("TwoLayerNet")["origin"] == "book_notebook"
    assert not [n for n in found.notes if n["kind"] == "statement_failed"], found.notes
    from data import load_mnist
    snapshot = found._snapshots[("notebooks/ch05.ipynb", 3)][0]
    assert snapshot.load_mnist is load_mnist  # the grader's verified MNIST stands in for dataset/mnist.py


def test_one_notebook_alone_is_graded_with_its_repository_around_it(tmp_path, open_workspace):
    write(tmp_path / "common" / "__init__.py", "")
    write(tmp_path / "common" / "layers.py", "class Relu:\n    pass\nclass Affine:\n    pass\n")
    notebook(tmp_path / "notebooks" / "mine.ipynb", "import sys, os\nsys.path.append(os.pardir)\n"
                                                    "from common.layers import Affine", "class Net(Affine):\n    pass",
             "class Sigmoid:\n    pass")
    found = open_workspace(tmp_path, entry="notebooks/mine.ipynb")
    assert graded(found, "Sigmoid") == "notebooks/mine.ipynb, cell 3"
    with pytest.raises(MissingName):  # the repository's own files are not what was submitted
        found.resolve("Relu")


def test_folders_whose_book_layout_is_nested_or_renamed_are_gradable(tmp_path):
    from checks.isolation.intake import IntakeError, Kind, resolve

    write(tmp_path / "repo" / "book_1" / "ch04" / "gradient_1d.py", "def numerical_diff(f, x):\n    return 0\n")
    write(tmp_path / "repo" / "book_2" / "README.md", "another volume")
    write(tmp_path / "other" / "Chapter3" / "activations.py", "def relu(x):\n    return x\n")
    write(tmp_path / "other" / "Chapter4" / "loss.py", "def mean_squared_error(y, t):\n    return 0\n")
    write(tmp_path / "empty" / "notes.txt", "nothing to grade")
    assert resolve(str(tmp_path / "repo")).kind is Kind.WORKSPACE
    assert resolve(str(tmp_path / "other")).kind is Kind.WORKSPACE
    with pytest.raises(IntakeError, match="nothing to grade"):
        resolve(str(tmp_path / "empty"))


def test_what_a_network_is_built_on_says_which_twolayernet_it_is(tmp_path, open_workspace):
    """§5.7's network (Affine, Relu, SoftmaxWithLoss) in a folder of chapter 3 or with no chapter is still
    chapter 5's TwoLayerNet; §4.5's (sigmoid, softmax) in a ch06 notebook is still chapter 4's."""
    notebook(tmp_path / "ch03" / "layers.ipynb",
             "class TwoLayerNet:\n    CHAPTER = 5\n    def predict(self, x):\n        return Affine, Relu, SoftmaxWithLoss")
    notebook(tmp_path / "ch06" / "net.ipynb",
             "class TwoLayerNet:\n    CHAPTER = 4\n    def predict(self, x):\n        return softmax(sigmoid(x))")
    found = open_workspace(tmp_path)
    assert found.resolve("TwoLayerNet").CHAPTER == 5 and found.resolve("ch04.TwoLayerNet").CHAPTER == 4


def test_a_later_chapters_extension_is_graded_on_a_definition_written_for_that_chapter(tmp_path, open_workspace):
    """§5.6.2's Affine in a ch05 notebook is chapter 5's: chapter 7's 4-D cases take a definition written for
    chapter 7 or for no chapter (common/layers.py), and without one they are not attempted, saying why."""
    notebook(tmp_path / "ch05.ipynb", "class Affine:\n    CHAPTER = 5")
    found = open_workspace(tmp_path)
    assert found.resolve("Affine").CHAPTER == 5
    with pytest.raises(MissingName) as missing:
        found.resolve("Affine", 7)
    assert "no Affine written for chapter 7, which asks more of it than chapter 5 (ch05.ipynb" in str(missing.value)
    (tmp_path / "common").mkdir()
    (tmp_path / "common" / "layers.py").write_text("class Affine:\n    CHAPTER = None\n", encoding="utf-8")
    found = open_workspace(tmp_path)
    assert found.resolve("Affine").CHAPTER == 5 and found.resolve("Affine", 7).CHAPTER is None


def test_a_later_sections_extension_is_graded_on_a_definition_that_has_it(tmp_path, open_workspace):
    """§4.4's 1-D numerical_gradient in a ch04 notebook is graded for §4.4; §4.4.2's any-shape cases take
    common/gradient.py (or any definition that walks every shape), and without one they are not attempted,
    saying which listing the learner's definition is."""
    notebook(tmp_path / "ch04.ipynb", ONE_D_GRADIENT)
    found = open_workspace(tmp_path)
    assert callable(found.resolve("numerical_gradient"))
    with pytest.raises(MissingName) as missing:
        found.resolve("numerical_gradient", 4, "any_shape")
    assert ("no numerical_gradient written for §4.4.2 (arrays of any shape, as common/gradient.py): ch04.ipynb, "
            "cell 1 is §4.4's listing for 1-D arrays, graded where the book prints it") in str(missing.value)
    assert found.provenance("numerical_gradient", 4, "any_shape")["status"] == "missing"
    write(tmp_path / "common" / "gradient.py", "import numpy as np\n")  # the book's file, without it
    with pytest.raises(MissingName, match="§4.4's listing for 1-D arrays, graded where the book prints it"):
        open_workspace(tmp_path).resolve("numerical_gradient", 4, "any_shape")
    write(tmp_path / "common" / "gradient.py", ANY_SHAPE_GRADIENT)
    found = open_workspace(tmp_path)
    assert found.provenance("numerical_gradient") is None
    found.resolve("numerical_gradient"), found.resolve("numerical_gradient", 4, "any_shape")
    assert found.provenance("numerical_gradient")["file"] == "ch04.ipynb"
    assert found.provenance("numerical_gradient", 4, "any_shape")["file"] == "common/gradient.py"


def test_a_definition_in_the_extensions_own_chapter_is_checked_for_it_whatever_it_looks_like(tmp_path,
                                                                                               open_workspace):
    """A 2-D Affine in the learner's common/layers.py is §5.6.2's listing (set aside for chapter 7's 4-D input);
    one in a ch07 notebook is written for chapter 7 and checked there (a bug, if it cannot take 4-D input)."""
    two_d = "class Affine:\n    WHERE = '{}'\n    def forward(self, x):\n        return x @ self.W + self.b\n"
    write(tmp_path / "common" / "layers.py", two_d.format("common"))
    found = open_workspace(tmp_path)
    with pytest.raises(MissingName, match="§5.6.2's listing for 2-D input"):
        found.resolve("Affine", 7, "tensor_input")
    notebook(tmp_path / "ch07.ipynb", two_d.format("ch07"))
    assert open_workspace(tmp_path).resolve("Affine", 7, "tensor_input").WHERE == "ch07"


def test_the_chapter_4_twolayernet_without_gradient_is_section_4_5_1s(tmp_path, open_workspace):
    """§4.5.1 prints TwoLayerNet without gradient: a check of gradient takes a definition that has it."""
    printed = "class TwoLayerNet:\n    def predict(self, x):\n        return softmax(sigmoid(x))\n"
    notebook(tmp_path / "ch04.ipynb", printed)
    found = open_workspace(tmp_path)
    found.resolve("ch04.TwoLayerNet")
    with pytest.raises(MissingName, match="§4.5.1's listing, which leaves gradient to chapter 5"):
        found.resolve("ch04.TwoLayerNet", 4, "gradient_method")
    notebook(tmp_path / "ch04.ipynb", printed + "    def gradient(self, x, t):\n        return {}\n")
    assert open_workspace(tmp_path).resolve("ch04.TwoLayerNet", 4, "gradient_method")


def test_a_vendored_copy_of_the_book_in_a_subfolder_never_shadows_the_learners_own_common(tmp_path, open_workspace):
    """PandaDrunkard's layout: the book downloaded in sample/ (common/__init__.py there), the learner's own
    common/ without one; once a component of sample/ is loaded, ch5/'s `from common.layer import Affine`
    still imports the learner's common/layer.py."""
    write(tmp_path / "sample" / "common" / "__init__.py", "")
    write(tmp_path / "sample" / "common" / "layers.py", "class Relu:\n    WHERE = 'sample'\n")
    write(tmp_path / "common" / "layer.py", "class Affine:\n    WHERE = 'mine'\n")
    write(tmp_path / "ch5" / "two_layer_net.py", "import sys, os\nsys.path.append(os.pardir)\n"
          "from common.layer import Affine\n\n\nclass TwoLayerNet:\n    def __init__(self):\n"
          "        self.affine = Affine()\n")
    found = open_workspace(tmp_path)
    assert found.resolve("Relu").WHERE == "sample"
    assert found.resolve("TwoLayerNet")().affine.WHERE == "mine"
