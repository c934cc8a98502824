"""The bench table, as aligned text or as a Markdown table to paste into the README."""

__all__ = ["format_table", "COLUMNS"]

COLUMNS = ("figure", "time", "GFLOP", "GFLOP/s", "of GEMM peak", "note")


def _time(seconds):
    if seconds is None:
        return "not run"
    if seconds >= 60:
        return f"{seconds / 60:.1f} min"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    return f"{seconds * 1e3:.1f} ms"


def _cells(measurement, peak):
    rate = measurement.gflops_per_second
    return (
        measurement.figure,
        _time(measurement.seconds),
        "" if measurement.flops is None else f"{measurement.flops / 1e9:.2f}",
        "" if rate is None else f"{rate:.1f}",
        "" if rate is None or not peak else f"{rate / peak:.0%}",
        measurement.note,
    )


def format_table(measurements, markdown=False):
    """The table of measurements; the first one is the GEMM peak the fractions refer to.

    Args:
        measurements: list of Measurement, the GEMM peak first.
        markdown: a GitHub Markdown pipe table instead of aligned columns.

    Returns:
        text: str, one line per row plus the header, newline-terminated.
    """
    peak = measurements[0].gflops_per_second if measurements else None
    rows = [COLUMNS] + [_cells(m, peak) for m in measurements]
    if markdown:
        lines = ["| " + " | ".join(rows[0]) + " |",
                 "| " + " | ".join(["---", "---:", "---:", "---:", "---:", "---"]) + " |"]
        lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows[1:]]
        return "\n".join(lines) + "\n"
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    right = {1, 2, 3, 4}
    lines = ["  ".join(cell.rjust(w) if i in right else cell.ljust(w)
                       for i, (cell, w) in enumerate(zip(row, widths))).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"
