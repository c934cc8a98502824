"""Name safety (issue #24): a learner's data.py or reference/ in the working folder never stands in for dlfs's.

Real processes whose working folder is a learner's, holding a `data.py` and a `reference/`
package that leave a mark when imported: `check()` and the `dlfs` command work there and
import neither; dlfs code that needs its own `reference` stops with a message naming the
learner's folder (checks/isolation/names.py); the learner's own `import data` gets theirs.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from checks.isolation.adapters import REPO_ROOT


@pytest.fixture
def folder(tmp_path):
    folder = tmp_path / "notebook folder"
    (folder / "reference").mkdir(parents=True)
    (folder / "data.py").write_text("open('IMPORTED data.py', 'w').close()\nMINE = True\n", encoding="utf-8")
    (folder / "reference" / "__init__.py").write_text("open('IMPORTED reference', 'w').close()\n", encoding="utf-8")
    return folder


def _python(code, folder, **env):
    # `python -c` puts the working folder first on sys.path, as a Jupyter kernel does
    environment = {**os.environ, "PYTHONPATH": str(REPO_ROOT), **env}
    return subprocess.run([sys.executable, "-c", code], cwd=folder, env=environment, capture_output=True, text=True,
                          timeout=600)


def test_check_works_beside_a_learners_data_py_and_reference_folder(folder):
    code = """
import sys
assert sys.path[0] == ""
def step_function(x):
    return (x > 0).astype(int)
from checks import check
check(step_function)
"""
    run = _python(code, folder)
    assert run.returncode == 0, run.stderr
    assert re.search(r"score: (\S+) / \1 \(100\.0%\)", run.stdout), run.stdout  # every check of step_function passed
    assert sorted(path.name for path in folder.iterdir()) == ["data.py", "reference"]  # neither was imported


def test_dlfs_code_needing_its_reference_names_the_learners_folder_and_the_learners_import_gets_theirs(folder):
    code = """
import json
from checks.isolation.names import ShadowedPackage
from checks.reproduce.calls import default_implementation
try:
    default_implementation()  # dlfs code: the experiments' default implementation, `reference`
    outcome = "imported"
except ShadowedPackage as error:
    outcome = str(error)
import data
print(json.dumps({"outcome": outcome, "mine": data.MINE}))
"""
    run = _python(code, folder, DLFS_LANG="ja")
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert seen["mine"] is True
    assert seen["outcome"].startswith("dlfs は自身のパッケージ 'reference' を必要としますが、代わりにあなたのフォルダ "
                                      f"{(folder / 'reference').resolve()} が import されてしまいます")
    assert (folder / "IMPORTED data.py").exists() and not (folder / "IMPORTED reference").exists()


def test_the_dlfs_command_grades_from_the_learners_folder_unaffected(folder):
    dlfs = Path(sys.executable).with_name("dlfs")
    if not dlfs.is_file():
        pytest.skip("no dlfs console script beside this interpreter (pip install -e .)")
    run = subprocess.run([str(dlfs), "grade", "--impl=reference", "--component", "step_function", "--out", "graded"],
                         cwd=folder, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    results = json.loads((folder / "graded" / "results.json").read_text(encoding="utf-8"))
    maximum = sum(test["max_score"] for test in results["tests"])
    assert maximum > 0 and results["score"] == pytest.approx(maximum)
    assert not (folder / "IMPORTED data.py").exists() and not (folder / "IMPORTED reference").exists()
