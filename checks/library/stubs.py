"""Stubs from `reference/` by its solution markers: the rendering behind `make exercises`.

checks/tools/stubgen.py writes what this renders into `exercises/` (and documents the markers);
the intake renders pristine stubs with it where loose files are placed onto them
(checks/isolation/intake/loose_files.py). It lives here, below both, so that the intake
never imports a maintainers' tool.
"""

import ast
import inspect
import json
import re
from pathlib import Path

from ..i18n import LANGUAGES, N_
from ..i18n.catalogs import translations
from ..i18n.choice import choose

__all__ = ["EXCLUDED", "EXERCISE_HEADER", "MESSAGES_NAME", "SOURCE", "SUPPORT_HEADER", "StubError", "render_file",
           "render_messages", "render_tree"]

SOURCE = Path(__file__).resolve().parents[2] / "reference"
EXCLUDED = frozenset({"experiments", "fast", "__pycache__"})  # folder names never mirrored
MESSAGES_NAME = "_messages.py"  # the stubs' message in every language (generated, not from reference/)
STUB_MESSAGE = N_("{qualname}: not implemented yet — book {section}, {file}")
STUB_MESSAGE_WITHOUT_SECTION = N_("{qualname}: not implemented yet — {file}")

_BEGIN = re.compile(r"^(?P<indent>[ \t]*)# BEGIN SOLUTION[ \t]*$")
_END = re.compile(r"^(?P<indent>[ \t]*)# END SOLUTION[ \t]*$")
_SECTION = re.compile(r"§\s*(\d+(?:\.\d+)*)")

# One message to a learner: what the file is for, and that their edits are safe.
EXERCISE_HEADER = (
    "# Generated from reference/{source} by `make exercises`. Your exercise: replace each\n"
    "# `raise NotImplementedError(...)` below with your own code; `make exercises` never overwrites your edits.\n"
)
SUPPORT_HEADER = (
    "# Generated from reference/{source} by `make exercises`. Nothing to write here: "
    "the exercises use it as it is.\n"
)
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
        arguments = ", ".join(json.dumps(value, ensure_ascii=False)
                              for value in (qualname, section or "", f"exercises/{relative}"))
        newline = "\r\n" if lines[begin].endswith("\r\n") else "\n"
        out.extend(lines[position:begin])
        out.append(f"{indent}raise NotImplementedError(not_implemented({arguments})){newline}")
        position = end + 1
    out.extend(lines[position:])
    if regions:
        out = _with_messages_import(out, tree, lines, relative)
    header = (EXERCISE_HEADER if regions else SUPPORT_HEADER).format(source=relative)
    return header + "".join(out)


def _with_messages_import(out, tree, lines, relative):
    """`out` with `from .._messages import not_implemented` after the module's imports.

    The stubs replace only lines inside functions and classes, so the lines up to the
    last import before the first definition are the same in `out` as in `lines`.
    """
    body = tree.body
    first_definition = next((i for i, node in enumerate(body)
                             if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))), len(body))
    imports = [node for node in body[:first_definition] if isinstance(node, (ast.Import, ast.ImportFrom))]
    if imports:
        at = imports[-1].end_lineno
    elif tree.body and isinstance(tree.body[0], ast.Expr) and isinstance(getattr(tree.body[0], "value", None),
                                                                           ast.Constant):
        at = tree.body[0].end_lineno
    else:
        at = 0
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    dots = "." * len(Path(relative).parts)
    return out[:at] + [f"from {dots}{MESSAGES_NAME[:-3]} import not_implemented{newline}"] + out[at:]


def render_messages():
    """`exercises/_messages.py`: the stubs' message in every language, from checks/i18n's catalogs."""
    templates = {}
    for lang in LANGUAGES:
        catalog = translations("grading", lang)
        templates[lang] = (catalog.gettext(STUB_MESSAGE), catalog.gettext(STUB_MESSAGE_WITHOUT_SECTION))
    table = "".join(f"    {json.dumps(lang)}: ({json.dumps(a, ensure_ascii=False)},\n"
                    f"{' ' * (len(lang) + 9)}{json.dumps(b, ensure_ascii=False)}),\n"
                    for lang, (a, b) in templates.items())
    # the same choice of language as checks/i18n's, copied: exercises/ imports nothing from checks
    choice_source = inspect.getsource(choose).rstrip("\n")
    return (
        "# Generated from checks/i18n/locale/*/LC_MESSAGES/grading.po by `make exercises`.\n"
        "# Nothing to write here: the exercises use it as it is.\n"
        '"""What a stub says when called: `raise NotImplementedError(not_implemented(...))`.\n\n'
        "The message names the function, the book's section and the file to edit, in the\n"
        "language of DLFS_LANG (en, ja, zh, zh-Hant, ko), else of the locale (LC_ALL, LC_MESSAGES, LANG),\n"
        'else English. Generated by `make exercises` from the translations in checks/i18n.\n"""\n\n'
        "import os\n\n"
        '__all__ = ["not_implemented"]\n\n'
        "# language: (message with the book's section, message without)\n"
        f"_TEMPLATES = {{\n{table}}}\n\n\n"
        f"{choice_source}\n\n\n"
        "def _language():\n"
        "    # an unknown DLFS_LANG is the grader's error to report; a stub just speaks English\n"
        '    return choose(os.environ, _TEMPLATES)[0] or "en"\n\n\n'
        "def not_implemented(qualname, section, file):\n"
        '    """The message of the stub `qualname` (e.g. "Affine.forward"), citing `section` ("§5.6.2")."""\n'
        "    with_section, without = _TEMPLATES[_language()]\n"
        "    if section:\n"
        "        return with_section.format(qualname=qualname, section=section, file=file)\n"
        "    return without.format(qualname=qualname, file=file)\n"
    )


def render_tree(source=SOURCE):
    """{relative path: bytes} of every file `exercises/` must hold."""
    files = {MESSAGES_NAME: render_messages().encode("utf-8")}
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if not path.is_file() or EXCLUDED.intersection(relative.parts) or path.suffix in (".pyc", ".pyo"):
            continue
        if path.suffix == ".py":
            files[relative.as_posix()] = render_file(path.read_text(encoding="utf-8"), relative).encode("utf-8")
        else:
            files[relative.as_posix()] = path.read_bytes()
    return files
