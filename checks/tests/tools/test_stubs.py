"""exercises/ is generated from reference/ (checks/tools/stubgen.py), and then it is the learner's.

The parity tests compare what generation gives from the committed reference/ with the
committed record of it (`exercises/.generated.json`) and with reference/'s API, never
with the files in exercises/: a learner's edits there must not fail `make check`.
Comparing the files themselves is the maintainers' `python -m checks.tools.stubgen --check`.
"""

import datetime
import importlib
import importlib.util
import inspect
import json
import sys
import textwrap
from pathlib import Path

import pytest

from checks.tools import stubgen
from checks.tools.stubgen import (EXCLUDED, MANIFEST_NAME, MESSAGES_NAME, SOURCE, TARGET, EditedFiles, StubError, digest,
                                  edited_files, read_manifest, render_file, render_tree, stale_files, write_tree)

# -- the generator on small inputs ---------------------------------------------------

SAMPLE = textwrap.dedent('''\
    """Module doc citing the chapter (book §9.1)."""

    import numpy as np


    def helper(x):
        return x + 1


    class Layer:
        """A layer (book §9.2)."""

        def __init__(self):
            """No section here, so the class's counts."""
            # BEGIN SOLUTION
            self.x = None
            # END SOLUTION

        def forward(self, x):
            """Forward (book §9.3.1)."""
            if x is None:
                return None
            # BEGIN SOLUTION
            def inner(y):
                return y * 2
            return inner(x)
            # END SOLUTION


    def plain(x):
        """Nothing cited: the module docstring's section is used."""
        # BEGIN SOLUTION
        return helper(x)
        # END SOLUTION
    ''')


def test_marked_regions_become_one_raise_at_their_indentation():
    out = render_file(SAMPLE, "pkg/sample.py")
    lines = out.splitlines()
    assert lines[0].startswith("# Generated from reference/pkg/sample.py by `make exercises`. Your exercise:")
    assert "never overwrites your edits" in lines[1]
    assert "Do not edit" not in out  # one message to a learner: the file is theirs to fill in
    assert ('        raise NotImplementedError(not_implemented("Layer.__init__", "§9.2", '
            '"exercises/pkg/sample.py"))') in lines
    assert ('        raise NotImplementedError(not_implemented("Layer.forward", "§9.3.1", '
            '"exercises/pkg/sample.py"))') in lines
    assert ('    raise NotImplementedError(not_implemented("plain", "§9.1", '
            '"exercises/pkg/sample.py"))') in lines
    # the message, in the learner's language, comes from exercises/_messages.py (two folders up)
    assert "from .._messages import not_implemented" in lines
    # code outside the markers is kept verbatim, solutions are gone
    assert "def helper(x):\n    return x + 1\n" in out
    assert "        if x is None:\n            return None\n" in out
    assert "SOLUTION" not in out and "inner" not in out and "self.x = None" not in out
    compile(out, "sample.py", "exec")


def test_files_without_markers_are_copied_with_the_header_only():
    text = '"""Data loading (book §3.6)."""\n\ndef load_params(path):\n    return path\n'
    out = render_file(text, "param_io.py")
    assert out.endswith(text)
    assert out.count("\n") == text.count("\n") + 1  # one header line: nothing to write here
    assert out.startswith("# Generated from reference/param_io.py by `make exercises`. Nothing to write here")


@pytest.mark.parametrize("broken", [
    "def f():\n    # BEGIN SOLUTION\n    return 1\n",
    "def f():\n    return 1\n    # END SOLUTION\n",
    "def f():\n    # BEGIN SOLUTION\n    # BEGIN SOLUTION\n    return 1\n    # END SOLUTION\n",
    "def f():\n    # BEGIN SOLUTION\n    return 1\n  # END SOLUTION\n",
])
def test_malformed_markers_are_refused(broken):
    with pytest.raises(StubError):
        render_file(broken, "broken.py")


# -- the committed exercises/ ----------------------------------------------------------

def test_the_committed_record_is_what_reference_generates():
    """exercises/.generated.json (committed) records what `make exercises` gives from reference/.

    It fails when reference/ changed and `make exercises` was not run; a learner's edits
    to exercises/ do not touch the record, so they never fail it.
    """
    expected = {name: digest(content) for name, content in render_tree().items()}
    recorded = read_manifest(TARGET)
    stale = sorted(name for name in expected.keys() | recorded.keys() if expected.get(name) != recorded.get(name))
    assert not stale, f"exercises/{MANIFEST_NAME} is out of date ({', '.join(stale)}): run `make exercises`"


_GENERATED = "dlfs_generated_exercises"


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """The exercises as `make exercises` ships them, imported as the package `dlfs_generated_exercises`."""
    root = tmp_path_factory.mktemp("generated") / "exercises"
    write_tree(root, SOURCE)
    spec = importlib.util.spec_from_file_location(_GENERATED, root / "__init__.py",
                                                  submodule_search_locations=[str(root)])
    package = importlib.util.module_from_spec(spec)
    sys.modules[_GENERATED] = package
    try:
        spec.loader.exec_module(package)
        yield root
    finally:
        for name in [n for n in sys.modules if n == _GENERATED or n.startswith(_GENERATED + ".")]:
            del sys.modules[name]


def _module_names():
    names = []
    for path in sorted(SOURCE.rglob("*.py")):
        relative = path.relative_to(SOURCE)
        if EXCLUDED.intersection(relative.parts):
            continue
        parts = list(relative.with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join(parts))
    return names


def _public_api(module):
    """{name: (kind, signature, docstring, {member: (signature, docstring)})} of `__all__`."""
    api = {}
    for name in getattr(module, "__all__", []):
        obj = getattr(module, name)
        members = {}
        if inspect.isclass(obj):
            for member_name, member in vars(obj).items():
                if member_name.startswith("__") and member_name != "__init__":
                    continue
                function = getattr(member, "__func__", member)
                if callable(function):
                    members[member_name] = (str(inspect.signature(function)), inspect.getdoc(function))
                elif isinstance(member, property):
                    members[member_name] = ("property", inspect.getdoc(member))
        signature = str(inspect.signature(obj)) if callable(obj) else repr(type(obj))
        kind = "class" if inspect.isclass(obj) else "function" if callable(obj) else "value"
        api[name] = (kind, signature, inspect.getdoc(obj), members)
    return api


@pytest.mark.parametrize("module_name", _module_names())
def test_exercises_have_the_public_api_of_reference(generated, module_name):
    """Same `__all__`, and for every name the same kind, signature, docstring and methods."""
    suffix = f".{module_name}" if module_name else ""
    reference = importlib.import_module(f"reference{suffix}")
    exercises = importlib.import_module(f"{_GENERATED}{suffix}")
    assert getattr(exercises, "__all__", None) == getattr(reference, "__all__", None)
    assert _public_api(exercises) == _public_api(reference)


def test_experiments_are_not_exercises():
    assert (SOURCE / "experiments").is_dir()
    assert not any(name.startswith("experiments/") for name in render_tree())


def test_tuned_kernels_are_not_handed_out():
    # reference/fast/ is a faster solution of Convolution and Pooling: exercises ship without answers.
    assert (SOURCE / "fast").is_dir()
    files = stubgen.render_tree()
    assert not [name for name in files if name.startswith("fast/")]
    tuned = ("FastConvolution", "FastPooling", "_offset_views", "_image_chunks", "_WINDOW_MATRIX_SIZE")
    leaks = [f"{name}: {word}" for name, content in files.items() for word in tuned
             if word.encode() in content]
    assert not leaks, f"the tuned kernels leak into the generated exercises: {leaks}"


def test_a_stub_names_itself_its_section_and_its_file(generated):
    exercises = sys.modules[_GENERATED]
    with pytest.raises(NotImplementedError, match=r"^AND: not implemented yet — book §2\.3\.3, exercises/gates\.py$"):
        exercises.AND(1, 1)
    with pytest.raises(NotImplementedError, match=r"^Affine\.__init__: .* book §5\.6\.2, exercises/layers/affine\.py$"):
        exercises.Affine(None, None)


def test_every_exercise_file_says_it_is_generated():
    for name, content in render_tree().items():
        if name.endswith(".py"):
            first = content.decode("utf-8").splitlines()[0]
            source = "checks/i18n/locale/*/LC_MESSAGES/grading.po" if name == MESSAGES_NAME else f"reference/{name}"
            assert first.startswith(f"# Generated from {source} by `make exercises`."), name


# -- the learner's workspace: `make exercises` never loses an edit -----------------------

def _small_reference(root, body="return x + 1"):
    """A two-file reference/ with one exercise, in `root`."""
    (root / "pkg").mkdir(parents=True)
    (root / "__init__.py").write_text('"""Package (book §1.1)."""\n', encoding="utf-8")
    (root / "pkg" / "ex.py").write_text(textwrap.dedent(f'''\
        """An exercise (book §9.9)."""


        def f(x):
            """Add one."""
            # BEGIN SOLUTION
            {body}
            # END SOLUTION
        '''), encoding="utf-8")
    return root


LEARNER_CODE = '''"""My own f."""


def f(x):
    return x + 1
'''


def test_make_exercises_stops_on_an_edited_file_and_writes_nothing(tmp_path):
    source = _small_reference(tmp_path / "reference")
    target = tmp_path / "exercises"
    write_tree(target, source)
    assert read_manifest(target) == {name: digest(content) for name, content in render_tree(source).items()}
    (target / "pkg" / "ex.py").write_text(LEARNER_CODE, encoding="utf-8")
    (target / "mine.py").write_text("# a file of my own\n", encoding="utf-8")
    (target / "__init__.py").unlink()  # a deleted generated file is simply written again
    # reference/ changes: both files would be regenerated
    (source / "pkg" / "ex.py").write_text((source / "pkg" / "ex.py").read_text().replace("Add one.", "Add two."))
    assert edited_files(target, source) == ["pkg/ex.py"]
    with pytest.raises(EditedFiles) as stopped:
        write_tree(target, source)
    assert stopped.value.files == ["pkg/ex.py"]
    assert (target / "pkg" / "ex.py").read_text(encoding="utf-8") == LEARNER_CODE
    assert not (target / "__init__.py").exists()  # stopped before writing anything


def test_force_moves_edited_files_to_a_dated_backup_first(tmp_path):
    source = _small_reference(tmp_path / "reference")
    target = tmp_path / "exercises"
    write_tree(target, source)
    (target / "pkg" / "ex.py").write_text(LEARNER_CODE, encoding="utf-8")
    (target / "mine.py").write_text("# a file of my own\n", encoding="utf-8")
    result = write_tree(target, source, force=True, now=datetime.datetime(2026, 1, 2, 3, 4, 5))
    assert result.backup_dir == tmp_path / "exercises-backup-20260102-030405"
    assert result.backed_up == ["pkg/ex.py"]
    assert (result.backup_dir / "pkg" / "ex.py").read_text(encoding="utf-8") == LEARNER_CODE
    assert (target / "pkg" / "ex.py").read_bytes() == render_tree(source)["pkg/ex.py"]
    assert (target / "mine.py").is_file()  # a file the learner added is never removed
    assert edited_files(target, source) == []


def test_unedited_files_follow_reference_and_obsolete_ones_go(tmp_path):
    source = _small_reference(tmp_path / "reference")
    target = tmp_path / "exercises"
    write_tree(target, source)
    (source / "old.py").write_text("X = 1\n", encoding="utf-8")
    write_tree(target, source)
    assert (target / "old.py").is_file()
    (source / "old.py").unlink()
    (source / "pkg" / "ex.py").write_text((source / "pkg" / "ex.py").read_text().replace("Add one.", "Add two."))
    result = write_tree(target, source)
    assert sorted(result.changed) == ["old.py", "pkg/ex.py"] and not result.backed_up
    assert not (target / "old.py").exists()
    assert stale_files(target, source) == []


def test_a_workspace_from_before_the_record_is_recognised(tmp_path):
    """Files with the old header and the generated body are unedited; others are the learner's."""
    source = _small_reference(tmp_path / "reference")
    target = tmp_path / "exercises"
    write_tree(target, source)
    (target / MANIFEST_NAME).unlink()
    for name in ("__init__.py", "pkg/ex.py"):
        assert stubgen._legacy(name, (target / name).read_bytes()) is not None
        (target / name).write_bytes(stubgen._legacy(name, (target / name).read_bytes()))
    assert edited_files(target, source) == []
    (target / "pkg" / "ex.py").write_text(LEARNER_CODE, encoding="utf-8")
    assert edited_files(target, source) == ["pkg/ex.py"]


def test_the_command_lists_edited_files_and_exits_1(tmp_path, monkeypatch, capsys):
    source = _small_reference(tmp_path / "reference")
    target = tmp_path / "exercises"
    write_tree(target, source)
    (target / "pkg" / "ex.py").write_text(LEARNER_CODE, encoding="utf-8")
    monkeypatch.setattr(stubgen, "SOURCE", source)
    monkeypatch.setattr(stubgen, "TARGET", target)
    monkeypatch.chdir(tmp_path)
    assert stubgen.main([]) == 1
    err = capsys.readouterr().err
    assert "exercises/pkg/ex.py" in err and "nothing was regenerated" in err and "FORCE=1" in err
    assert (target / "pkg" / "ex.py").read_text(encoding="utf-8") == LEARNER_CODE
    assert stubgen.main(["--force"]) == 0
    out = capsys.readouterr().out
    backups = list(tmp_path.glob("exercises-backup-*"))
    assert len(backups) == 1 and f"{backups[0].name}/pkg/ex.py" in out
    assert (backups[0] / "pkg" / "ex.py").read_text(encoding="utf-8") == LEARNER_CODE


def test_line_endings_changed_by_a_checkout_are_not_edits(tmp_path):
    source = _small_reference(tmp_path / "reference")
    target = tmp_path / "exercises"
    write_tree(target, source)
    path = target / "pkg" / "ex.py"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))  # git's autocrlf on Windows
    assert edited_files(target, source) == []
