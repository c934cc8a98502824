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
import json
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..library.stubs import (EXCLUDED, EXERCISE_HEADER, MESSAGES_NAME, SOURCE, SUPPORT_HEADER, StubError, render_file,
                              render_messages, render_tree)
from ..locations import NoCheckout, require_checkout

__all__ = ["EXCLUDED", "MANIFEST_NAME", "MESSAGES_NAME", "EditedFiles", "StubError", "WriteResult", "digest",
           "edited_files",
           "read_manifest", "render_file", "render_messages", "render_tree", "stale_files", "write_tree"]

TARGET = SOURCE.parent / "exercises"
MANIFEST_NAME = ".generated.json"
# The header before the manifest existed: a file carrying it and the current body is
# unedited (workspaces generated then have no manifest to say so).
_LEGACY_HEADER = (
    "# Generated from reference/{source} by `make exercises` (python -m checks.tools.stubgen).\n"
    "# Do not edit it in the dlfs repository: change reference/ and regenerate with `make exercises`.\n"
)
_LEGACY_NOTE = "# Learners: replace each `raise NotImplementedError(...)` below with your own code.\n"


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
