"""Gradings forked from a warm process (checks/grading/warm.py) judge exactly as fresh ones do.

Each scenario runs in a process of its own, started here, so which of its gradings start warm
is known: the first of a process starts cold, the next ones are forked from its warm process.
"""

import json
import os
import subprocess
import sys
import time

from checks.isolation.adapters import REPO_ROOT
from checks.library.outcomes import Outcome
from checks.tests.fixtures.grading import REFERENCE, copy_package, wrap_exports

_SCENARIO = r"""
import json, os, signal, sys
from checks.grading import grade, warm

def run(**options):
    before = warm.started
    result = grade(sys.argv[1], components=["Sigmoid"], **options)
    return {"warm": warm.started - before,
            "records": [[r.name, r.outcome, r.message, str(r.points)] for r in result.records],
            "server": warm.server_pid()}

runs = {"cold en": run(), "warm en": run()}
os.environ["DLFS_LANG"] = "ja"  # read by each run, not by the warm process's imports: the same warm process
runs["warm ja"] = run()
os.kill(warm.server_pid(), signal.SIGKILL)  # gone between two gradings: the next one starts cold or a new one
runs["after kill ja"] = run()
runs["again ja"] = run()
os.environ["DLFS_GRADE_WARM"] = "0"
runs["cold ja"] = run()
print(json.dumps(runs))
"""


def _environment(**env):
    """This process's environment with warm starts on (whatever DLFS_GRADE_WARM says here) and `env`."""
    return {**{name: value for name, value in os.environ.items() if name != "DLFS_GRADE_WARM"}, **env}


def _scenario(impl, **env):
    run = subprocess.run([sys.executable, "-c", _SCENARIO, impl], cwd=REPO_ROOT, capture_output=True, text=True,
                         env=_environment(DLFS_LANG="en", **env), timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout.splitlines()[-1])


def test_a_warm_grading_gives_the_records_of_a_cold_one_in_the_language_of_its_own_run():
    # a wrong variant, so that messages (the learner's diagnosis, translated) are compared too
    runs = _scenario("mutant:sigmoid_backward_uses_input")
    assert [runs[name]["warm"] for name in ("cold en", "warm en", "warm ja", "again ja", "cold ja")] == [0, 1, 1, 1, 0]
    assert runs["warm en"]["server"] == runs["warm ja"]["server"] != runs["again ja"]["server"]
    assert runs["warm en"]["records"] == runs["cold en"]["records"]
    assert runs["warm ja"]["records"] == runs["after kill ja"]["records"] == runs["again ja"]["records"] \
        == runs["cold ja"]["records"]
    failed = [message for _, outcome, message, _ in runs["warm ja"]["records"] if outcome == Outcome.WRONG]
    assert failed and all(any("\u3040" <= c <= "\u30ff" for c in message) for message in failed), failed  # kana
    assert runs["warm ja"]["records"] != runs["warm en"]["records"]


_STOPPED = r"""
import json, os, sys
from checks.grading import grade, warm
from checks.isolation.tree import descendants

grade("reference", components=["AND"])  # the process's first grading, cold
result = grade(sys.argv[1], components=["AND", "OR"], run_timeout=4)
server = warm.server_pid()
left = descendants(server)[1:]  # a run not reaped would be one (a zombie is listed too)
print(json.dumps({"warm": warm.started, "server": server, "left": left, "notes": result.notes,
                  "records": len(result.records)}))
sys.stdout.flush()
os._exit(0)  # no atexit handler: the warm process must end by itself once its caller is gone
"""


def _gone(pid):
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"  # ended, not reaped yet by its new parent
    except OSError:
        return True


def test_a_warm_run_stopped_at_its_time_limit_leaves_no_process_and_the_warm_process_ends_with_its_caller(tmp_path):
    slow = wrap_exports(copy_package(REFERENCE, tmp_path / "slow"), """
        import time as _time

        def _before():
            _time.sleep(2)  # AND's check calls it four times: 8 s against the run's 4
        """)
    run = subprocess.run([sys.executable, "-c", _STOPPED, str(slow)], cwd=REPO_ROOT, capture_output=True, text=True,
                         env=_environment(), timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    found = json.loads(run.stdout.splitlines()[-1])
    assert found["warm"] == 1 and found["server"] is not None
    # stopped at the run's limit, killed, and every check listed all the same
    assert found["records"] >= 2 and any("the run hit its total time limit of 4 s" in note for note in found["notes"])
    assert found["left"] == []  # the killed run is gone (the warm process's children are reaped as they end)
    give_up = time.monotonic() + 30
    while time.monotonic() < give_up and not _gone(found["server"]):
        time.sleep(0.1)
    assert _gone(found["server"]), "the warm process outlived the process it served"


_CLASS = r"""
import json, sys
from checks.grading import warm
from checks.grading.batch import grade_all

rows = grade_all(sys.argv[1], sys.argv[2], jobs=2, components=["AND"])
print(json.dumps({"warm": warm.started, "scores": sorted(row["score"] for row in rows)}))
"""


def test_grade_all_starts_every_grading_warm_the_first_too(tmp_path):
    for name in ("alice", "bob", "carol"):
        copy_package(REFERENCE, tmp_path / "class" / name / "reference")
    run = subprocess.run([sys.executable, "-c", _CLASS, str(tmp_path / "class"), str(tmp_path / "out")], cwd=REPO_ROOT,
                         capture_output=True, text=True, env=_environment(), timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    found = json.loads(run.stdout.splitlines()[-1])
    assert found["warm"] == 3 and len(set(found["scores"])) == 1 and float(found["scores"][0]) > 0


def test_the_warm_process_imports_for_the_modules_a_grading_names():
    # warm.py cannot import run.py (run.py imports it): its list is checked against the command here
    from checks.grading import warm
    from checks.grading.run import _TEST_FILE, _pytest_command

    command = _pytest_command("spec.json", "run", None, 2, None, None, 1, 1, 1, 1)
    named = [command[i + 1] for i, part in enumerate(command) if part == "-p" and command[i + 1].startswith("checks.")]
    assert sorted(warm._RUN_MODULES) == sorted([_TEST_FILE, *(name.replace(".", "/") + ".py" for name in named)])
