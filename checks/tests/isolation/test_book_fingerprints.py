"""The book's published definitions are recognised as copies, and nothing one token away is."""

import ast
import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from checks.isolation.child.sandboxed import book_fingerprints as fp

BOOK = Path(__file__).resolve().parents[3].parent / "shared" / "book-code"
needs_book = pytest.mark.skipif(not (BOOK / "common").is_dir(), reason="../shared/book-code is not beside the checkout")


def _book_definitions():
    """[(file:cell, qualified name, node)] of every definition in ../shared/book-code (scripts and notebooks)."""
    found = []
    for path in sorted(BOOK.rglob("*")):
        relative = path.relative_to(BOOK).as_posix()
        if path.suffix == ".py":
            trees = [(relative, ast.parse(path.read_text(encoding="utf-8")))]
        elif path.suffix == ".ipynb":
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
            trees = [(f"{relative}#{index}", fp.parse_cell("".join(cell["source"])))
                     for index, cell in enumerate(cells) if cell["cell_type"] == "code"]
        else:
            continue
        for where, tree in trees:
            if tree is not None:
                found.extend((where, name, node) for name, node in fp.definitions(tree))
    return found


def _only(source):
    """The one definition in `source`."""
    (name, node), *_ = fp.definitions(ast.parse(textwrap.dedent(source)))
    return node


AFFINE_BACKWARD = """
def backward(self, dout):
    dx = np.dot(dout, self.W.T)
    self.dW = np.dot(self.x.T, dout)
    self.db = np.sum(dout, axis=0)

    dx = dx.reshape(*self.original_x_shape)  # 入力データの形状に戻す（テンソル対応）
    return dx
"""


@needs_book
def test_every_definition_of_the_current_book_code_is_recognised():
    definitions = _book_definitions()
    assert len(definitions) > 150
    missed = [f"{where}: {name}" for where, name, node in definitions if not fp.is_book_copy(name, node)]
    assert not missed, missed


@needs_book
def test_one_token_changed_in_any_book_function_is_not_a_copy():
    """A constant, an operator or an attribute changed anywhere in a book function or method is no longer the book's."""
    changed = 0
    for where, name, node in _book_definitions():
        if not isinstance(node, ast.FunctionDef):
            continue
        for mutate in (_bump_first_number, _flip_first_operator, _rename_first_attribute):
            mutant = mutate(node)
            if mutant is None:
                continue
            changed += 1
            assert not fp.is_book_copy(name, mutant), f"{where}: {name} after {mutate.__name__}"
    assert changed > 200


def _copy(node):
    return ast.parse(ast.unparse(node)).body[0]


def _bump_first_number(node):
    node = _copy(node)
    for child in ast.walk(node):
        if isinstance(child, ast.Constant) and type(child.value) in (int, float):
            child.value = child.value + 1
            return node
    return None


_OTHER_OPERATOR = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult, ast.Pow: ast.Mult,
                   ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq,
                   ast.NotEq: ast.Eq, ast.USub: ast.UAdd}


def _flip_first_operator(node):
    node = _copy(node)
    for child in ast.walk(node):
        for field in ("op",):
            operator = getattr(child, field, None)
            if type(operator) in _OTHER_OPERATOR:
                setattr(child, field, _OTHER_OPERATOR[type(operator)]())
                return node
        if isinstance(child, ast.Compare) and type(child.ops[0]) in _OTHER_OPERATOR:
            child.ops[0] = _OTHER_OPERATOR[type(child.ops[0])]()
            return node
    return None


def _rename_first_attribute(node):
    node = _copy(node)
    for child in ast.walk(node):
        if isinstance(child, ast.Attribute):
            child.attr += "_"
            return node
    return None


def test_comments_docstrings_blank_lines_and_layout_do_not_matter():
    original = fp.fingerprint(_only(AFFINE_BACKWARD))
    restyled = '''
    def backward(self,
                 dout):   # a learner's note
        """Backward pass of the affine layer (a docstring the book has not)."""

        dx = np.dot( dout , self.W.T )
        'a string used as a comment'
        self.dW = np.dot(self.x.T,
                         dout)
        self.db = (np.sum(dout, axis = 0))
        dx = dx.reshape(
            *self.original_x_shape
        )
        return (dx)
    '''
    assert fp.fingerprint(_only(restyled)) == original


def test_the_definitions_own_name_does_not_matter_but_one_token_does():
    assert fp.fingerprint(_only(AFFINE_BACKWARD.replace("def backward", "def backward_pass"))) \
        == fp.fingerprint(_only(AFFINE_BACKWARD))
    for before, after in (("self.W.T", "self.W"), ("axis=0", "axis=1"), ("np.sum", "np.mean"),
                          ("return dx", "return None"), ("(dout, self.W.T)", "(self.W.T, dout)"),
                          ("    return dx\n", "")):
        assert before in AFFINE_BACKWARD
        assert fp.fingerprint(_only(AFFINE_BACKWARD.replace(before, after))) \
            != fp.fingerprint(_only(AFFINE_BACKWARD)), (before, after)


def test_the_canonical_text_is_pinned():
    """The serialization is explicit, not ast.dump's text: the same on every Python 3.10–3.13 (pinned here)."""
    node = _only('''
    def f(x, *a, y=1e-7, **k):
        """doc"""
        return f"{x!r:>{y}}" f"-{a}", x[1:, ::2], -x
    ''')
    assert fp.canonical(node) == (
        "FunctionDef(args=arguments(args=[arg(arg=str:'x';),];vararg=arg(arg=str:'a';);kwonlyargs=[arg(arg=str:'y';),];"
        "kw_defaults=[Constant(float:0x1.ad7f29abcaf48p-24),];kwarg=arg(arg=str:'k';););body=[Return(value=Tuple("
        "elts=[JoinedStr(values=[FormattedValue(value=Name(id=str:'x';ctx=Load;);conversion=114;format_spec="
        "JoinedStr(values=[str:'>',FormattedValue(value=Name(id=str:'y';ctx=Load;);conversion=-1;),];);),str:'-',"
        "FormattedValue(value=Name(id=str:'a';ctx=Load;);conversion=-1;),];),Subscript(value=Name(id=str:'x';"
        "ctx=Load;);slice=Tuple(elts=[Slice(lower=Constant(int:1);),Slice(step=Constant(int:2);),];ctx=Load;);"
        "ctx=Load;),UnaryOp(op=USub();operand=Name(id=str:'x';ctx=Load;);),];ctx=Load;);),];)")
    assert fp.fingerprint(node) == fp.fingerprint(_only(ast.unparse(node)))


def _other_pythons():
    """Other interpreters 3.10–3.13 that really run here (a pyenv shim without that version does not)."""
    found = []
    for minor in (10, 11, 12, 13):
        if sys.version_info[:2] == (3, minor):
            continue
        candidates = [shutil.which(f"python3.{minor}")]
        candidates += [str(p) for p in sorted(Path.home().glob(f".pyenv/versions/3.{minor}.*/bin/python"))]
        for python in filter(None, candidates):
            try:
                ran = subprocess.run([python, "-I", "-c", f"import sys; assert sys.version_info[:2] == (3, {minor})"],
                                     capture_output=True, timeout=60)
            except (OSError, subprocess.TimeoutExpired):
                continue
            if ran.returncode == 0:
                found.append(python)
                break
    return found


@needs_book
def test_fingerprints_are_the_same_on_every_python_310_to_313():
    """The module imports only the standard library, so any interpreter can run it by path."""
    others = _other_pythons()  # asked here, not at import: it starts every interpreter, in each test worker
    if not others:
        pytest.skip("no other Python 3.10–3.13 on this machine")
    script = textwrap.dedent(f"""
        import importlib.util, json, sys
        spec = importlib.util.spec_from_file_location("bf", {str(Path(fp.__file__))!r})
        bf = importlib.util.module_from_spec(spec); spec.loader.exec_module(bf)
        import ast, pathlib
        out = {{}}
        for path in sorted(pathlib.Path({str(BOOK)!r}).rglob("*.py")):
            for name, node in bf.definitions(ast.parse(path.read_text(encoding="utf-8"))):
                out[path.name + ":" + name] = bf.fingerprint(node)
        print(json.dumps(out, sort_keys=True))
    """)
    here = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    for python in others:
        there = subprocess.run([python, "-I", "-c", script], capture_output=True, text=True, check=True).stdout
        assert json.loads(there) == json.loads(here), python


def test_the_data_file_holds_hashes_and_provenance_only():
    data = fp.BOOK_DATA
    assert data["canonical"] == fp.CANONICAL
    assert {s["repo"] for s in data["sources"]} >= {"oreilly-japan/deep-learning-from-scratch"}
    for name, entries in data["definitions"].items():
        for entry in entries:
            assert set(entry) == {"hash", "first", "last", "first_commit", "last_commit", "repos", "paths", "current"}
            assert len(entry["hash"]) == fp.DIGITS and entry["first"] <= entry["last"]
    # the historical versions a learner's folder may hold: relu_grad before 11e87cd, Trainer's 'rmsprpo' key
    assert len(data["definitions"]["relu_grad"]) >= 2
    assert len(data["definitions"]["Trainer.__init__"]) >= 3


def test_a_historical_version_is_recognised_with_its_dates():
    old_relu_grad = _only("""
    def relu_grad(x):
        grad = np.zeros(x)
        grad[x>=0] = 1
        return grad
    """)
    assert fp.is_book_copy("relu_grad", old_relu_grad)
    assert fp.book_names(old_relu_grad) == ["relu_grad"]
    assert fp.book_versions("relu_grad", old_relu_grad)["first"].startswith("2016")
    fixed = _only("""
    def relu_grad(x):
        grad = np.zeros_like(x)
        grad[x>=0] = 1
        return grad
    """)
    assert fp.book_versions("relu_grad", fixed)["first"] == "2019-10-06"  # the book's commit 11e87cd
    assert not fp.is_book_copy("relu", fixed)
