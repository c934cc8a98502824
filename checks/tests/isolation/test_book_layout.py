"""Reading the book's chapter scripts definitions only (checks/isolation/child/sandboxed/book_layout.py)."""

import ast
import sys
import textwrap

import pytest

from checks.isolation.intake import Form, IntakeError, Kind, resolve
from checks.isolation.child.sandboxed.book_layout import BookLayout, definitions_only, looks_like_book_layout
from checks.isolation.child.sandboxed.missing import MissingName
from checks.library.components import book_homes

SCRIPT = textwrap.dedent('''\
    """A chapter script."""
    import os, sys
    sys.path.append(os.pardir)
    import numpy as np
    try:
        import cupy
    except ImportError:
        cupy = None
    H = 1e-4
    SIZES: tuple = (784, 50)
    data = np.load("mnist.npz")  # computed at top level: dropped
    def numerical_diff(f, x):
        return (f(x + H) - f(x - H)) / (2 * H)
    def scaled(x):
        return data["scale"] * x  # reads a dropped name
    class Net:
        pass
    print(numerical_diff(np.sin, 0.0))
    for i in range(10):
        pass
    if __name__ == "__main__":
        raise SystemExit
    ''')


@pytest.fixture(autouse=True)
def _own_sys_path(monkeypatch):
    """The scripts append os.pardir to sys.path, as the book's do: keep that out of the rest of the session."""
    monkeypatch.setattr(sys, "path", list(sys.path))
    yield
    for name in [n for n in sys.modules if n.startswith("book_")]:
        del sys.modules[name]


def test_definitions_only_keeps_imports_definitions_and_constants():
    tree = definitions_only(ast.parse(SCRIPT))
    kept = [ast.unparse(node).splitlines()[0] for node in tree.body]
    assert kept == ["'A chapter script.'", "import os, sys", "sys.path.append(os.pardir)", "import numpy as np",
                    "try:", "H = 0.0001", "SIZES: tuple = (784, 50)", "def numerical_diff(f, x):",
                    "def scaled(x):", "class Net:"]


def test_a_chapter_script_is_graded_without_running_its_top_level_work(tmp_path):
    (tmp_path / "ch04").mkdir()
    (tmp_path / "ch04" / "gradient_1d.py").write_text(SCRIPT + "1 / 0\n", encoding="utf-8")
    layout = BookLayout(tmp_path, book_homes())
    numerical_diff = layout.resolve("numerical_diff")
    assert numerical_diff(lambda x: x * x, 3.0) == pytest.approx(6.0)
    # what the dropped top level would have defined is missing, by name, when used
    module = layout._import("ch04/gradient_1d.py")[1]
    with pytest.raises(NameError, match="data"):
        module.scaled(1.0)


def test_a_broken_script_is_reported_with_the_learners_file_names_only(tmp_path):
    (tmp_path / "ch04").mkdir()
    (tmp_path / "ch04" / "gradient_1d.py").write_text("import no_such_module_dlfs\n", encoding="utf-8")
    with pytest.raises(MissingName) as missing:
        BookLayout(tmp_path, book_homes()).resolve("numerical_diff")
    text = missing.value.detail
    assert "ch04/gradient_1d.py failed to import" in text and "no_such_module_dlfs" in text
    assert str(tmp_path) not in text and "sandboxed" not in text and "checks/" not in text


def test_a_folder_laid_out_like_the_book_is_detected(tmp_path):
    assert not looks_like_book_layout(tmp_path)
    (tmp_path / "ch05").mkdir()
    assert looks_like_book_layout(tmp_path)
    spec = resolve(str(tmp_path))
    assert spec.kind is Kind.BOOK and spec.form is Form.BOOK and "graded as book:" in spec.notes[0]
    with pytest.raises(IntakeError, match="nothing to grade"):
        resolve(str(tmp_path / "ch05"))
