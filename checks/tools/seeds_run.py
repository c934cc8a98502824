"""A run over seeds, summarized in docs/reproduce.md (`python -m checks.tools.seeds_run RESULTS --write-docs`).

Reads the results.json of a ``make reproduce REPRODUCE_ARGS="--seeds …"`` run and prints
(with ``--write-docs``, writes between docs/reproduce.md's ``<!-- BEGIN MEASURED:
seeds-run -->`` markers) what the ML Reproducibility Checklist asks of it: the command, the
date, the seeds, the engine and its tasks, the wall time, the CPU time, the environment and,
per claim, its seeds and on how many the verdict held. The bands table beside it is generated
from bands.json (``make docs``); ``make margins`` over the same cache folder turns this run's
values into those bands without computing anything again.

    python -m checks.tools.seeds_run build/report-20/results.json \\
        --command 'make reproduce REPRODUCE_ARGS="--quick --train-convnets --seeds 0-19"' \\
        --cpu-seconds 5400 --note "nice 19, load average 2-10" --same-as build/pool-0-3/results.json --write-docs

``--cpu-seconds``: the run's CPU time (user + system of the run and its workers, e.g. from
``/usr/bin/time``): the workers' CPU is not in results.json. ``--same-as OTHER``: another run's
results.json (the process pool's, say) whose per-seed numbers are compared with this run's
for the seeds both ran. The summary starts with a comment recording the run's identity
(seeds, date, tier, environment digest, claims), which ``checks/tests/reproduce/test_seeds.py``
compares with bands.json: bands regenerated from another run, without this summary, fail it.
"""

import argparse
import json
import re
import sys
from pathlib import Path

from ..reproduce.environment import numerics_digest
from ..reproduce.report import seed_list

__all__ = ["summary", "same_numbers", "identity", "recorded_identity", "main", "MEASURED_NAME"]

MEASURED_NAME = "seeds-run"
_IDENTITY = re.compile(r"<!-- run: (\{.*?\}) -->")


def _load(path):
    path = Path(path)
    return json.loads((path / "results.json" if path.is_dir() else path).read_text(encoding="utf-8"))


def _duration(seconds):
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    shown = f"{hours} h {minutes} min" if hours else f"{minutes} min {secs} s" if minutes else f"{secs} s"
    return f"{shown} ({seconds} s)"


def seeded(document):
    """{claim: its experiments entry} of the claims run once per seed."""
    return {name: entry for name, entry in document["experiments"].items() if "seeds" in entry}


def _band_from_run(entry):
    """Whether a seeded claim's values over this run become its band: a criterion compares numbers (one pinning
    facts only gets no band) and every seed passed (a threshold failing a measured seed is not justified by its
    band, checks/suite/test_claims.py: that is a finding to decide on, not a band to commit)."""
    return (any(row["values"] for row in entry["distribution"].values())
            and all(run["verdict"] == "PASS" for run in entry["seeds"].values()))


def identity(document):
    """What bands made from this run share with it: seeds, date, tier, environment digest, and the claims whose
    bands it justifies (``_band_from_run``)."""
    banded = [name for name, entry in seeded(document).items() if _band_from_run(entry)]
    return {"seeds": document["run"]["seeds"], "date": document["created"][:10], "tier": document["run"]["tier"],
            "numerics": numerics_digest(document["environment"]), "claims": sorted(banded)}


def recorded_identity(text):
    """The identity recorded in a summary's text (docs/reproduce.md's), or None."""
    match = _IDENTITY.search(text)
    return json.loads(match.group(1)) if match else None


def same_numbers(document, other):
    """(seeds both ran, claims compared, [differences]) between two runs, over what both ran.

    Per seeded claim both ran over seeds: each common seed's entry (verdict, measured numbers,
    criteria values, data digests); per deterministic claim both ran: its whole entry.
    """
    common = sorted(set(document["run"]["seeds"]) & set(other["run"]["seeds"]))
    compared, differences = [], []
    for name, entry in document["experiments"].items():
        theirs = other["experiments"].get(name)
        if theirs is None or ("seeds" in entry) != ("seeds" in theirs):
            continue
        compared.append(name)
        if "seeds" not in entry:
            if entry != theirs:
                differences.append(f"{name} (deterministic)")
            continue
        differences += [f"{name}, seed {seed}" for seed in map(str, common)
                        if entry["seeds"].get(seed) != theirs["seeds"].get(seed)]
    return common, compared, differences


def _environment_rows(env):
    blas = env["blas"]
    git = env.get("git") or {}
    code = f"{env['dlfs']}" + (f" at {git['commit'][:7]} ({'dirty' if git['dirty'] else 'clean'})" if git else "")
    return [("Python, NumPy, matplotlib", f"{env['python']['version']}, {env['numpy']}, {env['matplotlib']}"),
            ("BLAS", f"{blas['library']} {blas.get('version') or ''}, {blas.get('kernel') or '?'} kernel, "
                     f"{blas.get('threads')} thread(s) per worker"),
            ("CPU, OS", f"{env['cpu']['model']} {env['cpu']['machine']}, {env['os']['system']} "
                        f"{env['os']['release']}"),
            ("dlfs", code), ("data manifest", f"`{env['data_manifest'][:12]}…`"), ("dtype", env["dtype"])]


def summary(document, *, command=None, cpu_seconds=None, note=None, same_as=None):
    """The Markdown summary of a run over seeds (``document``: its results.json)."""
    run, timings = document["run"], document["timings"]
    engine = timings["engine"]
    kind = {"dask": "Dask " + ("`LocalCluster`" if engine.get("cluster") == "local" else
                               f"scheduler {engine.get('cluster')}"),
            "pool": "worker processes", "serial": "one process"}.get(engine["kind"], engine["kind"])
    tasks = f"{engine.get('tasks_computed', 0)} tasks computed, {engine.get('tasks_cached', 0)} from the cache"
    claims = seeded(document)
    counts = run["verdicts"]
    rows = [("command", f"`{command}`" if command else "–"),
            ("date", document["created"][:16].replace("T", " ") + " UTC"),
            ("seeds", f"{seed_list(run['seeds'])} ({len(run['seeds'])} runs of each of the {len(claims)} claims "
                      "whose data depends on the seed)"),
            ("tier", run["tier"] + (", with the conv-net trainings" if run["train_convnets"] else "")),
            ("engine", f"{kind}, {engine.get('jobs')} workers; {tasks}"),
            ("wall time", _duration(timings["total_seconds"]) + (f"; {note}" if note else "")),
            ("CPU time", _duration(cpu_seconds) + " (user + system of the run and its workers)"
             if cpu_seconds is not None else "not measured"),
            ("experiments' wall time, summed over tasks", _duration(sum(
                t["run_seconds"] for t in timings["experiments"].values()))),
            ("verdicts", ", ".join(f"{counts[k]} {k}" for k in ("PASS", "FAIL", "SKIPPED", "NOT RUN") if counts[k]))]
    rows += _environment_rows(document["environment"])
    if same_as is not None:
        common, compared, differences = same_numbers(document, same_as)
        kind = same_as["timings"]["engine"]["kind"]
        other = {"pool": "the process pool", "serial": "a serial run", "dask": "another Dask run"}.get(kind, kind)
        both = sum(name in claims for name in compared)
        rows.append((f"the same numbers as {other}",
                     f"seeds {seed_list(common)} of {both} seeded claims (and {len(compared) - both} deterministic "
                     "ones): " + ("identical: each seed's verdict, measured numbers, criterion values and data "
                                  "digests" if not differences else "DIFFERENT: " + "; ".join(differences))))
    out = [f"<!-- run: {json.dumps(identity(document), sort_keys=True)} -->", "",
           "| | |", "| --- | --- |"] + [f"| {key} | {value} |" for key, value in rows]
    out += ["", "| claim | seeds | verdict held on | experiment wall time per seed (mean) | its band in bands.json |",
            "| --- | ---: | ---: | ---: | --- |"]
    for name, entry in claims.items():
        verdicts = {seed: s["verdict"] for seed, s in entry["seeds"].items()}
        failed = [seed for seed, verdict in verdicts.items() if verdict != "PASS"]
        band = ("from this run" if _band_from_run(entry) else
                f"not from this run: seed {', '.join(failed)} failed" if failed else "none (no criterion compares "
                                                                                    "a number)")
        out.append(f"| {name} | {len(verdicts)} | {len(verdicts) - len(failed)} / {len(verdicts)} | "
                   f"{timings['experiments'][name]['run_seconds'] / len(verdicts):.1f} s | {band} |")
    return "\n".join(out) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m checks.tools.seeds_run", description=__doc__.splitlines()[0])
    parser.add_argument("results", help="the run's results.json (or its report folder)")
    parser.add_argument("--command", help="the command that made the run, shown as is")
    parser.add_argument("--cpu-seconds", type=float, help="the run's CPU time (user + system, with its workers)")
    parser.add_argument("--note", help="said after the wall time (the machine's load, nice)")
    parser.add_argument("--same-as", metavar="RESULTS", help="another run's results.json to compare per seed")
    parser.add_argument("--write-docs", action="store_true", help="write it into docs/reproduce.md")
    args = parser.parse_args(argv)
    try:
        document = _load(args.results)
        other = _load(args.same_as) if args.same_as else None
    except (OSError, ValueError) as error:
        print(f"python -m checks.tools.seeds_run: cannot read a results.json: {error}", file=sys.stderr)
        return 2
    if len(document["run"]["seeds"]) < 2:
        print(f"python -m checks.tools.seeds_run: {args.results} is a run of one seed; expected a --seeds run",
              file=sys.stderr)
        return 2
    text = summary(document, command=args.command, cpu_seconds=args.cpu_seconds, note=args.note, same_as=other)
    if args.write_docs:
        from .docs import replace_measured

        replace_measured(MEASURED_NAME, text)
        print("wrote docs/reproduce.md (seeds-run)")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
