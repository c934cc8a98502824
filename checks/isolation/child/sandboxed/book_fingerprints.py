"""Is a definition a copy of the book's published code? Fingerprints of every version.

A learner's folder often holds a copy of the book's `common/` (any version since
2016) beside the learner's own notebooks; the learner's work must win over such a
copy (issue 21). This module tells a copy apart: `book_fingerprints.json`, beside
it, maps every top-level function and class, and every method (`Affine.backward`),
that the book's official repositories ever published under `common/`, `ch0*/`,
`dataset/` and `notebooks/` to the canonical fingerprints of its versions, with the
commits and dates each comes from (`python -m checks.tools.corpus.book_history`
rebuilds it; docs/corpus.md).

The fingerprint is a SHA-256 over an explicit serialization of the definition's
syntax tree (node types, field names, constants), so it ignores comments,
docstrings (and any other bare string statement), blank lines and formatting, and
the definition's own name (a copy renamed `ReLU` is still a copy of `Relu`). It is
not `ast.dump`'s text, which changed in Python 3.13: fields that newer Pythons add
empty (`type_params`) or that carry no meaning (`type_comment`, a string's `u`
prefix) are left out, and f-string parts are merged the same way on 3.10–3.13.
A one-token change (a sign, a constant, an operator, an argument) changes it.

This module runs in the sandboxed child, next to the implementation under test: it
imports only the standard library, and it reads its data file when imported, before
the child's audit hook closes the grader's folders.
"""

import ast
import hashlib
import json
from pathlib import Path

__all__ = ["BOOK_DATA", "BOOK_PATHS", "book_names", "book_versions", "canonical", "definitions", "fingerprint",
           "is_book_copy", "parse_cell"]

DATA_FILE = Path(__file__).with_name("book_fingerprints.json")
CANONICAL = "dlfs-ast-1"  # bump when `canonical` changes: the data file says which it was built with
DIGITS = 24  # hex digits kept of the SHA-256 (96 bits)

# Fields that say nothing about what the code does, or that only some Pythons have.
_IGNORED_FIELDS = frozenset({"type_comment", "kind"})
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _is_bare_string(statement):
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant) \
        and isinstance(statement.value.value, str)


def _joined_parts(values):
    """An f-string's parts with adjacent literal pieces merged and empty ones dropped (3.12 splits them differently)."""
    parts = []
    for value in values:
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            if not value.value:
                continue
            if parts and isinstance(parts[-1], str):
                parts[-1] += value.value
                continue
            parts.append(value.value)
        else:
            parts.append(value)
    return parts


def _constant(value):
    if value is None or value is Ellipsis or isinstance(value, bool):
        return repr(value)
    if isinstance(value, float):
        return "float:" + value.hex()
    if isinstance(value, complex):
        return "complex:" + value.real.hex() + "," + value.imag.hex()
    return type(value).__name__ + ":" + repr(value)


def _write(node, out):
    if isinstance(node, list):
        out.append("[")
        for item in node:
            if isinstance(item, ast.stmt) and _is_bare_string(item):
                continue  # a docstring, or a string used as a comment
            _write(item, out)
            out.append(",")
        out.append("]")
        return
    if isinstance(node, str):  # an f-string's merged literal part
        out.append("str:" + repr(node))
        return
    if not isinstance(node, ast.AST):  # identifiers, operators' ints (a FormattedValue's conversion)
        out.append(repr(node))
        return
    out.append(type(node).__name__)
    if isinstance(node, ast.expr_context):
        return
    if isinstance(node, ast.Constant):
        out.append("(" + _constant(node.value) + ")")
        return
    out.append("(")
    for name in node._fields:
        if name in _IGNORED_FIELDS:
            continue
        value = getattr(node, name, None)
        if value is None or (isinstance(value, list) and not value):
            continue  # absent, or a field (type_params) this Python adds empty
        if isinstance(node, ast.JoinedStr) and name == "values":
            value = _joined_parts(value)
        out.append(name + "=")
        _write(value, out)
        out.append(";")
    out.append(")")


def canonical(node):
    """The canonical text of a definition (or any node): its tree without its own name, docstring or layout."""
    out = []
    if isinstance(node, _DEFINITIONS):
        out.append(type(node).__name__ + "(")
        for name in node._fields:
            if name == "name" or name in _IGNORED_FIELDS:
                continue
            value = getattr(node, name, None)
            if value is None or (isinstance(value, list) and not value):
                continue
            out.append(name + "=")
            _write(value, out)
            out.append(";")
        out.append(")")
    else:
        _write(node, out)
    return "".join(out)


def fingerprint(node):
    """The hex fingerprint of a definition node (FunctionDef, ClassDef, …)."""
    return hashlib.sha256(canonical(node).encode("utf-8", "surrogatepass")).hexdigest()[:DIGITS]


def definitions(tree):
    """[(qualified name, node)] for a module's top-level functions and classes, and each class's methods."""
    found = []
    for node in getattr(tree, "body", ()):
        if isinstance(node, _DEFINITIONS):
            found.append((node.name, node))
            if isinstance(node, ast.ClassDef):
                found.extend((f"{node.name}.{item.name}", item) for item in node.body
                             if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)))
    return found


def parse_cell(source):
    """A notebook code cell's tree, its IPython magics and shell lines (`%…`, `!…`) left out; None if unparsable."""
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    try:
        return ast.parse("\n".join(lines))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _load():
    try:
        data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # a broken install: nothing is recognised as a copy, and grading goes on
        return {"canonical": CANONICAL, "definitions": {}}
    return data


# Read now: once the child's audit hook is installed, the grader's folders cannot be opened.
BOOK_DATA = _load()
_BY_NAME = {name: {entry["hash"]: entry for entry in entries}
            for name, entries in BOOK_DATA.get("definitions", {}).items()}
_BY_HASH = {}
for _name, _entries in _BY_NAME.items():
    for _hash in _entries:
        _BY_HASH.setdefault(_hash, []).append(_name)


# Every file of the book's repository (and its notebooks) that ever held a definition of a component
BOOK_PATHS = frozenset(path for entries in BOOK_DATA.get("definitions", {}).values() for entry in entries
                       for path in entry.get("paths", ()))


def is_book_copy(name, node):
    """Whether `node` is, up to comments and layout, a version of the book's `name` (`Affine`, `Affine.backward`).

    Its own name does not matter: `class ReLU` copied from the book's `Relu` is a copy of `Relu`.
    """
    if BOOK_DATA.get("canonical") != CANONICAL:
        return False
    try:
        return fingerprint(node) in _BY_NAME.get(name, ())
    except RecursionError:  # a tree too deep to serialize is nothing the book wrote
        return False


def book_versions(name, node):
    """Where the book published this version of `name`: {hash, first, last, first_commit, last_commit, repos, paths}, or None."""
    if BOOK_DATA.get("canonical") != CANONICAL:
        return None
    return _BY_NAME.get(name, {}).get(fingerprint(node))


def book_names(node):
    """Every book name whose published versions include this exact definition (usually one)."""
    if BOOK_DATA.get("canonical") != CANONICAL:
        return []
    return list(_BY_HASH.get(fingerprint(node), ()))
