"""Grading folders laid out like the book's repository (`--impl=book:PATH`).

The folders are assembled by checks/tests/fixtures/grading.py from a copy of reference/
and variants that follow the book's conventions where they differ from ours.
"""

import textwrap
from fractions import Fraction

from checks.tests.fixtures.grading import BOOK_FILES, build_book_layout
from checks.grading import grade

SCRIPT_COMPONENTS = {"numerical_diff", "gradient_descent", "predict"}  # homes: chapter scripts (ch03/, ch04/)
# Starting the child and importing one book file took up to 2.4 s at load average 10 on
# the 2-core machine (every request of checks/suite/test_components.py timed); the hanging
# import below costs this much once, as it is not imported again.
LOAD_TIMEOUT = 12.0


def test_book_layout_of_correct_components_scores_100_percent(tmp_path):
    root = build_book_layout(tmp_path / "book")
    result = grade(f"book:{root}", out_dir=tmp_path / "out", workers=1)
    failing = [(r.name, r.message.splitlines()[:3]) for r in result.records if r.outcome not in ("passed", "deviation")]
    assert not failing
    assert result.exact_score == result.exact_max_score == 100
    deviations = {(r.component, r.check) for r in result.deviations}
    assert deviations == {("sigmoid", "check_sigmoid_no_overflow_warning")}
    # graded from the chapter scripts the book keeps them in, whose top-level work never runs
    scripts = [r for r in result.records if r.component in SCRIPT_COMPONENTS]
    assert {r.component for r in scripts} == SCRIPT_COMPONENTS
    assert all(r.outcome == "passed" and r.points > 0 for r in scripts)
    assert all(r.points == 0 and r.deviation for r in result.deviations)
    notes = "\n".join(result.notes)
    assert "common/functions.py uses NumPy aliases removed in NumPy 1.24: line 10 (np.int)" in notes
    assert "sum_squared_error" in notes and "RMSProp" in notes


def test_one_broken_component_loses_exactly_its_points(tmp_path):
    optimizer = BOOK_FILES["common/optimizer.py"] + textwrap.dedent('''
        from common.dlfs_copy.optimizers import Momentum as _Momentum


        class Momentum(_Momentum):
            def update(self, params, grads):  # the velocity's sign flipped
                super().update(params, {key: -value for key, value in grads.items()})
        ''')
    root = build_book_layout(tmp_path / "book", replace={"common/optimizer.py": optimizer})
    # chapter 6 only: the same folder unbroken scores 100 (test above), and grading a subset
    # does not change what a check is worth (test_grading_run.py)
    result = grade(f"book:{root}", workers=1, chapters=[6])
    momentum = sum((r.points for r in result.records if r.component == "Momentum"), Fraction(0))
    assert momentum > 0
    assert result.exact_score == result.exact_max_score - momentum
    assert {r.component for r in result.failures} == {"Momentum"}
    assert all(r.outcome == "wrong" and "Momentum" in r.message for r in result.failures)


def test_a_network_over_a_broken_layer_names_the_layer(tmp_path):
    layers = BOOK_FILES["common/layers.py"].replace(
        "from common.dlfs_copy.layers import Affine, ", "from common.dlfs_copy.layers import Affine as _Affine, "
    ) + textwrap.dedent('''

        class Affine(_Affine):
            def backward(self, dout):
                dx = super().backward(dout)
                self.db = 2 * self.db  # db twice too large
                return dx
        ''')
    root = build_book_layout(tmp_path / "book", replace={"common/layers.py": layers})
    result = grade(f"book:{root}", workers=1, components=["Affine", "TwoLayerNet", "Relu"])
    assert {r.component for r in result.failures} == {"Affine", "TwoLayerNet"}
    network = [r for r in result.failures if r.component == "TwoLayerNet"]
    assert network and all(r.blocked_by == ("Affine",) for r in network)
    assert network[0].message.startswith("blocked: prerequisite Affine wrong")
    assert any("db after backward" in r.message for r in result.failures if r.component == "Affine")


def test_missing_files_renamed_keywords_and_import_time_hangs_do_not_stop_grading(tmp_path):
    layers = BOOK_FILES["common/layers.py"].replace(
        "Convolution, Dropout, Sigmoid", "Convolution, Sigmoid") + textwrap.dedent('''

        from common.dlfs_copy.layers import Dropout as _Dropout


        class Dropout(_Dropout):
            def forward(self, x, train_flag=True):  # renamed keyword
                return super().forward(x, train_flg=train_flag)
        ''')
    # trains at import, unguarded; a sleep hangs like a loop for the time limit (which waits
    # on the channel) without taking a core from the rest of the suite
    hang = BOOK_FILES["ch08/deep_convnet.py"] + "\nimport time\nwhile True:\n    time.sleep(1)\n"
    root = build_book_layout(tmp_path / "book", replace={"common/layers.py": layers, "ch08/deep_convnet.py": hang})
    (root / "ch05" / "layer_naive.py").unlink()
    result = grade(f"book:{root}", workers=1, call_timeout=2.0, load_timeout=LOAD_TIMEOUT,
                   components=["MulLayer", "AddLayer", "Dropout", "DeepConvNet", "AND", "Affine"])
    outcome = {}
    for record in result.records:
        outcome.setdefault(record.component, set()).add((record.outcome, record.detail))
    # not where the book keeps them, but defined in another file of the folder: graded from there, and said so
    assert outcome["MulLayer"] == outcome["AddLayer"] == {("passed", "passed")}
    assert "MulLayer graded from common/dlfs_copy/layer_naive.py" in result.notes
    assert outcome["AND"] == {("passed", "passed")} and outcome["Affine"] == {("passed", "passed")}
    assert {detail for _, detail in outcome["DeepConvNet"]} == {"timeout"}
    # the book calls forward(x, train_flg) positionally too: a renamed keyword is called that way (§6.4.3)
    assert outcome["Dropout"] == {("passed", "passed")}


def test_a_plain_folder_laid_out_like_the_book_is_graded_as_one(tmp_path):
    """No `book:` needed: a folder with common/ or chNN/ and no __init__.py is detected, and the report says so."""
    root = build_book_layout(tmp_path / "my-checkout")
    result = grade(str(root), workers=1, components=sorted(SCRIPT_COMPONENTS | {"AND"}))
    assert result.kind == "book"
    assert any("laid out like the book's repository" in note and "graded as book:" in note for note in result.notes)
    assert result.records and all(r.outcome == "passed" for r in result.records)
    assert result.exact_score == result.exact_max_score
