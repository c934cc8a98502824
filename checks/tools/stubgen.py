"""Generate `exercises/` from `reference/` (run by `make exercises`, or `python -m checks.tools.stubgen`).

The module tree of `reference/` is mirrored under `exercises/` (without
`reference/experiments/`, which is not an exercise, nor `reference/fast/`, the tuned
kernels: exercises are handed out without the answers, and a fast solution is one). Every region between
`# BEGIN SOLUTION` and `# END SOLUTION` becomes one line at the region's indentation:

    raise NotImplementedError(not_implemented("<qualname>", "§x.y", "exercises/<file>"))

which says "<qualname>: not implemented yet — book §x.y, exercises/<file>" in the
learner's language (DLFS_LANG, else the locale, else English: `exercises/_messages.py`,
generated here from the catalogs of checks/i18n, since exercises/ imports nothing
from checks/; a file with stubs imports it relatively).

`<qualname>` names the innermost function or class holding the region, and §x.y
comes from the nearest enclosing docstring that cites a section (the function's,
then its class's, then the module's). Everything outside the markers — imports,
names, signatures, docstrings, helpers, data loading — is copied verbatim, so the
public API of `exercises` is that of `reference`. Each generated Python file starts
with a header saying where it comes from and what a learner does with it.

`exercises/` is the learner's workspace. Generation records the SHA-256 of every
file it writes in `exercises/.generated.json` (committed with the files, so a fresh
clone and a student kit without git history know it too). A file whose content is
neither that recorded content nor what `reference/` generates now has been edited:
`make exercises` lists such files and stops without writing anything;
`make exercises FORCE=1` (`--force`) first moves them to a dated backup folder beside
`exercises/` and says where. Files a learner added are never removed.

`python -m checks.tools.stubgen --check` (maintainers) only compares, and exits 1 when
`exercises/` differs from what generation gives or the record is stale.
"""

import argparse
import ast
import datetime
import hashlib
import inspect
import json
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import LANGUAGES, N_
from ..i18n.catalogs import translations
from ..i18n.choice import choose
from ..locations import NoCheckout, require_checkout

__all__ = ["EXCLUDED", "MANIFEST_NAME", "MESSAGES_NAME", "EditedFiles", "StubError", "WriteResult", "digest",
           "edited_files",
           "read_manifest", "render_file", "render_messages", "render_tree", "stale_files", "write_tree"]

REPO_ROOT = Path(__file__).resolve().parents[2]
SOURCE = REPO_ROOT / "reference"
TARGET = REPO_ROOT / "exercises"
EXCLUDED = frozenset({"experiments", "fast", "__pycache__"})  # folder names never mirrored
MANIFEST_NAME = ".generated.json"
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
# The header before the manifest existed: a file carrying it and the current body is
# unedited (workspaces generated then have no manifest to say so).
_LEGACY_HEADER = (
    "# Generated from reference/{source} by `make exercises` (python -m checks.tools.stubgen).\n"
    "# Do not edit it in the dlfs repository: change reference/ and regenerate with `make exercises`.\n"
)
_LEGACY_NOTE = "# Learners: replace each `raise NotImplementedError(...)` below with your own code.\n"


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


def digest(content):
    """SHA-256 (hex) of a file's bytes, as recorded in the manifest.

    Line endings are normalised first: a checkout that turned LF into CRLF (git's
    autocrlf on Windows) has edited nothing.
    """
    return hashlib.sha256(content.replace(b"\r\n", b"\n")).hexdigest()


def read_manifest(target=TARGET):
    """{relative path: sha256} of the files as last generated into `target` ({} when unknown)."""
    path = Path(target) / MANIFEST_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}


def _manifest_text(expected):
    files = {name: digest(content) for name, content in sorted(expected.items())}
    return json.dumps({"about": "what `make exercises` last wrote here (sha256 per file); a file that differs "
                                "is yours and is never overwritten",
                       "files": files}, indent=1, ensure_ascii=False) + "\n"


def _files_in(target):
    """{relative path: bytes} of the files under `target` (no caches, no manifest)."""
    files = {}
    if Path(target).is_dir():
        for path in sorted(Path(target).rglob("*")):
            relative = path.relative_to(target)
            if path.is_file() and "__pycache__" not in relative.parts and path.suffix not in (".pyc", ".pyo") \
                    and relative.as_posix() != MANIFEST_NAME:
                files[relative.as_posix()] = path.read_bytes()
    return files


def stale_files(target=TARGET, source=SOURCE):
    """Paths (relative to exercises/) that differ from what generation gives, or should not exist.

    A maintainers' check (`--check`): in a learner's workspace every edited file is listed.
    The manifest counts too: it is listed when it does not record what generation gives.
    """
    expected = render_tree(source)
    actual = _files_in(target)
    differing = [name for name, content in expected.items() if actual.get(name) != content]
    extra = [name for name in actual if name not in expected]
    manifest = [MANIFEST_NAME] if read_manifest(target) != {n: digest(c) for n, c in expected.items()} else []
    return sorted(differing + extra + manifest)


def _legacy(name, content):
    """`content` (as generated now) with the header used before the manifest existed."""
    text = content.decode("utf-8", errors="replace")
    for header, note in ((EXERCISE_HEADER, _LEGACY_NOTE), (SUPPORT_HEADER, "")):
        current = header.format(source=name)
        if text.startswith(current):
            return (_LEGACY_HEADER.format(source=name) + note + text[len(current):]).encode("utf-8")
    return None


def edited_files(target=TARGET, source=SOURCE):
    """Files `make exercises` would have to overwrite or remove but must not: the learner's edits.

    A file is safe to replace when it holds what was last generated (its manifest digest)
    or what `source` generates now; anything else is someone's work.
    """
    expected = render_tree(source)
    recorded = read_manifest(target)
    edited = []
    for name, content in _files_in(target).items():
        if name in expected and digest(expected[name]) == digest(content):
            continue
        if name not in expected and name not in recorded:
            continue  # a file the learner added: never touched
        if name in recorded:
            if recorded[name] != digest(content):
                edited.append(name)
        elif name not in expected or digest(_legacy(name, expected[name]) or b"") != digest(content):
            edited.append(name)
    return edited


class EditedFiles(RuntimeError):
    """`make exercises` stopped: these files hold edits it would overwrite."""

    def __init__(self, files, target):
        self.files = list(files)
        self.target = Path(target)
        super().__init__(f"{len(self.files)} edited file(s) in {self.target.name}/: {', '.join(self.files)}")


@dataclass
class WriteResult:
    """What `write_tree` did: files written or removed, and where edited files were moved."""

    changed: list = field(default_factory=list)
    backed_up: list = field(default_factory=list)
    backup_dir: Path | None = None


def _backup_folder(target, now):
    stamp = (now or datetime.datetime.now()).strftime("%Y%m%d-%H%M%S")
    folder = target.parent / f"{target.name}-backup-{stamp}"
    suffix = 1
    while folder.exists():
        suffix += 1
        folder = target.parent / f"{target.name}-backup-{stamp}-{suffix}"
    return folder


def write_tree(target=TARGET, source=SOURCE, force=False, now=None):
    """Bring `target` in line with `source`, never losing a learner's edit.

    Files holding edits (see `edited_files`) stop everything with `EditedFiles` before
    anything is written; with `force` they are first moved to a dated folder beside
    `target` (`exercises-backup-YYYYmmdd-HHMMSS/`, same relative paths). Files a
    learner added are kept. The manifest is rewritten last.

    Returns:
        WriteResult.
    """
    target = Path(target)
    expected = render_tree(source)
    edited = edited_files(target, source)
    result = WriteResult()
    if edited and not force:
        raise EditedFiles(edited, target)
    if edited:
        result.backup_dir = _backup_folder(target, now)
        for name in edited:
            destination = result.backup_dir / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(target / name), str(destination))
            result.backed_up.append(name)
    recorded = read_manifest(target)
    for name, content in expected.items():
        path = target / name
        if not path.is_file() or path.read_bytes() != content:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            result.changed.append(name)
    for name, content in _files_in(target).items():
        # generated once, gone from reference/ now, and untouched since: remove it
        if name not in expected and recorded.get(name) == digest(content):
            (target / name).unlink()
            result.changed.append(name)
    if target.is_dir():
        for path in sorted(target.rglob("*"), reverse=True):
            if path.is_dir() and "__pycache__" not in path.relative_to(target).parts and not any(path.iterdir()):
                path.rmdir()
    manifest = target / MANIFEST_NAME
    text = _manifest_text(expected)
    if not manifest.is_file() or manifest.read_text(encoding="utf-8") != text:
        manifest.write_text(text, encoding="utf-8")
    return result


def _relative_to_cwd(path):
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m checks.tools.stubgen", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="maintainers: only report whether exercises/ is exactly what generation gives")
    parser.add_argument("--force", action="store_true",
                        help="move edited files to a dated backup folder, then regenerate them")
    args = parser.parse_args(argv)
    try:
        if args.check:
            stale = stale_files(TARGET, SOURCE)
            for name in stale:
                print(f"exercises/{name} is out of date")
            if stale:
                print("run `make exercises` to regenerate exercises/ from reference/")
            return 1 if stale else 0
        require_checkout("make exercises")  # never rewrites an installed dlfs's exercises/
        result = write_tree(TARGET, SOURCE, force=args.force)
    except (StubError, NoCheckout) as error:
        print(f"stubgen: {error}", file=sys.stderr)
        return 2
    except EditedFiles as error:
        print("make exercises: these files hold your edits, so nothing was regenerated:", file=sys.stderr)
        for name in error.files:
            print(f"  exercises/{name}", file=sys.stderr)
        print("Your work is safe. To regenerate them anyway, run `make exercises FORCE=1`: it first moves them "
              "to a dated backup folder beside exercises/ and says where.", file=sys.stderr)
        return 1
    if result.backed_up:
        print(f"moved {len(result.backed_up)} edited file(s) to {_relative_to_cwd(result.backup_dir)}/:")
        for name in result.backed_up:
            print(f"  exercises/{name} -> {_relative_to_cwd(result.backup_dir / name)}")
    changed = len(result.changed)
    print(f"exercises/: {changed} file(s) written or removed" if changed else "exercises/ is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
