"""A non-editable install, as Colab and a JupyterHub have it (issue #24): the wheel in a fresh virtualenv.

Slow tier (it builds the wheel and installs its dependencies from the package index). The
virtualenv's path holds a space and a non-ASCII character; its site-packages is made
read-only for everything run from it (a read-only bind mount under bubblewrap when we are
root, whom permissions do not stop; write permissions taken away otherwise). From a
learner's folder elsewhere: `dlfs grade`, `dlfs reproduce --quick --only
ch03_sample_weights` and `from checks import check` work, outputs land in that folder's
build/, the data cache in the user's cache folder (DLFS_DATA_HOME when set), the child of
the sandbox sees no judge folder, and site-packages ends byte for byte as pip left it. In a
real Jupyter kernel there, `check()` stops a learner's endless loop, in Traditional Chinese,
and the kernel answers the next cell.
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from checks.locations import require_checkout

pytestmark = [pytest.mark.slow, pytest.mark.network]


def _tree(folder):
    """{relative path: (mode, sha256 or link target)} of everything under `folder`."""
    found = {}
    for path in sorted(Path(folder).rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[relative] = ("link", os.readlink(path))
        elif path.is_file():
            found[relative] = (oct(path.stat().st_mode), hashlib.sha256(path.read_bytes()).hexdigest())
        else:
            found[relative] = (oct(path.stat().st_mode), None)
    return found


class Installed:
    """The wheel installed in a fresh virtualenv, everything run from it with site-packages read-only."""

    def __init__(self, root):
        self.root = root
        self.venv = root / "venv ü x"
        self.python = self.venv / "bin" / "python"
        self.dlfs = self.venv / "bin" / "dlfs"
        self.site = None
        self.cache = root / "xdg cache"

    def install(self):
        checkout = require_checkout("the wheel test")
        wheels = self.root / "wheels"
        build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--disable-pip-version-check", "--no-deps",
                                "-w", str(wheels), str(checkout)], capture_output=True, text=True, timeout=1800)
        assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
        wheel = next(wheels.glob("dlfs-*.whl"))
        venv.EnvBuilder(with_pip=True).create(self.venv)
        install = subprocess.run([str(self.python), "-m", "pip", "install", "--disable-pip-version-check",
                                  f"{wheel}[test]"], env=self.env(), capture_output=True, text=True, timeout=3600)
        assert install.returncode == 0, install.stdout[-3000:] + install.stderr[-3000:]
        self.site = Path(subprocess.run([str(self.python), "-c", "import sysconfig; print(sysconfig.get_paths()"
                                         "['purelib'])"], capture_output=True, text=True, check=True).stdout.strip())
        self.read_only = self._read_only()
        self.snapshot = _tree(self.site)

    def _read_only(self):
        if os.geteuid() != 0:
            for path in [self.site, *self.site.rglob("*")]:
                if not path.is_symlink():
                    path.chmod(path.stat().st_mode & ~0o222)
            return []
        bwrap = shutil.which("bwrap")
        if bwrap is None:
            pytest.skip("root without bubblewrap: no way to make site-packages read-only for root")
        return [bwrap, "--dev-bind", "/", "/", "--ro-bind", str(self.site), str(self.site), "--"]

    def env(self, **extra):
        keep = {k: v for k, v in os.environ.items()
                if k not in ("PYTHONPATH", "VIRTUAL_ENV", "DLFS_DATA_HOME", "PYTHONDONTWRITEBYTECODE")}
        return {**keep, "XDG_CACHE_HOME": str(self.cache), "PATH": f"{self.venv / 'bin'}{os.pathsep}{keep['PATH']}",
                **extra}

    def run(self, command, cwd, timeout=1800, **env):
        return subprocess.run([*self.read_only, *command], cwd=cwd, env=self.env(**env), capture_output=True,
                              text=True, timeout=timeout)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    installed = Installed(tmp_path_factory.mktemp("install"))
    installed.install()
    yield installed
    assert _tree(installed.site) == installed.snapshot, "something wrote into site-packages"


@pytest.fixture
def learner(tmp_path):
    folder = tmp_path / "learner's folder é"
    folder.mkdir()
    return folder


def test_the_wheel_holds_the_packages_and_imports_from_site_packages(installed, learner):
    run = installed.run([str(installed.python), "-c", "import checks, reference, data; from checks import check; "
                         "print(checks.__file__); print(callable(check))"], learner)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [str(installed.site / "checks" / "__init__.py"), "True"]


def test_grade_writes_to_the_current_folder_with_site_packages_read_only(installed, learner):
    run = installed.run([str(installed.dlfs), "grade", "--impl=mutant:affine_dw_transposed", "--component", "Affine"],
                        learner)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "next: Affine (chapter 5, book §5.6.2) — wrong" in run.stdout
    results = json.loads((learner / "build" / "grade" / "results.json").read_text(encoding="utf-8"))
    assert 0 < results["score"] < sum(test["max_score"] for test in results["tests"])
    assert "transposed" in "".join(test.get("output", "") for test in results["tests"])
    assert sorted(p.name for p in (learner / "build").iterdir()) == ["grade"]


def test_reproduce_caches_data_in_the_users_cache_folder_or_dlfs_data_home(installed, learner):
    run = installed.run([str(installed.dlfs), "reproduce", "--quick", "--only", "ch03_sample_weights"], learner)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "1 PASS, 0 FAIL" in run.stdout
    assert (learner / "build" / "report" / "report.md").is_file()
    assert (installed.cache / "dlfs" / "book" / "ch03" / "sample_weight.pkl").is_file()

    home = learner / "my data"  # `data status` exits 1 there: nothing is cached in it yet
    again = installed.run([str(installed.dlfs), "data", "status"], learner, DLFS_DATA_HOME=str(home))
    assert again.stdout.startswith(f"cache folder: {home}\n"), again.stdout + again.stderr
    assert "missing  book/ch03/sample_weight.pkl" in again.stdout


def test_the_sandboxed_child_sees_numpy_but_no_judge_folder(installed, learner):
    code = """
import json, subprocess, sys, tempfile
from checks.isolation import boundary
from checks.locations import PACKAGE_ROOT
if boundary.choose().name != "bubblewrap":
    print(json.dumps({"skip": boundary.choose().describe()}))
    sys.exit()
probe = ("import json, os, numpy; r = %r; print(json.dumps({'reference': os.listdir(r + '/reference'), "
         "'checks': os.listdir(r + '/checks'), 'child': os.path.isfile(r + '/checks/isolation/child/child.py')}))"
         % str(PACKAGE_ROOT))
with tempfile.TemporaryDirectory() as work:
    argv = boundary.bubblewrap_command([sys.executable, "-E", "-s", "-c", probe], work, {}, [boundary.CHILD_DIR])
    done = subprocess.run(argv, capture_output=True, text=True)
print(done.stdout or json.dumps({"error": done.stderr}))
"""
    run = installed.run([str(installed.python), "-c", code], learner)
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    if "skip" in seen:
        pytest.skip(f"the child runs under {seen['skip']}")
    assert seen == {"reference": [], "checks": ["isolation"], "child": True}


def test_what_needs_a_checkout_says_so(installed, learner):
    for command in (["check"], ["exercises"], ["docs"]):
        run = installed.run([str(installed.dlfs), *command], learner)
        assert run.returncode == 2 and "works on a checkout of dlfs" in run.stderr, (command, run.stderr)
        assert str(installed.site) in run.stderr


AFFINE = '''import numpy as np

class Affine:
    def __init__(self, W, b):
        self.W, self.b = W, b
        self.x = self.original_x_shape = self.dW = self.db = None

    def forward(self, x):
        self.original_x_shape = x.shape
        self.x = x.reshape(x.shape[0], -1)
        return self.x @ self.W + self.b

    def backward(self, dout):
        dx = dout @ self.W.T
        self.dW = self.x.T @ dout
        self.db = dout.sum(axis=0)
        return dx.reshape(*self.original_x_shape)
'''
LOOPING = '''class Affine(Affine):
    def backward(self, dout):
        while True:  # the learner's endless loop
            pass
'''
# the learner's own data.py: it notes every process that imports it
LEARNERS_DATA = '''import os, sys
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "imported-by.txt"), "a") as log:
    log.write(os.path.basename(sys.argv[0]) + "\\n")
MINE = True
'''


def test_colab_shaped_a_real_kernel_in_a_folder_with_the_learners_data_py(installed, learner, monkeypatch):
    """The kernel runs the venv's Python with site-packages read-only, in a folder holding data.py and a notebook."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    from jupyter_client.kernelspec import KernelSpecManager

    (learner / "data.py").write_text(LEARNERS_DATA, encoding="utf-8")
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(AFFINE)]
    nbformat.write(notebook, str(learner / "notebook.ipynb"))
    specs = learner.parent / "kernels"
    (specs / "colab").mkdir(parents=True)
    (specs / "colab" / "kernel.json").write_text(json.dumps({
        "argv": [*installed.read_only, str(installed.python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "a fresh virtualenv, site-packages read-only", "language": "python"}), encoding="utf-8")

    session = nbformat.v4.new_notebook()
    session.cells = [nbformat.v4.new_code_cell(source) for source in (
        "import data\nprint('MINE', data.MINE, data.__file__)",
        AFFINE + "\nfrom checks import check\nresult = check(Affine)\nprint('SCORE', result.percent)",
        "!dlfs grade notebook.ipynb --component Affine",
        "!dlfs reproduce --quick --only ch03_sample_weights",
        "import os\nos.environ['DLFS_LANG'] = 'zh-Hant'\n" + LOOPING + "result = check(Affine, call_timeout=1)",
        "print('ALIVE', 1 + 1)",
    )]
    client = nbclient.NotebookClient(session, timeout=1800, kernel_name="colab",
                                     resources={"metadata": {"path": str(learner)}})
    client.km = client.create_kernel_manager()
    client.km.kernel_spec_manager = KernelSpecManager(kernel_dirs=[str(specs)])
    env = installed.env()
    client.start_new_kernel(env=env)
    client.start_new_kernel_client()
    with client.setup_kernel(env=env):
        for index, cell in enumerate(session.cells):
            client.execute_cell(cell, index)
    mine, checked, graded, reproduced, stopped, alive = ["".join(output.get("text", "") for output in cell.outputs)
                                                         for cell in session.cells]
    assert f"MINE True {learner / 'data.py'}" in mine  # the learner's own data.py: the working folder is on sys.path
    assert "SCORE 100.0" in checked and "5 Backpropagation" in checked, checked
    assert "dlfs grade — notebook.ipynb" in graded and "(100.0%)" in graded, graded
    assert "1 PASS, 0 FAIL" in reproduced, reproduced
    assert (learner / "build" / "grade" / "results.json").is_file() and (learner / "build" / "report").is_dir()
    # an endless loop in backward is stopped where it is, in the learner's language, and the kernel goes on
    monkeypatch.setenv("DLFS_LANG", "zh-Hant")
    from checks.i18n import translator

    message = translator("grading")("stopped after {seconds} s: the call did not finish (an endless loop?)", seconds=1)
    assert message in stopped and "while True" in stopped and "5 誤差反向傳播法" in stopped, stopped
    assert "ALIVE 2" in alive
    # only the kernel imported the learner's data.py: neither check() nor the dlfs commands did
    assert (learner / "imported-by.txt").read_text(encoding="utf-8").split() == ["ipykernel_launcher.py"]
