"""Runs over several seeds (`--seeds`): per-seed values, distributions, the report beside the thresholds, the
environment fingerprint, the results cache, and Dask — a real in-process cluster here, a real 2-worker
LocalCluster in the slow tier — giving a serial run's numbers.
"""

import io
import json
import os
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from checks.isolation.adapters import REPO_ROOT
from checks.reproduce import bands, cluster
from checks.reproduce.__main__ import choose_cluster, main, parse_args
from checks.reproduce.environment import numerics, numerics_digest
from checks.reproduce.model import Options
from checks.reproduce.results import VOLATILE_KEYS
from checks.reproduce.runner import run_report
from checks.reproduce.seed_figures import draw_distribution
from checks.tests.reproduce.test_seed_figures import band_pixels
from checks.tools import docs, seeds_run

# Cheap at the quick tier: a seeded claim (without figures) and a deterministic one with a figure.
SEEDED, FIXED = "ch05_gradient_check", "ch04_gradient_descent"
QUICK = Options(quick=True)


def _stable(document):
    return {key: value for key, value in document.items() if key not in VOLATILE_KEYS}


@pytest.fixture(scope="module")
def serial(tmp_path_factory):
    out = tmp_path_factory.mktemp("seeds") / "serial"
    outcomes, document = run_report(QUICK, out, only=[FIXED, SEEDED], show_progress=False, seeds=[0, 3])
    return out, outcomes, document


def test_a_seeded_claim_runs_once_per_seed_and_a_deterministic_one_once(serial):
    out, outcomes, document = serial
    assert document["run"]["seeds"] == [0, 3] and document["run"]["seed"] == 0
    fixed, seeded = (document["experiments"][name] for name in (FIXED, SEEDED))
    assert fixed["seed"] is None and "seeds" not in fixed
    assert seeded["seed"] == 0 and list(seeded["seeds"]) == ["0", "3"]
    assert seeded["seeds"]["0"]["measured"] == seeded["measured"]
    assert seeded["seeds"]["0"]["data_sha256"] != seeded["seeds"]["3"]["data_sha256"]
    for criterion_id, row in seeded["distribution"].items():
        assert row["seeds"] == [0, 3] and row["pass_rate"] == 1.0
        for values in row["values"].values():
            per_seed = values["per_seed"]
            assert len(per_seed) == 2 and values["min"] == min(per_seed) and values["max"] == max(per_seed)
            assert min(per_seed) <= values["median"] <= max(per_seed)
    assert [o.seeds for o in outcomes] == [[], [0, 3]]
    assert document["timings"]["experiments"][SEEDED]["seeds"] == 2


def test_the_report_draws_each_distribution_beside_its_threshold(serial):
    out, _, document = serial
    entry = document["experiments"][SEEDED]
    assert entry["distribution_figure"] == f"{SEEDED}_seeds.png"
    assert (out / entry["distribution_figure"]).read_bytes().startswith(b"\x89PNG")
    md = (out / "report.md").read_text(encoding="utf-8")
    section = md.split(f'<a id="{SEEDED}"></a>')[1]
    assert "**Over the seeds:**" in section and "![" in section and f"]({SEEDED}_seeds.png)" in section
    assert "| W1: backprop against the numerical gradient | mean \\|backprop − numerical\\| | 2/2 |" in section
    assert "2 seeds, 0, 3: one run each" in section
    assert "**2 seeds** (0, 3)" in md
    assert (out / "report.html").read_text(encoding="utf-8").count("data:image/png;base64,") == 2
    # the figure overlays the committed band (bands.json has this claim's quick tier): drawn without it, the
    # same distribution lacks the band's grey
    assert bands.entry(bands.load(), "quick", SEEDED) is not None
    without = out.parent / "without-bands.png"
    draw_distribution(SEEDED, entry["distribution"], {}, without)
    assert band_pixels(out / entry["distribution_figure"]) >= band_pixels(without) + 100
    table = section.split("**Over the seeds:**")[1].split("![")[0]
    values = sum(len(row["values"]) for row in entry["distribution"].values())
    assert values == 8 and table.count(" seeds) |") == values  # each value's row names its band


def test_the_environment_is_recorded_and_printed(serial):
    out, _, document = serial
    environment = document["environment"]
    for key in ("python", "numpy", "blas", "cpu", "os", "data_manifest", "dtype", "matplotlib", "dlfs", "git",
                "seeds"):
        assert key in environment, key
    assert environment["blas"]["library"] in ("OpenBLAS", "MKL", "unknown") and environment["seeds"] == [0, 3]
    assert len(environment["data_manifest"]) == 64 and environment["dtype"] == "float64"
    if environment["git"] is not None:
        assert len(environment["git"]["commit"]) == 40 and isinstance(environment["git"]["dirty"], bool)
    assert "git" not in numerics(environment) and "seeds" not in numerics(environment)
    assert numerics_digest(environment) == numerics_digest()
    md = (out / "report.md").read_text(encoding="utf-8")
    assert f"NumPy {environment['numpy']}, {environment['blas']['library']}" in md
    assert f"data manifest {environment['data_manifest'][:12]}…" in md


def test_an_in_process_dask_cluster_gives_the_serial_numbers(serial, tmp_path):
    _, _, expected = serial
    _, document = run_report(QUICK, tmp_path / "dask", only=[FIXED, SEEDED], show_progress=False, seeds=[0, 3],
                             cluster="in-process")
    assert document["timings"]["engine"]["kind"] == "dask" and document["timings"]["engine"]["tasks_computed"] == 3
    assert _stable(document) == _stable(expected)


def test_a_rerun_computes_only_what_changed(serial, tmp_path):
    _, _, expected = serial
    cache = tmp_path / "cache"
    _, first = run_report(QUICK, tmp_path / "first", only=[FIXED, SEEDED], show_progress=False, seeds=[0, 3],
                          cache=cache)
    assert first["timings"]["engine"]["tasks_computed"] == 3 and first["timings"]["engine"]["tasks_cached"] == 0
    _, again = run_report(QUICK, tmp_path / "again", only=[FIXED, SEEDED], show_progress=False, seeds=[0, 3, 4],
                          cache=cache)
    assert again["timings"]["engine"]["tasks_cached"] == 3 and again["timings"]["engine"]["tasks_computed"] == 1
    assert _stable(first) == _stable(expected)
    assert again["experiments"][SEEDED]["seeds"]["3"] == expected["experiments"][SEEDED]["seeds"]["3"]
    # the figures of the first seed are drawn again from the cached data, byte for byte
    name = "ch04_gradient_descent.png"
    assert (tmp_path / "again" / name).read_bytes() == (tmp_path / "first" / name).read_bytes()


def test_another_implementation_is_not_taken_from_the_cache(tmp_path):
    package = tmp_path / "learner"
    package.mkdir()
    (package / "__init__.py").write_text("from reference import *\n")
    cache = tmp_path / "cache"
    opts = Options(quick=True, impl=str(package))
    run_report(opts, tmp_path / "a", only=[FIXED], show_progress=False, cache=cache)
    _, again = run_report(opts, tmp_path / "b", only=[FIXED], show_progress=False, cache=cache)
    assert again["timings"]["engine"]["tasks_cached"] == 1
    (package / "__init__.py").write_text("from reference import *  # edited\n")
    _, edited = run_report(opts, tmp_path / "c", only=[FIXED], show_progress=False, cache=cache)
    assert edited["timings"]["engine"]["tasks_cached"] == 0


def test_seed_lists_and_ranges_and_their_mistakes():
    assert parse_args(["--seeds", "0-2,7", "--only", FIXED]).seeds == [0, 1, 2, 7]
    assert parse_args(["--seed", "5"]).seeds == [5]
    for wrong in ("3-1", "a", "0,,1"):
        stderr = io.StringIO()
        with pytest.raises(SystemExit) as exc, redirect_stderr(stderr):
            parse_args(["--seeds", wrong])
        assert exc.value.code == 2 and "--seeds" in stderr.getvalue()


def test_several_seeds_go_to_a_local_cluster_or_say_how_to_get_one(monkeypatch):
    args = parse_args(["--seeds", "0-19"])
    assert choose_cluster(args) == "local"
    assert choose_cluster(parse_args(["--seeds", "0-19", "--no-cluster"])) is None
    assert choose_cluster(parse_args(["--seed", "3"])) is None
    assert choose_cluster(parse_args(["--cluster", "tcp://10.0.0.1:8786"])) == "tcp://10.0.0.1:8786"
    monkeypatch.setattr(cluster, "available", lambda: False)
    stream = io.StringIO()
    assert choose_cluster(args, stream) is None
    assert "pip install -e '.[cluster]'" in stream.getvalue() and "20 seeds" in stream.getvalue()


def test_the_cli_runs_several_seeds_and_prints_them(tmp_path):
    out = tmp_path / "report"
    printed = io.StringIO()
    with redirect_stdout(printed):
        code = main(["--quick", "--only", FIXED, "--seeds", "0,3", "--no-cluster", "--jobs", "1", "--no-progress",
                     "--out", str(out)])
    assert code == 0 and "seed 0, 3;" in printed.getvalue()
    assert json.loads((out / "results.json").read_text())["run"]["seeds"] == [0, 3]
    assert (tmp_path / "reproduce-cache").is_dir(), "the cache goes beside the report folder"


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", "2s")
    code = main(["--quick", "--only", FIXED, "--cluster", "tcp://127.0.0.1:9", "--no-progress", "--out",
                 str(tmp_path / "x")])
    assert code == 2 and "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


DYING_LEARNER = """\
import os
from pathlib import Path
from reference import *  # noqa: F401,F403
from reference import functions as _functions

_MARKER = Path(__file__).with_name("died-once")


def step_function(x):
    # The first call kills its worker process (as the OOM killer would); the retry computes.
    if not _MARKER.exists():
        _MARKER.write_text("died")
        os._exit(1)
    return _functions.step_function(x)
"""


@pytest.mark.slow
def test_a_two_worker_local_cluster_gives_the_pools_numbers_and_retries_a_dead_worker(tmp_path):
    # A small claim set over three seeds: through a 2-worker LocalCluster and through the process pool.
    only = ",".join([FIXED, SEEDED, "ch05_gradient_check", "ch03_activation_functions"])
    common = [sys.executable, "-m", "checks.reproduce", "--quick", "--only", only, "--seeds", "0-2", "--jobs", "2",
              "--no-progress", "--no-cache"]
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
    for engine, extra in (("dask", ["--cluster", "local"]), ("pool", ["--no-cluster"])):
        run = subprocess.run(common + extra + ["--out", str(tmp_path / engine)], cwd=REPO_ROOT, env=env,
                             capture_output=True, text=True, timeout=1800)
        assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    dask, pool = (json.loads((tmp_path / name / "results.json").read_text()) for name in ("dask", "pool"))
    assert dask["timings"]["engine"]["kind"] == "dask" and pool["timings"]["engine"]["kind"] == "pool"
    assert _stable(dask) == _stable(pool)
    # A worker killed in the middle of a task: its nanny starts another, the scheduler gives the task to it.
    learner = tmp_path / "learner"
    learner.mkdir()
    (learner / "__init__.py").write_text(DYING_LEARNER)
    run = subprocess.run([sys.executable, "-m", "checks.reproduce", "--quick", "--impl", str(learner), "--only",
                          "ch03_activation_functions", "--seeds", "0-1", "--cluster", "local", "--jobs", "2",
                          "--no-progress", "--no-cache", "--out", str(tmp_path / "retried")],
                         cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert (learner / "died-once").read_text() == "died"
    retried = json.loads((tmp_path / "retried" / "results.json").read_text())
    assert retried["experiments"]["ch03_activation_functions"]["verdict"] == "PASS"
    assert Path(tmp_path / "retried" / "ch03_activation_functions.png").is_file()


def test_a_run_over_seeds_is_summarized_for_the_docs(serial, tmp_path):
    out, _, document = serial
    text = seeds_run.summary(document, command="make reproduce", cpu_seconds=4000, note="nice 19", same_as=document)
    assert "| command | `make reproduce` |" in text and "| seeds | 0, 3 (2 runs of each of the 1 claims" in text
    assert "| CPU time | 1 h 6 min (4000 s) (user + system" in text and "; nice 19 |" in text
    assert f"NumPy, matplotlib | {document['environment']['python']['version']}, {document['environment']['numpy']}" in text
    assert "seeds 0, 3 of 1 seeded claims (and 1 deterministic ones): identical" in text
    assert f"| {SEEDED} | 2 | 2 / 2 |" in text and "| from this run |" in text
    assert seeds_run.recorded_identity(text) == {"seeds": [0, 3], "date": document["created"][:10], "tier": "quick",
                                                 "numerics": numerics_digest(document["environment"]),
                                                 "claims": [SEEDED]}
    # another engine's seed that gave other numbers is named
    other = json.loads(json.dumps(document))
    other["experiments"][SEEDED]["seeds"]["3"]["data_sha256"]["run"] = "0" * 64
    assert "DIFFERENT: ch05_gradient_check, seed 3" in seeds_run.summary(document, same_as=other)
    # a claim failing at a seed gets no band from the run: its threshold is a finding, not justified by the run
    other["experiments"][SEEDED]["seeds"]["3"]["verdict"] = "FAIL"
    assert f"| {SEEDED} | 2 | 1 / 2 |" in seeds_run.summary(other) and "| not from this run: seed 3 failed |" in (
        seeds_run.summary(other))
    assert seeds_run.identity(other)["claims"] == []
    # written between the docs' markers, by the command line
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "reproduce.md").write_text("a\n<!-- BEGIN MEASURED: seeds-run -->\nold\n"
                                                    "<!-- END MEASURED: seeds-run -->\nb\n", encoding="utf-8")
    docs.replace_measured("seeds-run", text, docs=tmp_path)
    written = (tmp_path / "docs" / "reproduce.md").read_text(encoding="utf-8")
    assert written.startswith("a\n<!-- BEGIN MEASURED: seeds-run -->\n<!-- run: ") and "old" not in written
    with redirect_stdout(io.StringIO()) as printed:
        assert seeds_run.main([str(out), "--cpu-seconds", "4000"]) == 0
    assert printed.getvalue().strip() == seeds_run.summary(document, cpu_seconds=4000).strip()



def test_the_docs_summarize_the_run_the_quick_bands_come_from():
    text = (REPO_ROOT / "docs" / "reproduce.md").read_text(encoding="utf-8")
    run = seeds_run.recorded_identity(text)
    assert run is not None, "docs/reproduce.md has no run over seeds (python -m checks.tools.seeds_run --write-docs)"
    assert run["tier"] == "quick" and run["claims"]
    quick = bands.load()["bands"]["quick"]
    for claim in run["claims"]:
        entry = quick.get(claim)
        assert entry is not None and (entry["seeds"], entry["date"], numerics_digest(entry["environment"])) == (
            run["seeds"], run["date"], run["numerics"]), (
            f"bands.json's {claim} comes from another run than docs/reproduce.md summarizes: after make margins, "
            "summarize its run there (python -m checks.tools.seeds_run RESULTS --write-docs)")
