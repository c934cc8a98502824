"""The one resolver: whatever IMPL names, classified once into an `ImplSpec`.

IMPL (`make grade IMPL=…`, `--impl=…`, a submitted folder, a row of grade-all) is one of:

| IMPL                                                   | kind      | form        |
| ------------------------------------------------------ | --------- | ----------- |
| `reference`, `exercises`                               | PACKAGE   | REFERENCE, EXERCISES |
| `mutant:NAME` (checks/tools/mutants/NAME.py)           | MUTANT    | MUTANT      |
| a folder with an `__init__.py`                         | PACKAGE   | PACKAGE     |
| a copy of the dlfs repository or kit (`exercises/`)    | PACKAGE   | KIT         |
| `book:PATH`, or a folder with `common/` or `chNN/`     | BOOK      | BOOK        |
| one `.ipynb`                                           | WORKSPACE | NOTEBOOK    |
| a folder of notebooks, with files or not, nested too   | WORKSPACE | FOLDER      |
| a folder whose book layout is nested or renamed        | WORKSPACE | FOLDER      |
| a book layout some of whose code is only in notebooks  | WORKSPACE | FOLDER      |
| one `.py`                                              | PACKAGE   | PYTHON_FILE |
| `.py` files side by side (Gradescope's upload)         | PACKAGE   | LOOSE_FILES |
| a `.zip` of any of these (or a folder holding one zip) | its own   | ZIP         |

A folder is looked at in this order: what it is itself (a kit, a package, a book layout,
notebooks at its top); what its one inner folder is, when no code sits beside it (an
unpacked zip or a clone wraps everything in one more folder); notebooks deeper down
(bounded: MAX_DEPTH folders, MAX_ENTRIES entries, no links followed); loose `.py` files at
its top; one `.zip`.
Loose files and zips need a work folder (`workdir`, the caller's, which must outlive the
grading): zips are unpacked and loose files placed onto the stubs there. Notebooks are read
where they are, by the child. Every refusal is an IntakeError naming the thing, what was expected and
what came.

Functions: `resolve(value, workdir)`, `resolved(value)` (a temporary work folder for the
`with` block) and `resolve_submission(folder, workdir)` (Gradescope: copy, then resolve).
"""

import contextlib
import difflib
import hashlib
import os
import re
import tempfile
from dataclasses import replace
from pathlib import Path

from ...i18n import translator
from ...locations import temporary_folder
from ..child.sandboxed.book_layout import looks_like_book_layout
from ..child.sandboxed.folder import has_learner_work
from .errors import IntakeError
from .loose_files import assemble, loose_files, pristine_stubs
from .spec import REPO_ROOT, Form, ImplSpec, Kind
from .submission import copy_submission
from .zips import safe_extract

__all__ = ["MAX_DEPTH", "MAX_ENTRIES", "resolve", "resolve_submission", "resolved"]

_ = translator("grading")
MUTANTS = REPO_ROOT / "checks" / "tools" / "mutants"
# The search for notebooks below a folder: how deep, and how many entries it looks at in all
# (a learner's repository: hundreds; a submission of a million files must not stall the grader).
MAX_DEPTH = 8
MAX_ENTRIES = 20000
_NOT_SUBMITTED = {"__pycache__", "__MACOSX", "node_modules", "site-packages"}


class _Context:
    """What one resolution needs besides the value: where to write, the stubs, how to show paths."""

    def __init__(self, value, workdir, stubs, shown_from):
        self.value = value
        self.workdir = None if workdir is None else Path(workdir)
        self._stubs = None if stubs is None else Path(stubs)
        self.shown_from = Path(shown_from).resolve() if shown_from is not None else Path.cwd().resolve()
        self.aliases = {}  # a folder written here -> how the learner names it (an unpacked zip: the zip)

    def folder(self, prefix):
        """A new folder under the work folder."""
        if self.workdir is None:
            raise ValueError(f"resolving {self.value!r} writes files: pass a work folder (or use resolved())")
        self.workdir.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=prefix, dir=self.workdir))

    def stubs(self):
        if self._stubs is None:
            self._stubs = pristine_stubs(self.folder("stubs-"))
        return self._stubs

    def shown(self, path):
        """`path` as the learner names it: relative to `shown_from` when inside it, else its name."""
        path = Path(path)
        for root, alias in self.aliases.items():
            if path == root or path.is_relative_to(root):
                return "/".join([alias, *path.relative_to(root).parts])
        try:
            return path.relative_to(self.shown_from).as_posix() or "."
        except ValueError:
            return path.name or str(path)


def _module_name(folder):
    """A name to import the package at `folder` under: its own name made an identifier, and a digest of
    its path, so that two packages opened in one process (tests, experiments) never share modules."""
    cleaned = re.sub(r"[^0-9A-Za-z_]", "_", Path(folder).name)
    digest = hashlib.sha256(os.fsencode(str(folder))).hexdigest()[:8]
    return f"dlfs_submission_{cleaned}_{digest}"


# -- the named values ------------------------------------------------------------------------
def _repo_package(name):
    return ImplSpec(kind=Kind.PACKAGE, form=Form(name), given=name, path=str(REPO_ROOT / name), module=name,
                    label=name, display=name, trusted=name == "reference")


def _mutant(value):
    name = value[len("mutant:"):]
    path = MUTANTS / f"{name}.py"
    if not re.fullmatch(r"[A-Za-z0-9]\w*", name) or not path.is_file():  # a name, never a path
        known = sorted(p.stem for p in MUTANTS.glob("*.py") if not p.name.startswith("_"))
        close = difflib.get_close_matches(name, known, n=3)
        hint = _("did you mean {close}?", close=" / ".join(close)) if close else \
            _("`make mutants` lists them ({count} in all)", count=len(known))
        raise IntakeError(value, _("no mutant of that name in checks/tools/mutants/; {hint}", hint=hint))
    base = _repo_package("reference")
    return ImplSpec(kind=Kind.MUTANT, form=Form.MUTANT, given=value, path=str(path), label=value, display=value,
                    trusted=True, base=base)


# -- folders -------------------------------------------------------------------------------------
def _children(folder):
    """The entries of `folder` that may be part of a submission (no hidden ones, no caches), sorted.

    Raises IntakeError past MAX_ENTRIES entries (a submission is not a million files)."""
    found = []
    with os.scandir(folder) as entries:
        for number, entry in enumerate(entries):
            if number >= MAX_ENTRIES:
                raise IntakeError(folder.name, _("more than {count} entries in one folder", count=MAX_ENTRIES))
            if not entry.name.startswith(".") and entry.name not in _NOT_SUBMITTED:
                found.append(Path(entry.path))
    return sorted(found, key=lambda p: p.name)


def _has_notebooks(folder, top_only=False):
    """Whether a learner's notebook is in `folder` (no links followed, no hidden folders; bounded)."""
    pending, seen = [(folder, 0)], 0
    while pending:
        here, depth = pending.pop()
        try:
            entries = list(os.scandir(here))
        except OSError:
            continue
        for entry in entries:
            seen += 1
            if seen > MAX_ENTRIES:
                return False
            if entry.name.startswith(".") or entry.name in _NOT_SUBMITTED:
                continue  # .ipynb_checkpoints holds older copies of the same notebooks
            try:
                if entry.is_file(follow_symlinks=False) and entry.name.endswith(".ipynb"):
                    return True
                if not top_only and depth < MAX_DEPTH and entry.is_dir(follow_symlinks=False):
                    pending.append((entry.path, depth + 1))
            except OSError:
                continue
    return False


def _complete_book_layout(folder):
    """Every file the book keeps a graded component in is there (the book's own repository)."""
    from ...library.components import TABLE

    return all((folder / row.homes[0]).is_file() for row in TABLE if row.homes)


def _book(folder, context, form=Form.BOOK, note=None):
    """A book layout, or a learner's workspace when some of its code is only in notebooks.

    A complete book layout is graded from its files, whatever notebooks it also holds (the
    book's repository ships notebooks/ beside them).
    """
    if not _complete_book_layout(folder) and _has_notebooks(folder):
        return _workspace(folder, context, Form.FOLDER, display=f"book:{context.shown(folder)}")
    notes = (note,) if note else ()
    return ImplSpec(kind=Kind.BOOK, form=form, given=context.value, path=str(folder), label=str(folder),
                    display=f"book:{context.shown(folder)}", notes=notes)


def _package(folder, context, form):
    return ImplSpec(kind=Kind.PACKAGE, form=form, given=context.value, path=str(folder), module=_module_name(folder),
                    label=str(folder), display=context.shown(folder))


def _workspace(path, context, form, display=None):
    """A learner's notebook or folder: read where it is, inside the child (checks/isolation/child/sandboxed/
    workspace.py), which alone parses what it holds."""
    return ImplSpec(kind=Kind.WORKSPACE, form=form, given=context.value, path=str(path), label=str(path),
                    display=display or context.shown(path))


def _direct(folder, context, wrapped=False):
    """What `folder` is by itself, or None."""
    if (folder / "exercises" / "__init__.py").is_file():
        return _package(folder / "exercises", context, Form.KIT)
    if (folder / "__init__.py").is_file() and not (looks_like_book_layout(folder) and _empty(folder / "__init__.py")):
        return _package(folder, context, Form.PACKAGE)
    if looks_like_book_layout(folder):
        note = None if context.value.startswith("book:") or wrapped else _(
            "{folder} has no __init__.py and is laid out like the book's repository (common/, chNN/): graded as "
            "book:{folder}", folder=context.shown(folder))
        return _book(folder, context, note=note)
    if _has_notebooks(folder, top_only=True):
        return _workspace(folder, context, Form.FOLDER)
    return None


def _empty(path):
    """Whether a file holds no code (an `__init__.py` a learner's IDE left at the top of a book layout)."""
    try:
        if path.stat().st_size > 4096:
            return False
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())


def _loose(files, context, form, shown):
    into = context.folder("assembled-")
    placements = assemble(files, context.stubs(), into)
    notes = tuple(_("loose file placed: {placement}", placement=p.describe()) for p in placements)
    package = into / "exercises"
    return ImplSpec(kind=Kind.PACKAGE, form=form, given=context.value, path=str(package),
                    module=_module_name(package), label=str(package), display=shown, notes=notes,
                    source=str(files[0].parent if form is Form.LOOSE_FILES else files[0]))


def _zip(archive, context):
    unpacked = context.folder("unpacked-") / "zip"
    extraction = safe_extract(archive, unpacked)
    context.aliases[unpacked] = context.shown(archive)  # what is inside is named after the zip
    notes = tuple(_("{zip}: entry {name} left out ({reason})", zip=archive.name, name=repr(name), reason=reason)
                  for name, reason in extraction.left_out)
    inner = _folder(unpacked, context, in_zip=True)
    return replace(inner, form=Form.ZIP, source=str(archive), notes=(*notes, *inner.notes))


def _folder(folder, context, in_zip=False):
    try:
        found = _direct(folder, context)
        if found is not None:
            return found
        children = _children(folder)
        inner = [p for p in children if p.is_dir() and not p.is_symlink() and not p.name.startswith("__")]
        code_here = any(p.suffix in (".py", ".ipynb") and p.is_file() for p in children)
        if len(inner) == 1 and not code_here:  # one folder wrapping everything (an unpacked zip, a clone)
            found = _direct(inner[0], context, wrapped=True)
            if found is not None:
                return found
        if _has_notebooks(folder) or has_learner_work(folder):  # notebooks, or a layout nested (book_1/ch04/)
            return _workspace(folder, context, Form.FOLDER)
        files = loose_files(folder)
        if files:
            shown = _("{where} (loose files)", where=context.shown(folder))
            return _loose(files, context, Form.LOOSE_FILES, shown)
        if has_learner_work(folder, scripts=True):  # Python files in folders of the learner's own naming
            return _workspace(folder, context, Form.FOLDER)
        zips = [p for p in children if p.suffix.lower() == ".zip" and p.is_file() and not p.is_symlink()]
        if len(zips) == 1 and not in_zip:  # a zip uploaded as it is (Gradescope keeps it whole)
            return _zip(zips[0], context)
    except IntakeError:
        raise
    except (OSError, RuntimeError) as error:  # unreadable, a link loop, a name the system refuses
        raise IntakeError(context.shown(folder), _("the folder could not be read ({error})",
                                                   error=type(error).__name__ + ": " + str(error))) from None
    raise IntakeError(context.shown(folder), _(
        "nothing to grade: expected an exercises/ package, a package (__init__.py), a folder laid out like the "
        "book's repository (common/, ch02/ … ch08/), notebooks (.ipynb), .py files or one .zip"))


def _file(path, context):
    suffix = path.suffix.lower()
    if suffix == ".ipynb":
        return _workspace(path, context, Form.NOTEBOOK)
    if suffix == ".py":
        return _loose([path], context, Form.PYTHON_FILE, context.shown(path))
    if suffix == ".zip":
        return _zip(path, context)
    what = _("a {suffix} file", suffix=suffix) if suffix else _("a file without an extension")
    raise IntakeError(context.value, _("{what}; expected a folder, a notebook (.ipynb), a .py file or a .zip",
                                       what=what))


# -- the API ----------------------------------------------------------------------------------------
def resolve(value, workdir=None, *, stubs=None, shown_from=None):
    """The ImplSpec of the IMPL `value` (see the module's doc).

    Args:
        value: an IMPL value (str or path).
        workdir: a folder for what resolving writes (unpacked zips, assembled loose files);
            created when missing; it must outlive the grading. Needed only for those forms
            (ValueError otherwise).
        stubs: the exercises package loose files are placed onto (default: `pristine_stubs`).
        shown_from: paths inside this folder are displayed relative to it (default: the
            working directory); others by their name.

    Raises:
        IntakeError: the value names nothing gradable; its message names the value, what was
            expected and what came.
    """
    value = os.fspath(value) if isinstance(value, os.PathLike) else str(value)
    if value in ("reference", "exercises"):
        return _repo_package(value)
    if value.startswith("mutant:"):
        return _mutant(value)
    context = _Context(value, workdir, stubs, shown_from)
    named = value[len("book:"):] if value.startswith("book:") else value
    if not named:
        raise IntakeError(value, _("no path given; expected reference, exercises, mutant:NAME, book:PATH or a PATH"))
    path = Path(named).expanduser()
    try:
        if not os.path.lexists(path):
            raise IntakeError(value, _("no such file or folder"))
        path = path.resolve()
        if value.startswith("book:"):
            if not path.is_dir():
                raise IntakeError(value, _("not a folder; book:PATH expects a folder laid out like the book's "
                                           "repository (common/, ch02/ … ch08/)"))
            return _book(path, context)
        if path.is_dir():
            return _folder(path, context)
        if path.is_file():
            return _file(path, context)
    except IntakeError:
        raise
    except (OSError, RuntimeError) as error:
        raise IntakeError(value, _("it could not be read ({error})", error=type(error).__name__ + ": " + str(error))) \
            from None
    raise IntakeError(value, _("neither a file nor a folder (a link to nowhere, a pipe, a device)"))


@contextlib.contextmanager
def resolved(value, **options):
    """`with resolved(value) as spec:` — resolve into a temporary work folder, removed afterwards."""
    with temporary_folder("intake") as workdir:
        yield resolve(value, workdir, **options)


def resolve_submission(folder, workdir, *, stubs=None):
    """Gradescope's intake: copy the submitted `folder` into `workdir`, then resolve the copy.

    The copy never leaves the submission (see `copy_submission`); what it left out is in
    the spec's notes. The spec's display names the submission as `submission`, the way
    Gradescope shows it. Raises IntakeError as `resolve` does.
    """
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    copy = Path(tempfile.mkdtemp(prefix="copy-", dir=workdir)) / "submission"
    try:
        skipped = copy_submission(folder, copy)
        stopped = ()
    except OSError as error:  # a copy that failed half-way is graded as far as it got
        skipped, stopped = [], (_("the copy of the submission stopped early ({error}); what was copied is graded",
                                  error=str(error)),)
    notes = stopped + tuple(_("left out of the graded copy: {path} ({reason})", path=path, reason=_(reason))
                            for path, reason in skipped)
    spec = resolve(str(copy), workdir, stubs=stubs, shown_from=copy.parent)
    return replace(spec, given=str(folder), notes=(*spec.notes, *notes))
