"""`ImplSpec`: what an IMPL value names, resolved once, frozen and typed.

Everything downstream — the grader, pytest (`--impl-spec=FILE`), the transports and the
child process that runs the code — reads this record; none of them looks at the IMPL
value again. `resolve.py` makes it; `child_spec()` is the plain dict the child process
(which cannot import `checks`) opens (`checks/isolation/child/sandboxed/loaders.py`).
"""

import json
from dataclasses import asdict, dataclass, field, replace
from enum import Enum
from pathlib import Path

from ..child.sandboxed.folder import mount_of
from ...locations import PACKAGE_ROOT

__all__ = ["Form", "ImplSpec", "Kind", "REPO_ROOT", "component_table", "load_spec"]

REPO_ROOT = PACKAGE_ROOT  # the checkout or site-packages: read, never written (checks/locations.py)


def component_table():
    """{component: {"chapter", "names", "homes", "built_on", "extensions"}}: checks/library/components.py as the
    child reads it (plain data; `built_on` the names of its prerequisites, which tell the two TwoLayerNets apart;
    `extensions` {form: {"section", "what", "listing"}}, the English texts the grader translates back)."""
    from ...library.components import TABLE, component

    return {row.name: {"chapter": row.chapter, "names": list(row.names), "homes": list(row.homes),
                       "built_on": sorted({name for prerequisite in row.prerequisites
                                           for name in component(prerequisite).names}),
                       "extensions": {e.form: {"section": e.section, "what": str(e.what), "listing": str(e.listing)}
                                      for e in row.extensions}} for row in TABLE}


class Kind(Enum):
    """How the implementation is opened."""

    PACKAGE = "package"  # a package exporting the book's names at its top (reference/, exercises/, a learner's)
    BOOK = "book"  # a folder laid out like the book's repository (common/, ch02/ … ch08/)
    WORKSPACE = "workspace"  # a learner's notebooks: one .ipynb, or a folder of notebooks and files, nested or not
    MUTANT = "mutant"  # the reference with the components of one bug-corpus module swapped in
    KERNEL = "kernel"  # the globals of a running notebook kernel, checked in its own process by `check()`


class Form(Enum):
    """What the IMPL value was, before it was resolved (reports and scores.csv say it)."""

    REFERENCE = "reference"
    EXERCISES = "exercises"
    MUTANT = "mutant"  # mutant:NAME
    PACKAGE = "package"  # a folder with an __init__.py
    KIT = "kit"  # a copy of the dlfs repository or of the student kit: its exercises/ is graded
    BOOK = "book"  # book:PATH, or a folder detected as laid out like the book's repository
    NOTEBOOK = "notebook"  # one .ipynb
    FOLDER = "folder"  # a learner's folder holding notebooks (with files or not, nested or not)
    PYTHON_FILE = "python-file"  # one .py, placed onto the stubs like a loose file
    LOOSE_FILES = "loose-files"  # .py files side by side (Gradescope's usual upload), placed onto the stubs
    ZIP = "zip"  # a .zip, unpacked safely; `kind` says what was inside
    KERNEL = "kernel"  # a running kernel's globals (`check(Affine)` in a notebook)


@dataclass(frozen=True)
class ImplSpec:
    """One implementation to grade or run.

    Attributes:
        kind: how it is opened (Kind).
        form: what the IMPL value was (Form).
        given: the IMPL value as it was named (`reference`, `mutant:x`, `../alice.zip`), for results.json.
        path: absolute path of what is opened: the package folder (PACKAGE), the book-layout root
            (BOOK), the learner's notebook or folder (WORKSPACE), the mutant's module (MUTANT); ""
            for a KERNEL.
        module: the name the package is imported under (PACKAGE; "" otherwise).
        label: what identifies it to the harness: `reference`, `exercises`, `mutant:NAME`, else `path`.
        display: how a learner names it, in diagnoses and reports — never a temporary folder's path.
        notes: what the learner is told about how it was found (a detected layout, placed loose
            files, entries of a zip left out).
        source: absolute path of what was submitted (the zip, the folder of loose files), or "".
        staged: unused (once the book-layout folder notebooks were converted into; the child now
            reads learners' folders where they are: checks/isolation/child/sandboxed/workspace.py).
        trusted: our own code (the reference, the bug corpus): it may import `reference`.
        base: MUTANT only: the reference it overlays.
    """

    kind: Kind
    form: Form
    given: str
    path: str
    label: str
    display: str
    module: str = ""
    notes: tuple = ()
    source: str = ""
    staged: str = ""
    trusted: bool = False
    base: "ImplSpec | None" = field(default=None, repr=False)

    # -- what follows from the kind ---------------------------------------------------------
    @property
    def deviation_kind(self):
        """"book" when graded against the book's layout (its homes decide what is at stake), else "package"."""
        return "book" if self.kind in (Kind.BOOK, Kind.WORKSPACE) else "package"

    @property
    def homes(self):
        """{component: [(home file, [names])]} for BOOK and WORKSPACE (checks/library/components.py), else {}."""
        if self.kind not in (Kind.BOOK, Kind.WORKSPACE):
            return {}
        from ...library.components import book_homes

        return book_homes()

    @classmethod
    def kernel(cls, label):
        """The spec of a running kernel's globals, named `label` in diagnoses (checks/grading/in_kernel.py)."""
        return cls(kind=Kind.KERNEL, form=Form.KERNEL, given=label, path="", label=label, display=label)

    def with_notes(self, *notes):
        """This spec with `notes` added after its own."""
        return replace(self, notes=(*self.notes, *notes))

    def child_spec(self):
        """The plain dict the child process opens (`open_layout` in checks/isolation/child/sandboxed/loaders.py).

        Support packages (`data`, and `reference` for a mutant, which imports it) are
        imported first; a book layout gets the component table's homes.
        """
        support = {"data": str(REPO_ROOT / "data")}
        if self.kind is Kind.KERNEL:  # opened in its own process only, on the kernel's globals
            return {"kind": "kernel", "label": self.label, "display": self.display, "support": {}}
        if self.kind is Kind.MUTANT:
            return {"kind": "overlay", "path": self.path, "base": self.base.child_spec(), "label": self.label,
                    "display": self.display, "support": {**support, "reference": self.base.path}}
        if self.kind is Kind.PACKAGE:
            return {"kind": "package", "path": self.path, "module": self.module, "label": self.label,
                    "display": self.display, "support": support}
        # BOOK and WORKSPACE: the learner's folder, read where it is by the child (workspace.py); one
        # notebook is its "entry", the child seeing the repository around it (its common/, dataset/)
        path, entry = Path(self.staged or self.path), None
        if path.is_file():
            mount = mount_of(path)
            path, entry = mount, path.relative_to(mount).as_posix()
        return {"kind": self.kind.value, "path": str(path), "entry": entry, "label": self.label,
                "display": self.display, "support": support, "homes": self.homes, "components": component_table()}

    # -- serialized (pytest's --impl-spec, xdist workers) -------------------------------------
    def to_dict(self):
        data = asdict(self)
        data["kind"], data["form"], data["notes"] = self.kind.value, self.form.value, list(self.notes)
        data["base"] = None if self.base is None else self.base.to_dict()
        return data

    @classmethod
    def from_dict(cls, data):
        fields = dict(data)
        fields["kind"], fields["form"] = Kind(fields["kind"]), Form(fields["form"])
        fields["notes"] = tuple(fields.get("notes", ()))
        fields["base"] = None if fields.get("base") is None else cls.from_dict(fields["base"])
        return cls(**fields)

    def to_json(self):
        return json.dumps(self.to_dict())  # ASCII: a path may hold undecodable bytes (surrogates)

    @classmethod
    def from_json(cls, text):
        return cls.from_dict(json.loads(text))

    def dump(self, path):
        """Write this spec to `path` as JSON (what `--impl-spec=PATH` reads)."""
        Path(path).write_text(self.to_json(), encoding="utf-8")
        return Path(path)


def load_spec(path):
    """The ImplSpec written to `path` by `ImplSpec.dump`."""
    return ImplSpec.from_json(Path(path).read_text(encoding="utf-8"))
