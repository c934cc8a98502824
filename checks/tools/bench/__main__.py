"""`python -m checks.tools.bench` (make bench): time the reference's conv nets against this machine's GEMM peak.

The conv nets run as the experiments run them, on the tuned kernels of ``reference.fast``
(``accelerate``); the book's own layers, which the checks run, are slower.

Prints, as each figure completes, a line of progress on stderr, then the table on
stdout (``--markdown`` for a pipe table to paste into the README), the rows against the
book's own code (``versus_book``), what each kernel of ``reference.fast`` gains over the
book's method (``kernel_gains``) and the profiles. Both cores are
used: unlike `make check`, nothing here pins BLAS to one thread. Timings are wall
clock; other processes on the machine make them pessimistic (the load average
before and after is printed with the table), and with two BLAS threads a busy
machine makes small matrix products many times slower: ``--blas-threads 1`` reruns
the bench in a child process with one BLAS thread, to compare. After the tables,
a cProfile split (CPU time, one BLAS thread) of DeepConvNet inference and of both
networks' training steps (``profile``) says where the work goes and what two threads
can make of it. Exit status: 0, or 1
when `make check` failed, 2 on a usage error.
"""

import argparse
import os
import platform
import subprocess
import sys

import numpy as np

from ...library.blas import BLAS_THREAD_VARIABLES, blas_thread_settings
from .figures import REPO_ROOT, Options, figures_for, make_check_skipped
from .kernel_gains import format_kernel_gains, measure_kernel_gains
from .profile import format_profile, profile_workloads
from .table import format_table
from .versus_book import default_book_folder, format_versus_book, measure_versus_book, summarize_versus_book

__all__ = ["main", "parse_args", "child_argv"]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m checks.tools.bench",
        description="Measure float64 GEMM peak, then conv layers, DeepConvNet inference, SimpleConvNet "
                    "training, the ch06 weight-init comparison and `make check`, as fractions of that peak.")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table (for the README)")
    parser.add_argument("--write-docs", action="store_true",
                        help="also write this run's tables into docs/performance.md (between its markers)")
    parser.add_argument("--smoke", action="store_true",
                        help="token workloads, no make check: proves the bench runs (seconds, meaningless numbers)")
    parser.add_argument("--no-make-check", dest="make_check", action="store_false",
                        help="skip timing `make check` (the slowest row)")
    parser.add_argument("--full-epoch", action="store_true",
                        help="train a real SimpleConvNet epoch (600 steps) instead of extrapolating")
    parser.add_argument("--steps", type=int, default=Options.steps,
                        help=f"training steps the epoch is extrapolated from (default {Options.steps})")
    parser.add_argument("--seed", type=int, default=Options.seed, help="seed of the random inputs")
    parser.add_argument("--no-profile", dest="profile", action="store_false",
                        help="skip the cProfile split printed after the table")
    parser.add_argument("--book-code", metavar="PATH",
                        help="the book's repository, for the rows against its own code "
                             "(default: ../shared/book-code beside the checkout)")
    parser.add_argument("--no-book", dest="book", action="store_false",
                        help="skip the rows measured against the book's own code")
    parser.add_argument("--blas-threads", type=int, metavar="N",
                        help="rerun in a child process with N BLAS threads (default: BLAS's own, all cores)")
    args = parser.parse_args(argv)
    if args.steps < 1:
        parser.error(f"--steps must be at least 1, got {args.steps}")
    if args.blas_threads is not None and args.blas_threads < 1:
        parser.error(f"--blas-threads must be at least 1, got {args.blas_threads}")
    return args


def child_argv(argv):
    """argv without its --blas-threads option (either spelling), for the rerun."""
    kept, skip_next = [], False
    for arg in argv:
        if skip_next:
            skip_next = False
        elif arg == "--blas-threads":
            skip_next = True
        elif not arg.startswith("--blas-threads="):
            kept.append(arg)
    return kept


def _rerun_with_blas_threads(argv, threads):
    """BLAS reads its thread count when NumPy loads, so a different count needs a new process."""
    argv = sys.argv[1:] if argv is None else argv
    env = dict(os.environ, **blas_thread_settings(threads))
    command = [sys.executable, "-m", "checks.tools.bench", *child_argv(argv)]
    return subprocess.run(command, cwd=REPO_ROOT, env=env).returncode


def _machine_line():
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    blas = {k: os.environ[k] for k in BLAS_THREAD_VARIABLES if k in os.environ}
    return (f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, NumPy {np.__version__}, "
            f"Python {platform.python_version()}, BLAS threads {blas or 'default'}, load average {load}")


def _network_flops():
    """Forward FLOPs per image of DeepConvNet and SimpleConvNet (book defaults), for the versus-the-book rows."""
    from reference import DeepConvNet, SimpleConvNet

    from .flops import network_forward_flops

    one = np.zeros((1, 1, 28, 28))
    return {"deep_forward": network_forward_flops(DeepConvNet(), one),
            "simple_forward": network_forward_flops(SimpleConvNet(), one)}


def main(argv=None):
    args = parse_args(argv)
    if args.blas_threads is not None:
        return _rerun_with_blas_threads(argv, args.blas_threads)
    options = Options(smoke=args.smoke, make_check=args.make_check, full_epoch=args.full_epoch,
                      steps=args.steps, seed=args.seed)
    before = _machine_line()
    measurements = []
    for figure in figures_for(options):
        measurement = figure.measure(options)
        measurements.append(measurement)
        print(f"bench: {measurement.figure}: {measurement.seconds:.3f} s", file=sys.stderr, flush=True)
    if not options.make_check and not options.smoke:
        measurements.append(make_check_skipped())
    print(f"machine (start): {before}")
    print(f"machine (end):   {_machine_line()}")
    print("FLOPs count matrix products only (2·M·N·K; conv as im2col product, affine; training = 3× forward).")
    print()
    print(format_table(measurements, markdown=args.markdown), end="")
    peak = measurements[0].gflops_per_second
    versus = summary = ""
    if args.book:
        book_folder = args.book_code or default_book_folder(REPO_ROOT)
        print(f"bench: against the book's own code ({book_folder})", file=sys.stderr, flush=True)
        rows = measure_versus_book(REPO_ROOT, book_folder, smoke=args.smoke, flops=_network_flops())
        versus = format_versus_book(rows, peak, markdown=True)
        summary = summarize_versus_book(rows)
        print()
        print(format_versus_book(rows, peak, markdown=args.markdown), end="")
    print("bench: what each kernel gains over the book's method (one BLAS thread)", file=sys.stderr, flush=True)
    gains = measure_kernel_gains(REPO_ROOT, smoke=args.smoke)
    print()
    print(format_kernel_gains(gains, markdown=args.markdown), end="")
    profiles = []
    if args.profile:
        print("bench: profiles (one BLAS thread, CPU time)", file=sys.stderr, flush=True)
        for profile in profile_workloads(REPO_ROOT, smoke=args.smoke):
            profiles.append(format_profile(profile, markdown=True))
            print()
            print(format_profile(profile, markdown=args.markdown), end="")
    if args.write_docs and not args.smoke:
        from ..docs import replace_measured

        body = (f"One run, `make bench` (written here by `make bench BENCH_ARGS=--write-docs`), on "
                f"{_machine_line()}:\n\n" + format_table(measurements, markdown=True)
                + ("\n" + versus if versus else "")
                + "\n" + format_kernel_gains(gains, markdown=True)
                + "".join("\n" + text for text in profiles))
        replace_measured("bench", body)
        if summary:
            replace_measured("speed", f"Measured by one `make bench` run against the book's own code on "
                                      f"{_machine_line()} ([details](docs/performance.md)):\n\n" + summary)
        print("\nwrote the tables into docs/performance.md" + (" and the summary into README.md" if summary else ""))
    failed = any(m.figure.startswith("make check") and "FAILED" in m.note for m in measurements)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
