"""docs/contributing-checks.md tells the truth: following it in a copy of the repository adds a
component (a throwaway Tanh layer) by editing 4 files, and a check by editing 1 file and its
translations; everything else is generated, and the new checks run.

The counts are measured by comparing the copy, file by file, with itself before the edits (its
generated files made current first).
"""

import filecmp
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
IGNORED = (".git", ".venv", "build", "__pycache__", "*.egg-info", ".pytest_cache", "cache")

TANH_CODE = '''

class Tanh:
    """tanh layer, out = tanh(x) (a throwaway component, book §5.5)."""

    def __init__(self):
        """Create the layer; forward keeps its output for backward (book §5.5)."""
        self.out = None

    def forward(self, x):
        """tanh of every input (book §5.5).

        Args:
            x: array of any shape.

        Returns:
            out: array of the same shape.
        """
        # BEGIN SOLUTION
        self.out = np.tanh(x)
        return self.out
        # END SOLUTION

    def backward(self, dout):
        """dx = dout·(1 − out²) (book §5.5).

        Args:
            dout: upstream gradient, shaped like out.

        Returns:
            dx: shaped like dout.
        """
        # BEGIN SOLUTION
        return dout * (1.0 - self.out ** 2)
        # END SOLUTION
'''

TANH_CASE = '''    LayerCase("Tanh", "2d", "§5.5", lambda rng: {"x": rng.standard_normal((4, 5))},
              out_shape=_same_shape, definition=lambda a: np.tanh(a["x"])),
'''

TANH_ROW = '''    Component("Tanh", 5, "§5.5", _LAYER_FILE, calls=_LAYER),
'''

THROWAWAY_CHECK = '''

@check(on=[case for case in LAYER_CASES if case.component == "Relu"], weight=1, role="correctness")
def check_relu_output_is_never_negative(impl, case):
    """forward never returns a negative value (book §5.5.1)."""
    run = LayerRun(impl, case)
    out = np.asarray(run.forward(run.build()))
    if (out < 0).any():
        Context.of(impl, case).fail(_("forward returned {count} negative values", count=int((out < 0).sum())),
                                    hint=N_("ReLU's output is max(0, x): never below 0"))
'''

TRANSLATIONS = {
    "ja": {"forward returned {count} negative values": "forward が負の値を {count} 個返しました",
           "ReLU's output is max(0, x): never below 0": "ReLU の出力は max(0, x) で、0 未満にはなりません"},
    "zh": {"forward returned {count} negative values": "forward 返回了 {count} 个负值",
           "ReLU's output is max(0, x): never below 0": "ReLU 的输出是 max(0, x)，不会小于 0"},
    "ko": {"forward returned {count} negative values": "forward가 음수 값을 {count}개 반환했습니다",
           "ReLU's output is max(0, x): never below 0": "ReLU의 출력은 max(0, x)이며 0보다 작지 않습니다"},
    "zh_Hant": {"forward returned {count} negative values": "forward 傳回了 {count} 個負值",
                "ReLU's output is max(0, x): never below 0": "ReLU 的輸出是 max(0, x)，不會小於 0"},
}


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} no longer has {old!r}: update this test and docs/contributing-checks.md"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _changed(copy):
    """Files of `copy` that differ from its state before the edits (`copy.before`) or are new (relative paths,
    sorted)."""
    ignore = shutil.ignore_patterns(*IGNORED)
    changed = []
    for folder, folders, files in os.walk(copy):
        relative = Path(folder).relative_to(copy)
        folders[:] = sorted(set(folders) - ignore(folder, folders))
        for name in sorted(set(files) - ignore(folder, files)):
            original = copy.parent / "before" / relative / name
            if not original.is_file() or not filecmp.cmp(original, Path(folder) / name, shallow=False):
                changed.append((relative / name).as_posix())
    return sorted(changed)


def _run(copy, *args):
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PYTHONPATH", None)
    return subprocess.run([sys.executable, *args], cwd=copy, env=env, capture_output=True, text=True, check=False)


def _audit(checkout):
    """The catalog problems `python -m checks.i18n.audit` finds in `checkout` (a set of lines)."""
    run = _run(checkout, "-m", "checks.i18n.audit")
    return set(run.stdout.splitlines()) - {"catalogs complete"}


def _fill_translations(copy):
    from babel.messages.pofile import read_po, write_po

    for lang, texts in TRANSLATIONS.items():
        path = copy / "checks" / "i18n" / "locale" / lang / "LC_MESSAGES" / "grading.po"
        with path.open("rb") as source:
            catalog = read_po(source, locale=lang, domain="grading")
        for msgid, msgstr in texts.items():
            assert msgid in catalog, f"{lang}: the extraction did not add {msgid!r}"
            catalog[msgid].string = msgstr
        with path.open("wb") as target:
            write_po(target, catalog, width=0, include_previous=False, sort_output=True, no_location=True)


@pytest.fixture
def copy(tmp_path):
    target = tmp_path / "dlfs copy ü"  # a path with a space and a non-ASCII letter, as anywhere
    shutil.copytree(REPO, target, ignore=shutil.ignore_patterns(*IGNORED))
    # measured from a copy whose generated files are current: a generated file another change left
    # stale in the repository (its own test says so) is not this change's cost
    for command in (["-m", "checks.tools.stubgen"], ["-m", "checks.tools.docs"]):
        run = _run(target, *command)
        assert run.returncode == 0, run.stdout + run.stderr
    shutil.copytree(target, tmp_path / "before", ignore=shutil.ignore_patterns(*IGNORED))
    return target


def test_a_new_component_edits_four_files_and_its_checks_run(copy):
    # by hand, as docs/contributing-checks.md says: its reference code, its export, its cases, its row
    _edit(copy / "reference" / "layers" / "activation.py", '__all__ = ["Relu", "Sigmoid"]',
          '__all__ = ["Relu", "Sigmoid", "Tanh"]')
    with (copy / "reference" / "layers" / "activation.py").open("a", encoding="utf-8") as code:
        code.write(TANH_CODE)
    _edit(copy / "reference" / "layers" / "__init__.py", "from .activation import Relu, Sigmoid",
          "from .activation import Relu, Sigmoid, Tanh")
    _edit(copy / "reference" / "layers" / "__init__.py", '    "Sigmoid",\n', '    "Sigmoid",\n    "Tanh",\n')
    _edit(copy / "checks" / "library" / "cases" / "layers.py", '    LayerCase("Affine", "2d"',
          TANH_CASE + '    LayerCase("Affine", "2d"')
    _edit(copy / "checks" / "library" / "components.py", '    Component("Affine", 5,', TANH_ROW + '    Component("Affine", 5,')
    by_hand = _changed(copy)
    assert by_hand == ["checks/library/cases/layers.py", "checks/library/components.py",
                       "reference/layers/__init__.py", "reference/layers/activation.py"]
    # generated
    for command in (["-m", "checks.tools.stubgen"], ["-m", "checks.tools.docs"]):
        run = _run(copy, *command)
        assert run.returncode == 0, run.stdout + run.stderr
    generated = sorted(set(_changed(copy)) - set(by_hand))
    assert generated == ["docs/grading.md", "exercises/.generated.json", "exercises/layers/__init__.py",
                         "exercises/layers/activation.py"]
    # its checks run: all pass on the reference, none on the stubs, and the table agrees with the cases
    run = _run(copy, "-m", "pytest", "checks/suite/test_components.py", "-k", "Tanh", "-q", "-p", "no:cacheprovider")
    assert run.returncode == 0 and " passed" in run.stdout and "Tanh(2d)" not in run.stdout, run.stdout + run.stderr
    passed = int(run.stdout.strip().splitlines()[-1].split(" passed")[0].split()[-1])
    assert passed >= 8, run.stdout
    run = _run(copy, "-m", "pytest", "checks/suite/test_components.py", "-k", "Tanh", "--impl=exercises", "-q",
               "-p", "no:cacheprovider")
    assert f"{passed} failed" in run.stdout and "NOT ATTEMPTED" in run.stdout, run.stdout + run.stderr
    run = _run(copy, "-m", "pytest", "checks/tests/library/test_registry.py", "-q", "-p", "no:cacheprovider",
               "-k", "components_table or every_case")
    assert run.returncode == 0, run.stdout + run.stderr


def test_a_new_check_edits_one_file_and_its_translations(copy):
    checks_file = copy / "checks" / "library" / "named" / "layer_checks.py"
    with checks_file.open("a", encoding="utf-8") as code:
        code.write(THROWAWAY_CHECK)
    run = _run(copy, "-m", "checks.i18n.extract", "--update")
    assert run.returncode == 0, run.stdout + run.stderr
    _fill_translations(copy)
    by_hand = _changed(copy)
    assert by_hand == ["checks/i18n/locale/ja/LC_MESSAGES/grading.po", "checks/i18n/locale/ko/LC_MESSAGES/grading.po",
                       "checks/i18n/locale/zh/LC_MESSAGES/grading.po",
                       "checks/i18n/locale/zh_Hant/LC_MESSAGES/grading.po", "checks/library/named/layer_checks.py"]
    run = _run(copy, "-m", "checks.tools.docs")
    assert run.returncode == 0, run.stdout + run.stderr
    generated = sorted(set(_changed(copy)) - set(by_hand))
    assert generated == ["docs/grading.md"]  # the points tables: the check's points, taken from its chapter's others
    run = _run(copy, "-m", "pytest", "checks/suite/test_components.py", "-k", "check_relu_output_is_never_negative",
               "-q", "-p", "no:cacheprovider")
    assert run.returncode == 0 and "2 passed" in run.stdout, run.stdout + run.stderr
    # its texts complete in every catalog: the audit of the copy finds nothing the repository's own does not
    # (checks/tests/i18n holds the repository's catalogs complete; this test measures the new check's share)
    run = _run(copy, "-m", "checks.i18n.audit")
    assert run.returncode in (0, 1) and not run.stderr, run.stdout + run.stderr
    found = set(run.stdout.splitlines()) - {"catalogs complete"}
    assert found <= _audit(REPO), sorted(found - _audit(REPO))
    assert not [line for text in TRANSLATIONS["ja"] for line in found if text in line], found
