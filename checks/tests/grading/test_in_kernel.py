"""`from checks import check; check(Affine)` inside a real Jupyter kernel (nbclient + ipykernel)."""

import ast
import os
from pathlib import Path

import pytest

from checks.tests.fixtures.listings import ONE_D_GRADIENT

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

REPO_ROOT = Path(__file__).resolve().parents[3]

CORRECT = '''import numpy as np

class Affine:
    def __init__(self, W, b):
        self.W, self.b = W, b
        self.x = self.original_x_shape = self.dW = self.db = None

    def forward(self, x):
        self.original_x_shape = x.shape
        self.x = x.reshape(x.shape[0], -1)
        return self.x @ self.W + self.b

    def backward(self, dout):
        dx = dout @ self.W.T
        self.dW = self.x.T @ dout
        self.db = dout.sum(axis=0)
        return dx.reshape(*self.original_x_shape)
'''
WRONG = '''class Affine(Affine):
    def backward(self, dout):
        dx = super().backward(dout)
        self.dW = dout.T @ self.x  # the product in the wrong order
        return dx
'''


def _run(cells, tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])))
    client = nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.km = client.create_kernel_manager()
    client.start_new_kernel(env=env)
    client.start_new_kernel_client()
    with client.setup_kernel(env=env):
        for index, cell in enumerate(notebook.cells):
            client.execute_cell(cell, index)
    return ["".join(output.get("text", "") for output in cell.outputs) for cell in notebook.cells]


def test_check_in_a_real_kernel_on_a_correct_and_a_wrong_affine(tmp_path):
    outputs = _run([CORRECT, "from checks import check\nresult = check(Affine)\nprint('SCORE', result.percent)",
                    WRONG, "result = check(Affine)\nprint('SCORE', result.percent)"], tmp_path)
    correct, wrong = outputs[1], outputs[3]
    assert "5 Backpropagation" in correct and "SCORE 100.0" in correct
    assert "SCORE 100.0" not in wrong
    assert "next: Affine" in wrong and "failed for Affine(2d)" in wrong
    assert "x.T @ dout" in wrong, "the known signature's hint reaches the notebook"


def test_check_by_chapter_and_nothing_defined(tmp_path):
    outputs = _run([CORRECT + "\ndef relu(x):\n    return np.maximum(0, x)\n",
                    "from checks import check\nr = check('chapter 3')\nprint('COMPONENTS', sorted({x.component for x in r.records}))",
                    "try:\n    check('Convolution')\nexcept LookupError as e:\n    print('NONE', e)"], tmp_path)
    assert "COMPONENTS ['relu']" in outputs[1]
    assert "NONE Convolution is not defined in this notebook yet" in outputs[2]


LOOPING = '''class Affine(Affine):
    def backward(self, dout):
        while True:  # the learner's endless loop
            pass
'''


def test_an_endless_loop_is_stopped_and_the_kernel_goes_on(tmp_path):
    """A method that never returns costs its time limit once, is reported as timed out at the line it was
    stopped at, and the kernel answers the next cell."""
    outputs = _run([CORRECT, LOOPING,
                    "from checks import check\nresult = check(Affine, call_timeout=1)\n"
                    "print('MESSAGES', *{r.message for r in result.records if r.detail.value == 'timeout'})\n"
                    "print('DETAILS', sorted({(r.check, r.detail.value) for r in result.records}))",
                    "print('ALIVE', 1 + 1)"], tmp_path)
    stopped, alive = outputs[2], outputs[3]
    details = dict(ast.literal_eval(stopped.split("DETAILS ", 1)[1].splitlines()[0]))
    # every check calling backward times out; forward, judged on its own, passes (it never calls backward)
    assert details["check_forward_matches_definition"] == "passed"
    assert details["check_backward_gradient_dx"] == details["check_backward_gradient_params"] == "timeout"
    assert set(details.values()) == {"passed", "timeout", "gated"}
    assert "CallInterrupted" not in stopped and "checks." not in stopped
    assert "stopped after 1 s: the call did not finish (an endless loop?)" in stopped
    assert "while True" in stopped, "the line it was stopped at is shown"
    assert "not called again" in stopped
    assert "ALIVE 2" in alive


def test_the_time_limit_speaks_the_learners_language(tmp_path, monkeypatch):
    monkeypatch.setenv("DLFS_LANG", "ja")
    outputs = _run([CORRECT, LOOPING, "from checks import check\ncheck(Affine, call_timeout=1)",
                    "print('ALIVE')"], tmp_path)
    from checks.i18n import translator

    text = translator("grading")("stopped after {seconds} s: the call did not finish (an endless loop?)", seconds=1)
    assert text != "stopped after 1 s: the call did not finish (an endless loop?)" and text in outputs[2]
    assert "ALIVE" in outputs[3]




def test_the_first_listing_typed_in_a_kernel_is_checked_where_the_book_prints_it(tmp_path):
    """§4.4's 1-D numerical_gradient, typed in a cell: its own cases pass, §4.4.2's any-shape ones are not
    attempted (saying so), none is failed."""
    outputs = _run([ONE_D_GRADIENT, "from checks import check\nr = check(numerical_gradient)\n"
                    "print('OUTCOMES', sorted({(x.case, x.outcome.value) for x in r.records}))\n"
                    "print('SAID', [x.message for x in r.records if x.outcome.value == 'not_attempted'])"], tmp_path)
    said = outputs[1]
    assert "§4.4's listing for 1-D arrays" in said
    assert "('numerical_gradient(2d)', 'not_attempted')" in said and "('numerical_gradient(1d)', 'passed')" in said
    assert "'wrong'" not in said and "'error'" not in said
