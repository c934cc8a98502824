"""exercises/ is generated from reference/ (checks/tools/stubgen.py) and kept in sync with it."""

import importlib
import inspect
import textwrap
from pathlib import Path

import pytest

from checks.tools.stubgen import EXCLUDED, SOURCE, TARGET, StubError, render_file, stale_files

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
    assert lines[0].startswith("# Generated from reference/pkg/sample.py by `make exercises`")
    assert "regenerate with `make exercises`" in lines[1]
    assert ('        raise NotImplementedError("Layer.__init__: not implemented yet — book §9.2, '
            'exercises/pkg/sample.py")') in lines
    assert ('        raise NotImplementedError("Layer.forward: not implemented yet — book §9.3.1, '
            'exercises/pkg/sample.py")') in lines
    assert ('    raise NotImplementedError("plain: not implemented yet — book §9.1, '
            'exercises/pkg/sample.py")') in lines
    # code outside the markers is kept verbatim, solutions are gone
    assert "def helper(x):\n    return x + 1\n" in out
    assert "        if x is None:\n            return None\n" in out
    assert "SOLUTION" not in out and "inner" not in out and "self.x = None" not in out
    compile(out, "sample.py", "exec")


def test_files_without_markers_are_copied_with_the_header_only():
    text = '"""Data loading (book §3.6)."""\n\ndef load_params(path):\n    return path\n'
    out = render_file(text, "param_io.py")
    assert out.endswith(text)
    assert out.count("\n") == text.count("\n") + 2  # two header lines, no learner note


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

def test_exercises_are_in_sync_with_reference():
    """Regenerating exercises/ gives byte-identical files (and no file is left over)."""
    stale = stale_files()
    assert not stale, f"exercises/ is out of date ({', '.join(stale)}): run `make exercises`"


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
def test_exercises_have_the_public_api_of_reference(module_name):
    """Same `__all__`, and for every name the same kind, signature, docstring and methods."""
    suffix = f".{module_name}" if module_name else ""
    reference = importlib.import_module(f"reference{suffix}")
    exercises = importlib.import_module(f"exercises{suffix}")
    assert getattr(exercises, "__all__", None) == getattr(reference, "__all__", None)
    assert _public_api(exercises) == _public_api(reference)


def test_experiments_are_not_exercises():
    assert (SOURCE / "experiments").is_dir()
    assert not (TARGET / "experiments").exists()


def test_tuned_kernels_are_not_handed_out():
    # reference/fast/ is a faster solution of Convolution and Pooling: exercises ship without answers.
    assert (SOURCE / "fast").is_dir()
    assert not (TARGET / "fast").exists()
    tuned = ("FastConvolution", "FastPooling", "_offset_views", "_image_chunks", "_WINDOW_MATRIX_SIZE")
    leaks = [f"{path.relative_to(TARGET)}: {name}" for path in sorted(TARGET.rglob("*.py"))
             for name in tuned if name in path.read_text(encoding="utf-8")]
    assert not leaks, f"the tuned kernels leak into exercises/: {leaks}"


def test_a_stub_names_itself_its_section_and_its_file():
    import exercises

    with pytest.raises(NotImplementedError, match=r"^AND: not implemented yet — book §2\.3\.3, exercises/gates\.py$"):
        exercises.AND(1, 1)
    with pytest.raises(NotImplementedError, match=r"^Affine\.__init__: .* book §5\.6\.2, exercises/layers/affine\.py$"):
        exercises.Affine(None, None)


def test_every_exercise_file_says_it_is_generated():
    for path in sorted(Path(TARGET).rglob("*.py")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# Generated from reference/"), path
