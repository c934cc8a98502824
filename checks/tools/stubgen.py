"""Generate `exercises/` from `reference/` (run by `make exercises`, or `python -m checks.tools.stubgen`).

The module tree of `reference/` is mirrored under `exercises/` (without
`reference/experiments/`, which is not an exercise, nor `reference/fast/`, the tuned
kernels: exercises are handed out without the answers, and a fast solution is one). Every region between
`# BEGIN SOLUTION` and `# END SOLUTION` becomes one line at the region's indentation:

    raise NotImplementedError("<qualname>: not implemented yet — book §x.y, exercises/<file>")

`<qualname>` names the innermost function or class holding the region, and §x.y
comes from the nearest enclosing docstring that cites a section (the function's,
then its class's, then the module's). Everything outside the markers — imports,
names, signatures, docstrings, helpers, data loading — is copied verbatim, so the
public API of `exercises` is that of `reference`. Each generated Python file starts
with a header saying where it comes from and how to regenerate it.

`python -m checks.tools.stubgen --check` only compares, and exits 1 when `exercises/` is
out of date (checks/test_stubs.py asserts the same).
"""

import argparse
import ast
import json
import re
import sys
from pathlib import Path

__all__ = ["EXCLUDED", "StubError", "render_file", "render_tree", "stale_files", "write_tree"]

REPO_ROOT = Path(__file__).resolve().parents[2]
SOURCE = REPO_ROOT / "reference"
TARGET = REPO_ROOT / "exercises"
EXCLUDED = frozenset({"experiments", "fast", "__pycache__"})  # folder names never mirrored

_BEGIN = re.compile(r"^(?P<indent>[ \t]*)# BEGIN SOLUTION[ \t]*$")
_END = re.compile(r"^(?P<indent>[ \t]*)# END SOLUTION[ \t]*$")
_SECTION = re.compile(r"§\s*(\d+(?:\.\d+)*)")

HEADER = (
    "# Generated from reference/{source} by `make exercises` (python -m checks.tools.stubgen).\n"
    "# Do not edit it in the dlfs repository: change reference/ and regenerate with `make exercises`.\n"
)
LEARNER_NOTE = "# Learners: replace each `raise NotImplementedError(...)` below with your own code.\n"


class StubError(ValueError):
    """A reference file whose solution markers cannot be turned into stubs."""


def _regions(lines, where):
    """(begin, end, indent) line indices of every marked region, validated."""
    regions, open_at = [], None
    for number, line in enumerate(lines):
        begin, end = _BEGIN.match(line), _END.match(line)
        if begin:
            if open_at is not None:
                raise StubError(f"{where}:{number + 1}: BEGIN SOLUTION inside the region opened at line "
                                f"{open_at[0] + 1}")
            open_at = (number, begin.group("indent"))
        elif end:
            if open_at is None:
                raise StubError(f"{where}:{number + 1}: END SOLUTION without a BEGIN SOLUTION")
            if end.group("indent") != open_at[1]:
                raise StubError(f"{where}:{number + 1}: END SOLUTION indented differently from its BEGIN "
                                f"(line {open_at[0] + 1})")
            regions.append((open_at[0], number, open_at[1]))
            open_at = None
    if open_at is not None:
        raise StubError(f"{where}:{open_at[0] + 1}: BEGIN SOLUTION is never closed")
    return regions


def _scopes(tree):
    """Every def/class with its dotted qualname, outermost first."""
    scopes = []

    def visit(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = f"{prefix}.{child.name}" if prefix else child.name
                scopes.append((child, name))
                visit(child, name)
            else:
                visit(child, prefix)

    visit(tree, "")
    return scopes


def _section(docstring):
    match = _SECTION.search(docstring or "")
    return f"§{match.group(1)}" if match else None


def _describe_region(tree, scopes, line_number, module_name):
    """(qualname, section) for the region starting at 1-based `line_number`."""
    enclosing = [(node, name) for node, name in scopes if node.lineno <= line_number <= node.end_lineno]
    qualname = enclosing[-1][1] if enclosing else module_name
    for node, _ in reversed(enclosing):
        section = _section(ast.get_docstring(node))
        if section:
            return qualname, section
    return qualname, _section(ast.get_docstring(tree))


def render_file(text, relative):
    """The exercise version of one reference file (`relative` is its path under reference/)."""
    relative = Path(relative).as_posix()
    where = f"reference/{relative}"
    try:
        tree = ast.parse(text, filename=where)
    except SyntaxError as error:
        raise StubError(f"{where}: not valid Python: {error}") from None
    lines = text.splitlines(keepends=True)
    regions = _regions(lines, where)
    scopes = _scopes(tree)
    module_name = relative[:-3].replace("/", ".")
    out, position = [], 0
    for begin, end, indent in regions:
        qualname, section = _describe_region(tree, scopes, begin + 1, module_name)
        where_to_read = f"book {section}, " if section else ""
        message = f"{qualname}: not implemented yet — {where_to_read}exercises/{relative}"
        newline = "\r\n" if lines[begin].endswith("\r\n") else "\n"
        out.extend(lines[position:begin])
        out.append(f"{indent}raise NotImplementedError({json.dumps(message, ensure_ascii=False)}){newline}")
        position = end + 1
    out.extend(lines[position:])
    header = HEADER.format(source=relative) + (LEARNER_NOTE if regions else "")
    return header + "".join(out)


def render_tree(source=SOURCE):
    """{relative path: bytes} of every file `exercises/` must hold."""
    files = {}
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if not path.is_file() or EXCLUDED.intersection(relative.parts) or path.suffix in (".pyc", ".pyo"):
            continue
        if path.suffix == ".py":
            files[relative.as_posix()] = render_file(path.read_text(encoding="utf-8"), relative).encode("utf-8")
        else:
            files[relative.as_posix()] = path.read_bytes()
    return files


def stale_files(target=TARGET, source=SOURCE):
    """Paths (relative to exercises/) that differ from what generation gives, or should not exist."""
    expected = render_tree(source)
    actual = {}
    if target.is_dir():
        for path in target.rglob("*"):
            relative = path.relative_to(target)
            if path.is_file() and "__pycache__" not in relative.parts:
                actual[relative.as_posix()] = path.read_bytes()
    differing = [name for name, content in expected.items() if actual.get(name) != content]
    extra = [name for name in actual if name not in expected]
    return sorted(differing + extra)


def write_tree(target=TARGET, source=SOURCE):
    """Bring `target` in line with `source`; returns the paths written or removed."""
    expected = render_tree(source)
    changed = []
    for name, content in expected.items():
        path = target / name
        if not path.is_file() or path.read_bytes() != content:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            changed.append(name)
    if target.is_dir():
        for path in sorted(target.rglob("*"), reverse=True):
            relative = path.relative_to(target)
            if "__pycache__" in relative.parts:
                continue
            if path.is_file() and relative.as_posix() not in expected:
                path.unlink()
                changed.append(relative.as_posix())
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return changed


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m checks.tools.stubgen", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report whether exercises/ is up to date")
    args = parser.parse_args(argv)
    try:
        if args.check:
            stale = stale_files()
            for name in stale:
                print(f"exercises/{name} is out of date")
            if stale:
                print("run `make exercises` to regenerate exercises/ from reference/")
            return 1 if stale else 0
        changed = write_tree()
    except StubError as error:
        print(f"stubgen: {error}", file=sys.stderr)
        return 2
    print(f"exercises/: {len(changed)} file(s) written or removed" if changed else "exercises/ is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
