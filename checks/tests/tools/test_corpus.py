"""The corpus's manifest, discovery, scratch modules, snapshots and verdicts (checks/tools/corpus/)."""

import ast
import json
import subprocess
import textwrap

import nbformat
import pytest

from checks.tools.corpus import manifest
from checks.tools.corpus.__main__ import _component_results, judge, render, EntryRun, Verdict
from checks.tools.corpus.discover import discover
from checks.tools.corpus.label import scratch_module_source
from checks.tools.corpus.snapshot import SnapshotError, materialize


def test_the_manifest_is_valid_and_pins_every_entry():
    entries = manifest.load()
    assert {e["source"] for e in entries} >= {"book-history", "book-current"}
    for entry in entries:
        assert len(entry["commit"]) == 40
        for item in entry["components"]:
            assert "\n" not in item["evidence"], f"{entry['id']} {item['component']}: evidence is one line, never code"


def test_the_book_history_entries_hold_its_known_bugs():
    entries = {e["id"]: e for e in manifest.load()}
    bugs = {(e["fixed_by"][:7], item["component"]) for e in entries.values() if e["source"] == "book-history"
            for item in e["components"] if item["label"] == "bug" and e["fixed_by"][:7] in item["evidence"]}
    # relu_grad's np.zeros(x) (11e87cd), Trainer's 'rmsprpo' (147088c), load_params' layer.w (2c9cf59)
    assert {("11e87cd", "relu_grad"), ("147088c", "Trainer"), ("2c9cf59", "SimpleConvNet")} <= bugs


def _entry(**changes):
    entry = {"id": "x/y", "source": "learner", "repository": "x/y", "url": "https://github.com/x/y",
             "commit": "0" * 40, "date": "2020-01-01", "language": "ja", "kind": "notebooks", "grade": ".",
             "paths": ["."], "components": [
                 {"component": "Affine", "where": "a.ipynb#3", "label": "bug", "bug": "dW transposed",
                  "evidence": "label run: check_backward_gradient_params wrong"},
                 {"component": "Affine", "where": "b.ipynb#1", "label": "correct", "evidence": "passes"},
                 {"component": "Relu", "where": "a.ipynb#2", "label": "correct", "evidence": "passes"},
                 {"component": "AND", "where": "a.ipynb#1", "label": "not-present", "evidence": "a stub"}]}
    entry.update(changes)
    return entry


def test_validation_names_what_is_wrong():
    with pytest.raises(manifest.ManifestError, match="commit must be 40 hex digits"):
        manifest.validate({"entries": [_entry(commit="abc")]})
    bad = _entry()
    bad["components"][0].pop("bug")
    with pytest.raises(manifest.ManifestError, match="a bug needs its one-line description"):
        manifest.validate({"entries": [bad]})
    with pytest.raises(manifest.ManifestError, match="no graded component named 'Afine'"):
        manifest.validate({"entries": [_entry(components=[{"component": "Afine", "where": "a", "label": "correct",
                                                           "evidence": "x"}])]})
    manifest.validate({"entries": [_entry()]})


def test_expectations_a_bug_anywhere_is_expected_caught_and_not_present_expects_nothing():
    expected = {e.component: e.expected for e in manifest.expectations(_entry())}
    assert expected == {"Affine": "bug", "Relu": "correct"}
    others = manifest.expectations(_entry(others="correct", components=[]), found_components={"SGD", "Adam"})
    assert {(e.component, e.expected) for e in others} == {("SGD", "correct"), ("Adam", "correct")}


def _results(*tests):
    return {"tests": [{"tags": [component, outcome], "score": score, "max_score": maximum, "output": output,
                       "status": "passed" if outcome == "passed" else "failed"}
                      for component, outcome, score, maximum, output in tests]}


def test_a_bug_graded_only_not_attempted_is_not_caught_and_a_correct_component_must_keep_every_point():
    bug = manifest.Expectation("Affine", "bug", (), "dW transposed")
    correct = manifest.Expectation("Relu", "correct", (), "correct")
    states = _component_results(_results(("Affine", "not_attempted", 0, 1, "NOT ATTEMPTED: no Affine"),
                                         ("Relu", "passed", 1, 1, "passed"), ("Relu", "wrong", 0, 0.5, "WRONG: x")))
    assert judge(bug, states["Affine"])[0] is False
    assert judge(correct, states["Relu"]) == (False, "passed, wrong; 1/1.5 points — WRONG: x")
    states = _component_results(_results(("Affine", "wrong", 0, 1, "WRONG: dW"), ("Relu", "passed", 1, 1, "ok")))
    assert judge(bug, states["Affine"])[0] and judge(correct, states["Relu"])[0]
    assert judge(correct, None) == (False, "not graded (no test of this component in results.json)")


def test_the_report_lists_every_miss():
    run = EntryRun(_entry())
    run.verdicts = [Verdict("x/y", "Affine", "bug", False, "not_attempted; 0/1 points", "dW transposed", "a#3"),
                    Verdict("x/y", "Relu", "correct", True, "passed; 1/1 points", "correct", "a#2")]
    text = render([run], "abc", "2026-01-01", 3)
    assert "| learners' notebooks | 1 | 0/1 (0.0%) | 1/1 (100.0%) |" in text
    assert "- x/y · Affine (a#3): bug not caught [dW transposed] — grader: not_attempted; 0/1 points" in text


def _notebook(path, cells):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    nbformat.write(notebook, str(path))


def test_discover_finds_cells_spellings_and_what_a_later_definition_supersedes(tmp_path):
    (tmp_path / "ch05").mkdir()
    _notebook(tmp_path / "ch05" / "layers.ipynb", [
        "%matplotlib inline\nimport numpy as np",
        "class ReLU:\n    def forward(self, x):\n        return x",
        "def ReLU(x):\n    return np.maximum(0, x)",  # an activation function, not the layer
        "class ReLU:\n    def forward(self, x):\n        return np.maximum(0, x)"])
    (tmp_path / "common").mkdir()
    (tmp_path / "common" / "functions.py").write_text("import numpy as np\n\ndef relu(x):\n    return np.maximum(0, x)\n")
    found = [(o.component, o.where, o.line, o.superseded) for o in discover(tmp_path)]
    assert found == [("Relu", "ch05/layers.ipynb#1", 1, True), ("Relu", "ch05/layers.ipynb#3", 1, False),
                     ("relu", "common/functions.py", 3, False)]
    relu = next(o for o in discover(tmp_path) if o.component == "relu")
    assert relu.book_copy  # the book's relu, as common/functions.py has it since 2016
    assert relu.book_first == "2016-07-07"


def test_the_scratch_module_keeps_the_kernel_before_the_definition_and_never_adds_numpy(tmp_path):
    _notebook(tmp_path / "n.ipynb", [
        "from common.functions import *\nfrom mylib import helper",
        "for i in range(10**9):\n    pass",  # the kernel's training loop is not run again
        "class Affine:\n    def forward(self, x):\n        return np.dot(x, self.W)"])
    source = scratch_module_source(discover(tmp_path)[0])
    assert "range(10 ** 9)" not in source and "range(10**9)" not in source
    assert source.index("from ._ref import *") < source.index("class Affine")
    # a failed star import stands for the numpy it would have given; a failed plain import for nothing
    assert "from common.functions import *\nexcept Exception:\n    import numpy as np" in source
    assert "from mylib import helper\nexcept Exception:\n    pass" in source
    ast.parse(source)
    (tmp_path / "m.py").write_text("class SGD:\n    def update(self, params, grads):\n        np.zeros(1)\n")
    module = scratch_module_source(next(o for o in discover(tmp_path) if o.component == "SGD"))
    assert "import numpy" not in module  # a module that forgot numpy fails as it would for the learner


def _git(*args, cwd):
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def test_materialize_writes_the_pinned_tree_from_a_snapshot(tmp_path):
    work = tmp_path / "mirror" / "someone+dl" / "repo"
    work.mkdir(parents=True)
    _git("init", "-q", cwd=work)
    (work / "ch02").mkdir()
    (work / "ch02" / "and_gate.py").write_text("def AND(x1, x2):\n    return 0\n")
    _git("add", ".", cwd=work)
    _git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "first", cwd=work)
    first = _git("rev-parse", "HEAD", cwd=work)
    (work / "ch02" / "and_gate.py").write_text("changed\n")
    _git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qam", "second", cwd=work)
    entry = {"repository": "someone/dl", "commit": first, "url": "https://github.com/someone/dl"}
    tree = materialize(entry, mirror=tmp_path / "mirror", trees=tmp_path / "trees")
    assert (tree / "ch02" / "and_gate.py").read_text() == "def AND(x1, x2):\n    return 0\n"
    with pytest.raises(SnapshotError, match="no snapshot under .* holds this commit"):
        materialize({**entry, "commit": "1" * 40}, mirror=tmp_path / "mirror", trees=tmp_path / "trees")


def test_the_book_history_generator_keeps_every_published_version_and_no_code(tmp_path):
    from checks.tools.corpus.book_history import build

    work = tmp_path / "mirror" / "someone+book" / "repo"
    (work / "common").mkdir(parents=True)
    _git("init", "-q", cwd=work)
    functions = work / "common" / "functions.py"
    functions.write_text("import numpy as np\n\ndef relu_grad(x):\n    grad = np.zeros(x)\n    grad[x>=0] = 1\n    return grad\n")
    _git("add", ".", cwd=work)
    _git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "first", cwd=work)
    functions.write_text(functions.read_text().replace("np.zeros(x)", "np.zeros_like(x)") + "\n# a comment\n")
    (work / "notes.py").write_text("def relu_grad(x):\n    return 0\n")  # not under common/, ch0*/, dataset/, notebooks/
    _git("add", ".", cwd=work)
    _git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "fix", cwd=work)
    data = build([work / ".git"])
    assert data["sources"][0]["repo"] == "someone/book" and data["sources"][0]["commits"] == 2
    versions = data["definitions"]["relu_grad"]
    assert len(versions) == 2 and sorted(v["current"] for v in versions) == [False, True]
    assert "np.zeros" not in json.dumps(data)  # hashes and provenance, never the code


def test_a_learners_definition_is_called_the_book_way_only_where_the_call_would_not_bind():
    from checks.tools.corpus.label import BOOK_CALLS

    namespace = {}
    exec(compile(BOOK_CALLS, "book_calls", "exec"), namespace)

    class BookDropout:
        def forward(self, x, train_flg=True):
            pass

        def backward(self, dout=1):
            pass

    class LearnerDropout:
        def forward(self, x, train_flag=True):  # a renamed keyword
            return ("forward", x, train_flag)

        def backward(self, dout):  # no default
            return ("backward", dout)

        @staticmethod
        def scale(x):
            return 2 * x

    BookDropout.scale = staticmethod(lambda x: x)
    adapted = namespace["book_way"](LearnerDropout, BookDropout)()
    assert adapted.forward(3, train_flg=False) == ("forward", 3, False)
    assert adapted.forward(3, train_flag=False) == ("forward", 3, False)  # binds as written: untouched
    assert adapted.backward() == ("backward", 1)
    assert adapted.scale(5) == 10  # a static method is called as declared


def test_a_partial_regrade_replaces_only_its_entries_in_the_previous_run(tmp_path):
    from checks.tools.corpus.__main__ import _merged, render_plain

    def entry(identifier, ok, commit=None):
        return {"id": identifier, "group": "learners' mix", "learner": True, "error": "", "score": "",
                **({"grader_commit": commit} if commit else {}),
                "verdicts": [{"component": "Affine", "expected": "bug", "ok": ok, "said": "", "where": "",
                              "description": ""}]}

    previous = {"date": "d0", "grader_commit": "old", "seconds": 10, "entries": [entry("a", False), entry("b", False)]}
    (tmp_path / "run.json").write_text(json.dumps(previous), encoding="utf-8")
    fresh = {"date": "d1", "grader_commit": "new", "seconds": 5, "entries": [entry("b", True, "new")]}
    merged = _merged(tmp_path / "run.json", fresh, ["a", "b"])
    assert [(e["id"], e["grader_commit"], e["verdicts"][0]["ok"]) for e in merged["entries"]] == \
        [("a", "old", False), ("b", "new", True)]
    assert "some entries last graded at `old`" in render_plain(merged)


def test_a_correct_component_blocked_only_by_a_confirmed_bug_of_its_prerequisite_is_kept():
    from checks.tools.corpus.manifest import Expectation

    results = {"tests": [
        {"name": "ch3 predict(random-network)-check_three_layer_predict", "score": 0, "max_score": 1.4,
         "tags": ["predict", "wrong"], "output": "WRONG: blocked: prerequisite softmax wrong (see softmax(batch)-"
                                                  "check_softmax_each_row) — predict is built on it, so fix that first."},
        {"name": "ch3 predict(other)-check", "score": 1, "max_score": 1, "tags": ["predict", "passed"], "output": ""}]}
    state = _component_results(results)["predict"]
    correct = Expectation("predict", "correct", (), "correct")
    assert judge(correct, state, bugs={"softmax"})[0] is True
    assert judge(correct, state, bugs=set())[0] is False


def test_an_uncredited_property_follows_the_correctness_checks_it_waits_for():
    """drxyzw's Pooling (a copy of the book's) runs the learner's broken col2im: its correctness checks are
    blocked by col2im, and its properties, which hold, are uncredited for want of a passing correctness check:
    neither is Pooling's own failure. An uncredited property alone never catches a bug either."""
    from checks.tools.corpus.manifest import Expectation

    gated = "WRONG: not credited: this property holds, but no correctness check of Pooling passes — a placeholder"
    results = {"tests": [
        {"name": "ch7 Pooling(2x2)-check_backward_gradient_dx", "score": 0, "max_score": 1, "tags": ["Pooling", "error"],
         "output": "ERROR: blocked: prerequisite col2im fails with an error (see col2im(3x2)-check) — Pooling is "
                   "built on it, so fix that first."},
        {"name": "ch7 Pooling(2x2)-check_forward_keeps_input", "score": 0, "max_score": 0.2,
         "tags": ["Pooling", "wrong"], "output": gated}]}
    state = _component_results(results)["Pooling"]
    assert judge(Expectation("Pooling", "correct", (), "book-copy"), state, bugs={"col2im"})[0] is True
    only_gated = _component_results({"tests": [results["tests"][1]]})["Pooling"]
    assert judge(Expectation("Pooling", "bug", (), "a bug"), only_gated)[0] is False
