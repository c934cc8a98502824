"""`python -m checks.reproduce` (make reproduce): the book's experiments, judged, with a report.

Writes build/report/ (report.md, report.html, results.json, the PNGs) only when the
whole run completes; prints a summary table. ``--impl`` runs the experiments on another
implementation (a learner's): experiments needing a component it has not written are
NOT RUN, with the component named. ``--seeds 0-19`` runs each claim whose data depends on
the seed once per seed and judges it over all of them; with Dask installed (the
``cluster`` extra) such a run goes to a LocalCluster, or to ``--cluster ADDRESS``.
Exit status: 0 when no verdict is FAIL (NOT RUN and skipped do not count), 1 when one
is, 2 on a usage error.

``python -m checks.reproduce compare BASE NEW`` (``dlfs reproduce compare``) compares two
results.json criterion by criterion (``compare``).
"""

from ..library.blas import pin_blas_threads

# One BLAS thread: the experiments multiply small matrices, for which extra threads only
# contend (10-20x slower on a busy 2-core machine), and one thread keeps results the same
# whatever the machine's core count. Must run before NumPy is first imported.
pin_blas_threads(1)

import argparse  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402

from ..i18n import LANGUAGES, display_width, ljust, set_language  # noqa: E402
from ..i18n.choice import option as language_option  # noqa: E402
from .texts import _  # noqa: E402

__all__ = ["main", "parse_args", "format_summary", "final_line", "choose_cluster"]

DEFAULT_SEED = 0
DEFAULT_OUT = "build/report"


def parse_args(argv=None):
    from .claims import claim_names
    from .model import parse_seeds

    parser = argparse.ArgumentParser(
        prog="python -m checks.reproduce",
        description="Run the book's experiments (chapters 3-8), judge each against the book's claim "
                    "and write a report with figures drawn from the same data. "
                    "`python -m checks.reproduce compare BASE NEW` compares two runs' results.json.")
    parser.add_argument("--quick", action="store_true",
                        help="small budgets (the fast regression tests'), for tests and smoke runs")
    parser.add_argument("--impl", default="reference",
                        help="the implementation the experiments run on: reference (default), exercises, a package "
                             "folder, book:PATH (a folder laid out like the book's repository) or mutant:NAME; "
                             "experiments needing a component it has not written yet are NOT RUN")
    parser.add_argument("--only", metavar="NAME[,NAME]",
                        help="run only these experiments; one of: " + ", ".join(claim_names()))
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help=f"seed of every stochastic experiment (default {DEFAULT_SEED})")
    parser.add_argument("--seeds", metavar="SEEDS",
                        help="run every stochastic experiment once per seed and judge it over all of them: "
                             "0-19, 0,3,7 or a mix (instead of --seed)")
    parser.add_argument("--out", default=DEFAULT_OUT, help=f"report folder (default {DEFAULT_OUT})")
    parser.add_argument("--train-convnets", action="store_true",
                        help="also train SimpleConvNet and DeepConvNet (book sizes: hours of CPU)")
    parser.add_argument("--full-numerical", action="store_true",
                        help="chapter 4's numerical-gradient training at the book's 10,000 iterations (days of CPU)")
    parser.add_argument("--jobs", type=int, default=None, metavar="N",
                        help="run the experiments in N worker processes (or N LocalCluster workers), longest first "
                             "(default: the cores this process may use); 1 runs them one after the other in this "
                             "process. The numbers are the same either way")
    parser.add_argument("--cluster", metavar="ADDRESS",
                        help="compute on Dask distributed: 'local' (a LocalCluster, the default when several seeds "
                             "are run and Dask is installed) or an existing scheduler's address, tcp://HOST:8786 "
                             "(needs pip install -e '.[cluster]'; docs/reproduce.md)")
    parser.add_argument("--no-cluster", action="store_true",
                        help="use this machine's worker processes even for several seeds")
    parser.add_argument("--cache", default=None, metavar="DIR",
                        help="results cache: data already computed for the same claim, arguments, seed, "
                             "implementation and environment is reused (default: reproduce-cache beside the report "
                             "folder, build/reproduce-cache for build/report)")
    parser.add_argument("--no-cache", action="store_true", help="compute everything again (and cache nothing)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")
    parser.add_argument("--lang", choices=LANGUAGES, type=language_option, default=None,
                        help="language of the report's prose and the summary (default: DLFS_LANG, else the locale, "
                             "else English); the worker processes inherit it")
    args = parser.parse_args(argv)
    try:
        # exported as DLFS_LANG: the worker processes (--jobs) render their verdicts in it too
        set_language(args.lang)
    except ValueError as error:  # DLFS_LANG set to a language that does not exist
        parser.error(str(error))
    if args.jobs is not None and args.jobs < 1:
        parser.error(_("--jobs must be at least 1, got {jobs}", jobs=args.jobs))
    try:
        args.seeds = parse_seeds(args.seeds) if args.seeds is not None else [args.seed]
    except ValueError as error:
        parser.error(str(error))
    if args.cache is None:
        args.cache = os.path.join(os.path.dirname(os.path.abspath(args.out)), "reproduce-cache")
    if args.cluster and args.no_cluster:
        parser.error(_("--cluster and --no-cluster cannot be given together"))
    args.only = [name.strip() for name in args.only.split(",") if name.strip()] if args.only else None
    unknown = sorted(set(args.only or ()) - set(claim_names()))
    if unknown:
        parser.error(_("unknown experiment(s) {names}; known: {known}", names=", ".join(unknown),
                       known=", ".join(claim_names())))
    if args.impl != "reference":
        from ..isolation.intake import IntakeError, resolved

        try:
            with resolved(args.impl):  # an early, clear error; the runs resolve it for themselves
                pass
        except IntakeError as error:
            parser.error(error.for_option("--impl"))
    return args


def choose_cluster(args, stream=sys.stderr):
    """The ``cluster`` argument of ``run_report`` for these options; says so when Dask would help but is missing."""
    from .cluster import INSTALL_HINT, available

    if args.cluster:
        return args.cluster
    if len(args.seeds) < 2 or args.no_cluster:
        return None
    if available():
        return "local"
    print(_("note: {count} seeds run on this machine's worker processes; for a Dask LocalCluster (or your "
            "cluster, --cluster tcp://HOST:8786): {hint}", count=len(args.seeds), hint=INSTALL_HINT), file=stream)
    return None


def _clip(text, width):
    """``text`` cut to ``width`` terminal cells, ending in … when cut."""
    text = str(text)
    if display_width(text) <= width:
        return text
    while display_width(text) > width - 1:
        text = text[:-1]
    return text + "…"


def format_summary(outcomes, out):
    """The table printed at the end: experiment, book claim, measured, verdict, time (aligned in terminal cells)."""
    from .report import summary_rows

    rows = [(r[0], r[2], r[3], r[4], r[5]) for r in summary_rows(outcomes)]
    header = (_("experiment"), _("book claim"), _("measured"), _("verdict"), _("time"))
    width = [min(max(display_width(str(row[i])) for row in rows + [header]), cap)
             for i, cap in enumerate((30, 40, 70, 7, 8))]

    def line(row):
        return "  ".join(ljust(_clip(x, w), w) for x, w in zip(row, width)).rstrip()

    out_lines = [line(header), "  ".join("-" * w for w in width)] + [line(r) for r in rows]
    return "\n".join(out_lines)


def final_line(document, opts, out):
    """The line after the summary: the verdict counts, implementation, seed(s), time and where the report is."""
    from .report import seed_list

    counts = document["run"]["verdicts"]
    # the verdict words are tokens (results.json's, CI logs'), the same in every language
    tally = f"{counts['PASS']} PASS, {counts['FAIL']} FAIL, {counts['SKIPPED']} SKIPPED" + (
        f", {counts['NOT RUN']} NOT RUN" if counts["NOT RUN"] else "")
    seeds = document["run"]["seeds"]
    return _("{counts}; implementation {impl}; seed {seed}; {seconds:.0f} s. Report: {report} "
             "(also report.html, results.json)", counts=tally, impl=opts.impl, seed=seed_list(seeds),
             seconds=document["timings"]["total_seconds"], report=os.path.join(out, "report.md"))


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["compare"]:
        from .compare import main as compare_main

        return compare_main(argv[1:])
    args = parse_args(argv)
    from .cluster import ClusterError
    from .model import Options
    from .parallel import default_jobs
    from .runner import install_signal_handlers, run_report

    opts = Options(seed=args.seeds[0], quick=args.quick, full_numerical=args.full_numerical,
                   train_convnets=args.train_convnets, impl=args.impl)
    cluster = choose_cluster(args)
    previous = install_signal_handlers()
    try:
        outcomes, document = run_report(opts, args.out, only=args.only, show_progress=not args.no_progress,
                                        jobs=args.jobs or default_jobs(), seeds=args.seeds, cluster=cluster,
                                        cache=None if args.no_cache else args.cache)
    except ClusterError as error:
        print(f"python -m checks.reproduce: {error}", file=sys.stderr)
        return 2
    finally:
        # main() also runs inside other processes (the tests): leave their handlers as found.
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    print()
    print(format_summary(outcomes, args.out))
    print("\n" + final_line(document, opts, args.out))
    return 1 if document["run"]["verdicts"]["FAIL"] else 0


if __name__ == "__main__":
    sys.exit(main())
