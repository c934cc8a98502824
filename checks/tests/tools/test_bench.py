"""Tests of ``make bench`` (checks/tools/bench/): FLOP counts from shapes, the table, and a smoke run of the CLI.

No timing is asserted: the smoke run only proves that every figure still runs and
lands in the table, so the bench cannot rot between the runs that matter.
"""

import subprocess
import sys

import numpy as np
import pytest

from checks.tools.bench.__main__ import child_argv
from checks.tools.bench.figures import REPO_ROOT, Measurement
from checks.tools.bench.flops import conv_forward_flops, network_forward_flops
from checks.tools.bench.table import format_table
from checks.tools.bench.versus_book import BookRow, default_book_folder, format_versus_book, measure_versus_book
from reference import DeepConvNet, MultiLayerNet, SimpleConvNet
from reference.experiments import predicted_classes_in_threads
from reference.fast import accelerate


@pytest.mark.parametrize("input_shape, filter_shape, stride, pad, expected", [
    # DeepConvNet conv2: (N·OH·OW = 784) × FN 16 × (C·FH·FW = 144) multiply-adds
    ((1, 16, 28, 28), (16, 16, 3, 3), 1, 1, 2 * 784 * 16 * 144),
    # DeepConvNet conv4 pads by 2: 14 → 16
    ((1, 32, 14, 14), (32, 32, 3, 3), 1, 2, 2 * 256 * 32 * 288),
    # SimpleConvNet conv1 on a batch of 100: 28 → 24
    ((100, 1, 28, 28), (30, 1, 5, 5), 1, 0, 2 * 100 * 576 * 30 * 25),
    # stride 2: 28 → 13
    ((1, 3, 28, 28), (8, 3, 4, 4), 2, 0, 2 * 169 * 8 * 48),
])
def test_conv_forward_flops_counts_the_im2col_product(input_shape, filter_shape, stride, pad, expected):
    assert conv_forward_flops(input_shape, filter_shape, stride, pad) == expected


@pytest.mark.parametrize("make_network, one_input, expected", [
    # six convs (the 2·OH·OW·FN·C·9 of each), then affines 1024→50→10
    (DeepConvNet, np.zeros((1, 1, 28, 28)),
     2 * (784 * 16 * 9 + 784 * 16 * 144 + 196 * 32 * 144 + 256 * 32 * 288 + 64 * 64 * 288 + 64 * 64 * 576
          + 1024 * 50 + 50 * 10)),
    (SimpleConvNet, np.zeros((1, 1, 28, 28)), 2 * (576 * 30 * 25 + 4320 * 100 + 100 * 10)),
    (lambda: MultiLayerNet(784, [100] * 4, 10), np.zeros((1, 784)),
     2 * (784 * 100 + 3 * 100 * 100 + 100 * 10)),
], ids=["DeepConvNet", "SimpleConvNet", "MultiLayerNet"])
def test_network_forward_flops_sums_conv_and_affine_products(make_network, one_input, expected):
    assert network_forward_flops(make_network(), one_input) == expected


def test_markdown_table_reports_fractions_of_the_first_row():
    rows = [Measurement("GEMM", 2.0, 100e9), Measurement("conv", 1.0, 25e9, "a|b"), Measurement("make check", 90.0)]
    lines = format_table(rows, markdown=True).splitlines()
    assert lines[0].startswith("| figure | time |") and len(lines) == 2 + len(rows)
    assert lines[2] == "| GEMM | 2.00 s | 100.00 | 50.0 | 100% |  |"
    assert lines[3] == "| conv | 1.00 s | 25.00 | 25.0 | 50% | a\\|b |"
    assert lines[4] == "| make check | 1.5 min |  |  |  |  |"


def test_a_run_without_make_check_keeps_its_row_saying_so():
    # docs/performance.md's table has a row per figure (checks/tools/docs.py checks it), also
    # after `make bench BENCH_ARGS="--no-make-check --write-docs"`.
    from checks.tools.bench.figures import make_check_skipped

    rows = [Measurement("GEMM", 2.0, 100e9), make_check_skipped()]
    assert format_table(rows, markdown=True).splitlines()[-1] == (
        "| make check (fast suite, xdist) | not run |  |  |  | not measured in this run (--no-make-check) |")


# slow tier: it runs every benchmark once (make bench measures them; make check keeps under 3 minutes)
@pytest.mark.slow
def test_smoke_run_prints_every_figure_in_the_table():
    completed = subprocess.run([sys.executable, "-m", "checks.tools.bench", "--smoke", "--markdown"],
                               cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr[-3000:]
    rows = [line for line in completed.stdout.splitlines() if line.startswith("| ")]
    figures = [row.split(" | ")[0].lstrip("| ") for row in rows[2:]]
    assert figures[0].startswith("GEMM float64")
    assert sum(f.startswith("DeepConvNet conv") for f in figures) == 6
    assert sum(f.startswith("SimpleConvNet conv") for f in figures) == 1
    for expected in ("DeepConvNet inference", "SimpleConvNet training step", "SimpleConvNet epoch",
                     "ch06 weight-init comparison", "DeepConvNet inference, 100 test images, 2 threads × 1 BLAS thread, float32"):
        assert any(f.startswith(expected) for f in figures), (expected, figures)
    assert not any(f.startswith("make check") for f in figures), "--smoke must not run make check"
    assert "| kernel (batch 4, CPU time, one BLAS thread) |" in completed.stdout
    assert "| ReLU + 2×2 max pooling fwd+bwd: SimpleConvNet (30, 24, 24) |" in completed.stdout
    # The profiles: one per workload, each with its two-thread bound and the optimizer on the calling thread.
    assert completed.stdout.count("On two threads at best") == 3
    assert "| Adam update (on the calling thread) |" in completed.stdout
    assert "accuracy 0.9" in completed.stdout  # the pretrained weights really classified the images
    # The rows against the book's own code: measured when ../shared/book-code is there, else said absent.
    versus = [row for row in rows if row.startswith("| against the book's own code")]
    assert len(versus) == 1, completed.stdout[-3000:]
    if default_book_folder(REPO_ROOT).is_dir():
        for dtype in ("float64", "float32"):
            assert f"| DeepConvNet inference, 100 test images (published weights), ours in {dtype} |" in completed.stdout
        assert completed.stdout.count("accuracy book 0.9900, ours 0.9900") == 2
        assert "SimpleConvNet 20-epoch training, estimated, ours in float32" in completed.stdout
    else:
        assert "book's code not found" in completed.stdout


def test_versus_book_table_states_ratio_target_and_gemm_fraction():
    rows = [BookRow("step", 2.0, 0.25, 10e9, 10, "note"), BookRow("inference", 1.0, 0.5, None, 10),
            BookRow("deep step", 3.0, 1.0, None, None)]
    lines = format_versus_book(rows, peak=80.0, markdown=True).splitlines()
    assert lines[2] == "| step | 2.00 s | 250.0 ms | 8.0× | ≥ 10×: NOT met | 40.0 | 50% | note |"
    assert lines[3] == "| inference | 1.00 s | 500.0 ms | 2.0× | ≥ 10×: NOT met |  |  |  |"
    assert lines[4] == "| deep step | 3.00 s | 1.00 s | 3.0× |  |  |  |  |"


def test_versus_book_without_the_book_says_where_it_looked(tmp_path):
    rows = measure_versus_book(REPO_ROOT, tmp_path / "absent")
    assert len(rows) == 1 and rows[0].figure.startswith(f"book's code not found at {tmp_path / 'absent'}")


@pytest.mark.parametrize("argv, expected", [
    (["--markdown", "--blas-threads", "1", "--smoke"], ["--markdown", "--smoke"]),
    (["--blas-threads=2", "--no-make-check"], ["--no-make-check"]),
    (["--steps", "5"], ["--steps", "5"]),
])
def test_blas_threads_rerun_drops_only_its_own_option(argv, expected):
    assert child_argv(argv) == expected


@pytest.mark.parametrize("make_network, workers", [
    (lambda: DeepConvNet(), 2),
    (lambda: SimpleConvNet(), 3),
], ids=["DeepConvNet-2-threads", "SimpleConvNet-3-threads"])
def test_threaded_inference_predicts_what_batches_in_order_predict(make_network, workers):
    # Random weights and inputs: classes that depend on every layer, unlike a trained net's
    # near-certain ones, so a thread reading another thread's layer state would show.
    np.random.seed(3)
    # The threads run the tuned kernels (accelerate); so does the batch-by-batch pass, for exact equality.
    network = accelerate(make_network())
    x = np.random.default_rng(3).random((250, 1, 28, 28))
    kwargs = {"train_flg": False} if isinstance(network, DeepConvNet) else {}
    expected = np.concatenate([np.argmax(network.predict(x[start:start + 100], **kwargs), axis=1)
                               for start in range(0, 250, 100)])
    classes = predicted_classes_in_threads(network, x, batch_size=100, workers=workers, **kwargs)
    mismatches = np.flatnonzero(classes != expected)
    assert mismatches.size == 0, (
        f"predicted_classes_in_threads({type(network).__name__}, workers={workers}) differs from "
        f"batch-by-batch predict at {mismatches.size} of 250 images, first {mismatches[:5].tolist()}")
