"""What each fast kernel gains over the book's method, measured in one child process with one BLAS thread.

``python -m checks.tools.bench.kernel_gains [--smoke]`` prints one JSON line; ``make bench``
runs it (``measure_kernel_gains``) and prints the table. Each row times, on the same
inputs, the book's method (``reference.layers``: what the checks and the exercises run) and the fast kernel of ``reference.fast``, both in float64
and both in float32, alternating round after round, each keeping its least CPU time (the
process's, one BLAS thread: comparable on a busy machine, where wall times are not).
Batch 100. The convolutions run as the plan runs them: a first layer (one input channel)
keeps its transposed windows for dW and computes no dx, which nothing reads; the book's
layer always does.
"""

import json
import os
import subprocess
import sys
import time

__all__ = ["measure_kernel_gains", "format_kernel_gains"]

BATCH = 100


def _cpu_best(functions, repeats):
    """{name: least CPU seconds of one call}, the functions alternating, after one warm-up call each."""
    best = {name: float("inf") for name in functions}
    for function in functions.values():
        function()
    for _ in range(repeats):
        for name, function in functions.items():
            start = time.process_time()
            function()
            best[name] = min(best[name], time.process_time() - start)
    return best


def _both(book, fast):
    """The four timed functions of a row: the book's method and the fast kernel, each in float64 and float32."""
    import numpy as np

    return {"book float64": book(np.float64), "fast float64": fast(np.float64),
            "book float32": book(np.float32), "fast float32": fast(np.float32)}


def _rows(smoke):
    import numpy as np

    from reference import DeepConvNet, SimpleConvNet
    from reference.fast import accelerate, cast_network, kernels
    from reference.fast.plan import Plan
    from reference.layers import Convolution, Pooling, Relu, SoftmaxWithLoss

    batch, repeats = (4, 1) if smoke else (BATCH, 7)
    rng = np.random.default_rng(0)
    rows = []

    def conv_row(label, filter_shape, size, pad):
        W, b = rng.standard_normal(filter_shape), rng.standard_normal(filter_shape[0])
        x = rng.standard_normal((batch, filter_shape[1], size, size))
        dout = rng.standard_normal(Convolution(W, b, 1, pad).forward(x).shape)
        filter_h, filter_w = filter_shape[2:]
        first = filter_shape[1] == 1

        def book(dtype):
            layer, x_, d_ = Convolution(W.astype(dtype), b.astype(dtype), 1, pad), x.astype(dtype), dout.astype(dtype)
            return lambda: (layer.forward(x_), layer.backward(d_))

        def fast(dtype):
            W_, b_ = W.astype(dtype), b.astype(dtype)
            x_ = np.ascontiguousarray(kernels.to_nhwc(x.astype(dtype)))
            d_ = np.ascontiguousarray(kernels.to_nhwc(dout.astype(dtype)))

            def run():
                xp = kernels.padded(x_, pad)
                weights = kernels.filters_matrix(W_)
                if first:
                    _, col = kernels.conv_forward(xp, weights, b_, filter_h, filter_w, keep_windows=True)
                    kernels.conv_backward(d_, W_, xp, x_.shape, pad, input_gradient=False, col=col)
                else:
                    kernels.conv_forward(xp, weights, b_, filter_h, filter_w)
                    kernels.conv_backward(d_, W_, xp, x_.shape, pad)
            return run

        return (f"Convolution fwd+bwd{' (first layer: no dx)' if first else ''}: {label}",
                _both(book, fast))

    for label, shape, size, pad in (("SimpleConvNet conv1 5×5, 1→30, 28×28", (30, 1, 5, 5), 28, 0),
                                    ("DeepConvNet conv1 3×3, 1→16, 28×28", (16, 1, 3, 3), 28, 1),
                                    ("DeepConvNet conv2 3×3, 16→16, 28×28", (16, 16, 3, 3), 28, 1),
                                    ("DeepConvNet conv3 3×3, 16→32, 14×14", (32, 16, 3, 3), 14, 1),
                                    ("DeepConvNet conv4 3×3, 32→32, 14×14 pad 2", (32, 32, 3, 3), 14, 2),
                                    ("DeepConvNet conv5 3×3, 32→64, 8×8", (64, 32, 3, 3), 8, 1),
                                    ("DeepConvNet conv6 3×3, 64→64, 8×8", (64, 64, 3, 3), 8, 1)):
        rows.append(conv_row(label, shape, size, pad))

    def pool_row(label, shape):
        x = rng.standard_normal((batch, *shape))
        dout = rng.standard_normal((batch, shape[0], shape[1] // 2, shape[2] // 2))

        def book(dtype):
            relu, pooling, x_, d_ = Relu(), Pooling(2, 2, 2), x.astype(dtype), dout.astype(dtype)
            return lambda: (pooling.forward(relu.forward(x_)), relu.backward(pooling.backward(d_)))

        def fast(dtype):
            x_ = np.ascontiguousarray(kernels.to_nhwc(x.astype(dtype)))
            d_ = np.ascontiguousarray(kernels.to_nhwc(dout.astype(dtype)))

            def run():
                out, routes = kernels.pool_relu_forward(x_, keep_routes=True)
                kernels.pool_relu_backward(d_, out, routes, x_.shape)
            return run

        return f"ReLU + 2×2 max pooling fwd+bwd: {label}", _both(book, fast)

    rows.append(pool_row("SimpleConvNet (30, 24, 24)", (30, 24, 24)))
    rows.append(pool_row("DeepConvNet (16, 28, 28)", (16, 28, 28)))


    def network_row(label, network_class, train):
        x = np.zeros((batch, 1, 28, 28))
        x[:, :, 4:24, 4:24] = rng.random((batch, 1, 20, 20))
        t = rng.integers(0, 10, batch)
        kwargs = {"train_flg": False} if network_class is DeepConvNet else {}

        def fast(dtype):
            np.random.seed(0)
            twin = cast_network(accelerate(network_class()), dtype)
            layers = list(twin.layers.values()) if isinstance(twin.layers, dict) else list(twin.layers)
            x_ = x.astype(dtype)

            def run():
                plan = Plan(layers)
                if not train:
                    return plan.forward(x_)
                last = SoftmaxWithLoss()
                last.forward(plan.forward(x_, True, None, keep=True), t)
                return plan.backward(last.backward(1))
            return run

        def book(dtype):
            np.random.seed(0)
            plain = cast_network(network_class(), dtype)
            x_ = x.astype(dtype)
            return (lambda: plain.gradient(x_, t)) if train else (lambda: plain.predict(x_, **kwargs))

        return label, _both(book, fast)

    rows.append(network_row("DeepConvNet predict, one thread (the plan: all of the above)", DeepConvNet, False))
    rows.append(network_row("DeepConvNet gradient, one thread", DeepConvNet, True))
    rows.append(network_row("SimpleConvNet gradient, one thread", SimpleConvNet, True))
    return [(label, _cpu_best(functions, repeats)) for label, functions in rows]


def main(argv):
    print(json.dumps({"batch": 4 if "--smoke" in argv else BATCH, "rows": _rows("--smoke" in argv)}))


def measure_kernel_gains(repo_root, smoke=False):
    """Run this module in a child process with one BLAS thread; return its JSON result."""
    from ...library.blas import blas_thread_settings

    env = dict(os.environ, **blas_thread_settings(1))
    command = [sys.executable, "-m", "checks.tools.bench.kernel_gains", *(["--smoke"] if smoke else [])]
    completed = subprocess.run(command, cwd=repo_root, env=env, capture_output=True, text=True)
    if completed.returncode != 0:
        raise RuntimeError(f"the kernel-gains child failed (exit {completed.returncode}):\n{completed.stderr[-2000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def format_kernel_gains(result, markdown=False):
    """The rows as a table: the book's method and the fast kernel in float64, then in float32, with the ratios."""
    def ms(seconds):
        return f"{seconds * 1e3:.2f} ms"

    header = ("kernel (batch {}, CPU time, one BLAS thread)".format(result["batch"]), "book float64",
              "fast float64", "×", "book float32", "fast float32", "×")
    cells = [header]
    for label, best in result["rows"]:
        cells.append((label, ms(best["book float64"]), ms(best["fast float64"]),
                      f"{best['book float64'] / best['fast float64']:.1f}×", ms(best["book float32"]),
                      ms(best["fast float32"]), f"{best['book float32'] / best['fast float32']:.1f}×"))
    if markdown:
        lines = ["| " + " | ".join(cells[0]) + " |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
        lines += ["| " + " | ".join(row) + " |" for row in cells[1:]]
        return "\n".join(lines) + "\n"
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))).rstrip()
             for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main(sys.argv[1:])
