"""Hostile submissions: each may break only the checks it touches, and none can raise its score.

Each case of issue 5 has an attack here: a hang, a crash (segfault), sys.exit, os._exit(0),
exhausting memory, writing build/grade/* or the output folder, monkeypatching
numpy.testing / pytest / the checker, importing reference and re-exporting it, and
printing fake results.

Every submission is a copy of reference/ in tmp_path whose `Affine.backward` is replaced.
The honest baseline replaces it with `raise NotImplementedError`; each hostile
variant replaces it with an attack (and no honest work), so it must score no more
than the baseline, the other components must still pass, and grading must finish.
Attacks print what they tried (`ATTEMPT_MARK` lines; the judge copies the child's log
out when it closes, see checks/tests/fixtures/boundaries.py), so the tests can see that
the audit hook of the child (checks/isolation/child/sandboxed/guard.py) refused each one.
The attacks through native code, the answer channel and the operating system are in
checks/tests/isolation/test_boundary.py.
"""

import json
import textwrap
from pathlib import Path

import pytest

from checks.tests.fixtures.grading import REFERENCE, copy_package, stub_method
from checks.grading import grade
from checks.isolation.adapters import REPO_ROOT
from checks.tests.fixtures.boundaries import ATTEMPT_MARK, attempts_in

COMPONENTS = ["Affine", "TwoLayerNet", "AND"]
# Per-call limit for these runs. The reference's slowest call into these components took
# 0.14 s and starting the child with its imports 2.4 s (measured at load average 10 on the
# 2-core machine, every call of checks/suite/test_components.py timed; loading gets the default
# 30 s limit). 2 s is 14x the slowest honest call, yet keeps the hang short.
CALL_TIMEOUT = 2.0
# The child's address space (RLIMIT_AS): the reference's child peaks at about 170 MB
# (VmPeak, whole reference graded); the attack asks for three times this limit.
MEMORY_LIMIT = 1 << 30
FAKE = "FAKE-RESULTS-FROM-THE-SUBMISSION"
FAKE_SOURCE = '"FAKE-RESULTS-" + "FROM-THE-SUBMISSION"'  # so that quoting the source shows no FAKE

# Helpers every attack starts with: `attempt(label, fn)` records ALLOWED or the refusal.
PRELUDE = '''
import json as _json
def attempt(label, fn, _mark={mark!r}):
    try:
        fn()
        outcome = "ALLOWED"
    except BaseException as error:
        outcome = f"refused: {{type(error).__name__}}: {{error}}"
    print(_mark + _json.dumps([label, outcome]), flush=True)
    return outcome == "ALLOWED"
'''

ATTACKS = {
    "infinite_loop": '''
        while True:
            pass
        ''',
    "sys_exit": '''
        import sys
        sys.exit(0)
        ''',
    "os_exit": '''
        import os
        os._exit(0)
        ''',
    "segfault": '''
        import ctypes
        ctypes.string_at(0)
        ''',
    "writes_results": '''
        import os
        fake = _json.dumps({{"score": 100, "max_score": 100, "output": {fake}, "tests": []}})
        for path in ({out!r}, {repo_results!r}):
            attempt(f"write {{path}}", lambda path=path: open(path, "w").write(fake))
            attempt(f"create {{path}}", lambda path=path: os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC))
            attempt(f"remove {{path}}", lambda path=path: os.remove(path))
            with open("staged.json", "w") as staged:
                staged.write(fake)
            attempt(f"rename onto {{path}}", lambda path=path: os.replace("staged.json", path))
        attempt("fork a writer that outlives the check", lambda: os.fork())
        attempt("start a shell", lambda: os.system("echo " + {fake} + " > {out}"))
        raise NotImplementedError("Affine.backward")
        ''',
    "monkeypatches_checker": '''
        import numpy
        import numpy.testing
        numpy.testing.assert_allclose = lambda *args, **kwargs: None
        numpy.allclose = lambda *args, **kwargs: True
        numpy.isclose = lambda a, b, *args, **kwargs: numpy.ones(numpy.shape(a), dtype=bool)
        attempt("import checks.library.gradcheck", lambda: __import__("checks.library.gradcheck"))
        attempt("import checks.library.errors", lambda: __import__("checks.library.errors"))
        attempt("read the checker", lambda: open({gradcheck!r}).read())
        import pytest
        pytest.approx = lambda expected, *args, **kwargs: expected
        # a placeholder answer, hoping the patched comparisons accept it
        self.dW, self.db = numpy.zeros_like(self.W), numpy.zeros_like(self.b)
        return numpy.zeros(self.original_x_shape)
        ''',
    "imports_reference": '''
        import importlib.util
        import runpy
        import sys
        sys.path.insert(0, {repo!r})
        found = {{}}
        def take(module):
            found["Affine"] = module.Affine
        attempt("import reference", lambda: take(__import__("reference")))
        attempt("import reference.layers.affine", lambda: take(__import__("reference.layers.affine").layers.affine))
        def by_path():
            spec = importlib.util.spec_from_file_location("stolen", {affine_file!r})
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            take(module)
        attempt("load reference/layers/affine.py by path", by_path)
        attempt("read reference/layers/affine.py", lambda: open({affine_file!r}).read())
        attempt("runpy reference/layers/affine.py", lambda: runpy.run_path({affine_file!r}))
        attempt("copy reference/ with shutil", lambda: __import__("shutil").copytree({reference!r}, "stolen"))
        if "Affine" in found:
            return found["Affine"].backward(self, dout)
        raise NotImplementedError("Affine.backward")
        ''',
    "memory_hog": '''
        import numpy
        # numpy.empty reserves address space without touching it: what RLIMIT_AS refuses,
        # and harmless to the machine should the limit ever be missing
        attempt("allocate 3 GiB", lambda: numpy.empty(3 << 30, dtype=numpy.uint8))
        hog = numpy.empty(3 << 30, dtype=numpy.uint8)  # uncaught: the check sees a MemoryError
        raise NotImplementedError("Affine.backward")
        ''',
    "prints_fake_results": '''
        import os
        import sys
        fake = _json.dumps({{"score": 100, "max_score": 100, "output": {fake}, "tests": []}})
        print(fake)
        print("217 passed in 1.00s", file=sys.stderr)
        os.write(1, (fake + "\\n").encode())
        os.write(2, b"PASSED checks/suite/test_components.py::test_component[Affine(2d)-check_backward_gradient_dx]\\n")
        sys.stdout.flush()
        raise NotImplementedError("Affine.backward")
        ''',
}

# Attacks that also run something at import time.
AT_IMPORT = {
    "writes_results": '''
        import threading, time
        def _keep_writing(path={out!r}):
            while True:
                try:
                    with open(path, "w") as handle:
                        handle.write('{{"score": 100, "output": "' + {fake} + '"}}')
                except OSError:
                    pass
                time.sleep(0.05)
        threading.Thread(target=_keep_writing, daemon=True).start()
        ''',
    "imports_reference": '''
        try:
            from reference import *  # re-export the reference wholesale
        except ImportError:
            pass
        ''',
}


def _submission(root, name, body, at_import=""):
    package = copy_package(REFERENCE, root / name)
    stub_method(package, "layers/affine.py", "Affine.backward", body)
    if at_import:
        with open(package / "__init__.py", "a", encoding="utf-8") as handle:
            handle.write("\n" + textwrap.dedent(at_import))
    return package


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    root = tmp_path_factory.mktemp("honest")
    package = _submission(root, "honest", 'raise NotImplementedError("Affine.backward: not done yet")')
    return grade(str(package), workers=1, components=COMPONENTS, call_timeout=CALL_TIMEOUT,
                 memory_limit=MEMORY_LIMIT)


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_hostile_submission_scores_no_more_than_its_honest_work(attack, baseline, tmp_path, child_logs):
    out = tmp_path / "out"
    values = {"mark": ATTEMPT_MARK, "out": str(out / "results.json"), "fake": FAKE_SOURCE, "repo": str(REPO_ROOT),
              "repo_results": str(REPO_ROOT / "build" / "grade" / "results.json"),
              "gradcheck": str(REPO_ROOT / "checks" / "library" / "gradcheck.py"),
              "affine_file": str(REFERENCE / "layers" / "affine.py"), "reference": str(REFERENCE)}
    body = PRELUDE.format(**values) + textwrap.dedent(ATTACKS[attack]).format(**values)
    at_import = PRELUDE.format(**values) + textwrap.dedent(AT_IMPORT.get(attack, "")).format(**values)
    package = _submission(tmp_path, f"hostile_{attack}", body, at_import)

    result = grade(str(package), out_dir=out, workers=1, components=COMPONENTS, call_timeout=CALL_TIMEOUT,
                   memory_limit=MEMORY_LIMIT)

    # grading finished, every selected check has a verdict, and the attack gained nothing
    assert [r.name for r in result.records] == [r.name for r in baseline.records]
    assert result.exact_score <= baseline.exact_score
    passed_here = {r.name for r in result.records if r.outcome == "passed"}
    assert passed_here <= {r.name for r in baseline.records if r.outcome == "passed"}
    # only the checks reaching Affine.backward are touched: AND and forward-only checks still pass
    assert all(r.outcome == "passed" for r in result.records if r.component == "AND")
    assert any(r.outcome == "passed" for r in result.records if r.component == "TwoLayerNet")
    # the reports are the grader's own, complete and atomic
    data = json.loads((out / "results.json").read_text())
    assert data["score"] == result.score and len(data["tests"]) == len(result.records)
    assert FAKE not in (out / "results.json").read_text() and FAKE not in (out / "junit.xml").read_text()
    repo_results = REPO_ROOT / "build" / "grade" / "results.json"
    assert not repo_results.is_file() or FAKE not in repo_results.read_text()
    # whatever the attack tried through the standard library was refused
    attempts = attempts_in(child_logs)
    allowed = [label for label, outcome in attempts.items() if outcome == "ALLOWED"]
    assert not allowed, f"the child let these through (its audit hook or its limits): {allowed}"
    if attack in ("writes_results", "monkeypatches_checker", "imports_reference", "memory_hog"):
        assert attempts
    errors = {r.detail for r in result.records if r.component == "Affine" and r.outcome == "error"}
    expected = {"infinite_loop": {"timeout"}, "os_exit": {"crashed"}, "segfault": {"crashed"},
                "sys_exit": {"error"}, "memory_hog": {"error"}}.get(attack)
    if expected is not None:
        assert errors == expected
