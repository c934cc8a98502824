"""`make bench`: how close the reference's conv nets and the test suite come to this machine's speed.

Every figure is timed in one process, after a float64 GEMM (large square matrix
product) has measured the machine's peak, and reported as achieved GFLOP/s and as
a fraction of that peak. FLOPs count matrix products only, 2·M·N·K each, computed
from the layer shapes (see ``flops``): im2col copies, ReLU, pooling, softmax and
optimizer updates are work the table does not credit.

Modules: ``flops`` (FLOP counts from shapes), ``timing`` (clocks), ``figures`` (one
function per table row), ``table`` (plain and Markdown tables), ``profile`` (cProfile
split into one-core and all-core parts, and the bound it sets), ``threaded`` and
``threaded_child`` (inference on two threads, timed in a child with one BLAS thread),
``__main__`` (CLI).
The README's "Performance" section holds the table from one real run.
"""

from .figures import Figure, Measurement, figures_for
from .table import format_table

__all__ = ["Figure", "Measurement", "figures_for", "format_table"]
