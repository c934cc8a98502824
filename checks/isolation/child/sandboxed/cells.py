"""A learner's notebook as cells of plain Python, read without trusting it.

Runs in the child process, beside the code under test: a notebook is untrusted input
and is parsed inside the boundary. Everything here is bounded before it is parsed
(file size, cell size, JSON nesting, syntax-tree depth) and degrades one unit at a
time: a notebook that cannot be read costs that notebook (`Unreadable`, with its
reason), a cell that cannot be parsed costs that cell (`CellError`).

- `read_notebook(data)`: the cells of an `.ipynb` file, nbformat 3 or 4 (a newer
  format is read as 4 when its cells look the same; `future_format` says so); a
  percent-format script (`# %%` cells) saved with the `.ipynb` extension is read as
  the script it is.
- `cell_to_python(source)`: IPython syntax made plain Python, line numbers kept: line
  magics and `!shell` lines become no-ops, `%pylab` becomes the imports it injects, a
  cell magic other than `%%time`/`%%timeit`/`%%capture` drops its cell.
- `kept_statements(tree)`: definitions only — imports, functions, classes, constants,
  `sys.path` edits; a training loop, a plot or a print at top level is never run.
"""

import ast
import json
import re
from dataclasses import dataclass

__all__ = ["Cell", "CellError", "MAX_CELL_CHARS", "MAX_NOTEBOOK_BYTES", "Unreadable", "bound_names",
           "cell_to_python", "is_kept", "kept_statements", "parse_code", "read_notebook", "MARKER"]

MAX_NOTEBOOK_BYTES = 20 << 20  # the largest notebook read (outputs included: images make them big)
MAX_CELL_CHARS = 1 << 20  # the largest code cell or script parsed
MAX_JSON_DEPTH = 64  # a notebook nests 4 levels; a deeper document is not one
# A markdown cell of the book's notebooks naming the book file the next code cell holds.
MARKER = re.compile(r"^#\s*((?:ch0[1-8]|common|dataset)/[\w.-]+\.py)\s*$")
_KEPT_CELL_MAGICS = {"time", "timeit", "capture"}
# what `%pylab` puts in the namespace: NumPy's and pyplot's names, np and plt
_PYLAB = "import numpy, numpy as np; from numpy import *; import matplotlib.pyplot as plt; from matplotlib.pyplot import *"
_PERCENT = re.compile(r"^#\s*%%(.*)$")


class Unreadable(Exception):
    """A notebook that cannot be read: `reason` is a short code, `detail` says more."""

    def __init__(self, reason, detail=""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


class CellError(Exception):
    """A cell (or script) that cannot be parsed: `reason` ("syntax", "too_deep", "too_large"), `line`, `detail`."""

    def __init__(self, reason, line=None, detail=""):
        super().__init__(detail or reason)
        self.reason = reason
        self.line = line
        self.detail = detail


@dataclass
class Cell:
    """One cell: its 1-based number in the notebook, "code" or "markdown", and its text."""

    number: int
    kind: str
    source: str


def _text(source):
    if isinstance(source, str):
        return source
    if isinstance(source, list) and all(isinstance(line, str) for line in source):
        return "".join(source)
    return None


def _depth_ok(text):
    """Whether no JSON array or object nests deeper than MAX_JSON_DEPTH (checked before json.loads recurses)."""
    depth, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return False
        elif char in "]}":
            depth -= 1
    return True


def _percent_cells(text):
    """The cells of a percent-format script (`# %%` starts a cell, `# %% [markdown]` a markdown one)."""
    cells, kind, lines = [], "code", []
    for line in text.splitlines():
        match = _PERCENT.match(line)
        if match:
            if any(part.strip() for part in lines):
                cells.append((kind, lines))
            kind = "markdown" if "[markdown]" in match.group(1) else "code"
            lines = []
        else:
            lines.append(line)
    if any(part.strip() for part in lines):
        cells.append((kind, lines))
    out = []
    for number, (kind, lines) in enumerate(cells, 1):
        if kind == "markdown":  # commented out in the script: `# text`
            lines = [line[2:] if line.startswith("# ") else line.lstrip("#") for line in lines]
        out.append(Cell(number, kind, "\n".join(lines) + "\n"))
    return out


def _looks_like_python(text):
    if _PERCENT.search(text.split("\n", 1)[0]) or re.search(r"(?m)^#\s*%%", text):
        return True
    try:
        ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def read_notebook(data):
    """(cells, how) of an `.ipynb` file's bytes; `how` is "notebook", "future_format:N" or "script".

    Raises Unreadable with the reason when it holds no notebook: too large, empty, not
    UTF-8, not JSON and not a script, JSON that is no notebook.
    """
    if len(data) > MAX_NOTEBOOK_BYTES:
        raise Unreadable("too_large", f"{len(data) >> 20} MB, more than {MAX_NOTEBOOK_BYTES >> 20} MB")
    if not data.strip():
        raise Unreadable("empty")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Unreadable("encoding", str(error)[:200]) from None
    if not text.lstrip().startswith("{"):
        if _looks_like_python(text):
            return _percent_cells(text), "script"
        raise Unreadable("not_json", "neither a notebook (JSON) nor a Python script")
    if not _depth_ok(text):
        raise Unreadable("too_deep", f"JSON nested more than {MAX_JSON_DEPTH} levels")
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise Unreadable("not_json", " ".join(str(error).split())[:200]) from None
    if not isinstance(document, dict):
        raise Unreadable("not_notebook", "the JSON is not an object")
    version = document.get("nbformat")
    how = "notebook"
    if version == 3 or (version is None and "worksheets" in document):
        raw = [cell for sheet in document.get("worksheets") or [] if isinstance(sheet, dict)
               for cell in sheet.get("cells") or []]
    else:
        raw = document.get("cells")
        if isinstance(version, int) and version > 4:
            how = f"future_format:{version}"
    if not isinstance(raw, list):
        raise Unreadable("not_notebook", f"no list of cells (nbformat {version!r})")
    cells = []
    for number, cell in enumerate(raw, 1):
        if not isinstance(cell, dict):
            continue
        kind = cell.get("cell_type")
        if kind == "code":
            source = _text(cell.get("source", cell.get("input", "")))
        elif kind in ("markdown", "heading"):
            source = _text(cell.get("source", ""))
            if kind == "heading" and source is not None:  # nbformat 3: a heading cell with its level
                level = cell.get("level") if isinstance(cell.get("level"), int) else 1
                source = "#" * max(1, min(level, 6)) + " " + source
            kind = "markdown"
        else:
            continue
        if source is not None:
            cells.append(Cell(number, kind, source))
    return cells, how


def _indent(line):
    return line[:len(line) - len(line.lstrip())]


def cell_to_python(source):
    """The code cell `source` as plain Python, one output line per input line (see the module doc)."""
    lines = source.splitlines()
    if lines and lines[0].lstrip().startswith("%%"):
        magic = lines[0].lstrip()[2:].split(maxsplit=1)[0] if lines[0].strip() != "%%" else ""
        if magic not in _KEPT_CELL_MAGICS:
            return ""
        lines = [""] + lines[1:]
    out = []
    for line in lines:
        stripped = line.strip()
        indent = _indent(line)
        if stripped.startswith("%pylab"):
            out.append(indent + _PYLAB)
        elif stripped.startswith(("%", "!")) or re.match(r"^\w[\w.]*\s*=\s*[!%]", stripped):
            # a magic or shell line inside a block still needs a statement there
            out.append(indent + "pass" if indent else "")
        elif re.match(r"^(?:\?{1,2}[\w.]+|[\w.]+\?{1,2})$", stripped):
            out.append(indent + "pass" if indent else "")  # `name?` asks IPython for help
        else:
            out.append(line)
    return "\n".join(out) + "\n"


def parse_code(code, filename):
    """The module tree of `code`; CellError when it is too large, not Python, or nested too deep to parse."""
    if len(code) > MAX_CELL_CHARS:
        raise CellError("too_large", None, f"{len(code)} characters, more than {MAX_CELL_CHARS}")
    try:
        return ast.parse(code, filename=filename)
    except SyntaxError as error:
        return _syntax_error(error)
    except (RecursionError, MemoryError):
        raise CellError("too_deep", None, "nested too deeply to parse") from None
    except ValueError as error:  # a NUL byte
        raise CellError("syntax", None, str(error)[:200]) from None


def _syntax_error(error):
    reason = "too_deep" if "too many nested" in str(error.msg) or "too complex" in str(error.msg) else "syntax"
    raise CellError(reason, error.lineno, f"{error.msg}") from None


def _is_constant(node):
    try:
        ast.literal_eval(node)
        return True
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False


# NumPy constructors whose value, built from literals, a definition may read as a global
# (`w = np.array([0.5, 0.5])` above `def AND(x1, x2)`).
_ARRAY_BUILDERS = frozenset({"array", "asarray", "zeros", "ones", "arange", "eye", "full", "linspace", "empty"})


def _is_literal_array(node):
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
        and node.func.attr in _ARRAY_BUILDERS and isinstance(node.func.value, ast.Name) \
        and node.func.value.id in ("np", "numpy") and all(_is_constant(arg) for arg in node.args) \
        and all(_is_constant(keyword.value) or isinstance(keyword.value, (ast.Name, ast.Attribute))
                for keyword in node.keywords)


def _is_alias(node):
    """`ReLU = Relu`, `exp = np.exp`: another name for something already defined."""
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name)


def _is_sys_path_edit(node):
    """`sys.path.append(os.pardir)` and the like: how the book's scripts find common/."""
    call = node.value if isinstance(node, ast.Expr) else None
    return isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) \
        and call.func.attr in ("append", "insert", "extend") and isinstance(call.func.value, ast.Attribute) \
        and call.func.value.attr == "path" and isinstance(call.func.value.value, ast.Name) \
        and call.func.value.value.id == "sys"


def is_kept(node):
    """Whether a top-level statement is run when a file or cell is read definitions only."""
    if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return True
    if isinstance(node, ast.Assign):
        return all(isinstance(t, ast.Name) for t in node.targets) and (
            _is_constant(node.value) or _is_literal_array(node.value) or _is_alias(node.value))
    if isinstance(node, ast.AnnAssign):
        return isinstance(node.target, ast.Name) and (node.value is None or _is_constant(node.value))
    if isinstance(node, ast.Expr):
        return (isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)) or _is_sys_path_edit(node)
    if isinstance(node, ast.Try):  # try: import cupy / except ImportError: ...
        return all(is_kept(child) or isinstance(child, ast.Pass) for child in
                   [*node.body, *node.orelse, *node.finalbody, *(s for h in node.handlers for s in h.body)])
    return False


def kept_statements(tree):
    """The top-level statements of `tree` that `is_kept`, in order."""
    return [node for node in tree.body if is_kept(node)]


def bound_names(node):
    """The names a kept top-level statement binds (`*` for a star import)."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [node.name]
    if isinstance(node, ast.Import):
        return [(alias.asname or alias.name).split(".")[0] for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        return [alias.asname or alias.name for alias in node.names]
    if isinstance(node, ast.Assign):
        return [target.id for target in node.targets if isinstance(target, ast.Name)]
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return [node.target.id]
    if isinstance(node, ast.Try):
        names = []
        for child in [*node.body, *node.orelse, *node.finalbody, *(s for h in node.handlers for s in h.body)]:
            names.extend(name for name in bound_names(child) if name not in names)
        return names
    return []
