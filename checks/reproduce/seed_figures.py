"""The report's figure of a claim over seeds: each measured value's distribution beside its threshold.

One row per criterion value (results.json's ``distribution``): a point per seed (green
where the criterion held, red where it did not), the threshold as a vertical line (two for
an interval) with the failing side shaded, and the committed band (bands.json: the values
measured over seeds that justify the threshold) as a grey bar under the points.
"""

import numpy as np

from .plotting import plt, save

__all__ = ["draw_distribution", "distribution_file"]


def distribution_file(claim_name):
    return f"{claim_name}_seeds.png"


def _rows(distribution):
    for criterion, row in distribution.items():
        for label, values in row["values"].items():
            yield criterion, label, values, row


def draw_distribution(claim_name, distribution, bands, path):
    """Draw ``distribution`` (results.json's, of ``claim_name``) with ``bands`` ({(criterion, label): band}).

    Returns False (and draws nothing) when no criterion compares a number.
    """
    rows = list(_rows(distribution))
    if not rows:
        return False
    fig, axes = plt.subplots(len(rows), 1, figsize=(9, 0.95 * len(rows) + 0.9), squeeze=False)
    for ax, (criterion, label, values, row) in zip(axes[:, 0], rows):
        x = np.array([np.nan if v is None else v for v in values["per_seed"]], dtype=float)
        held = np.array(row["held"], dtype=bool)
        rng = np.random.default_rng(0)  # the same jitter in every redraw
        y = rng.uniform(-0.25, 0.25, size=x.size)
        thresholds = values["threshold"] if values["op"] == "in" else [values["threshold"]]
        measured = bands.get((criterion, label))
        reach = [v for v in [*x[np.isfinite(x)], *thresholds,
                             *([measured["min"], measured["max"]] if measured and measured["min"] is not None else [])]
                 if v is not None]
        positive = all(v > 0 for v in reach)
        if positive and max(reach) / min(reach) > 100:
            ax.set_xscale("log")
        if measured and measured.get("min") is not None:
            ax.axvspan(measured["min"], measured["max"], ymin=0.3, ymax=0.7, color="#cccccc", zorder=0,
                       label="band (bands.json)")
        ax.scatter(x[held], y[held], s=18, color="#1a7f37", zorder=3, label="seed: held")
        ax.scatter(x[~held], y[~held], s=24, color="#b00020", marker="x", zorder=3, label="seed: failed")
        for t in thresholds:
            ax.axvline(t, color="#b00020", linewidth=1.2, zorder=2)
        low, high = ax.get_xlim()
        failing = {">=": [(low, thresholds[0])], ">": [(low, thresholds[0])], "<=": [(thresholds[0], high)],
                   "<": [(thresholds[0], high)], "in": [(low, thresholds[0]), (thresholds[-1], high)]}
        for start, end in failing.get(values["op"], []):
            ax.axvspan(start, end, color="#b00020", alpha=0.06, zorder=0)
        ax.set_xlim(low, high)
        ax.set_ylim(-0.5, 0.5)
        ax.set_yticks([])
        symbol = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "in": "∈"}.get(values["op"], values["op"])
        shown = f"[{thresholds[0]:g}, {thresholds[1]:g}]" if values["op"] == "in" else f"{thresholds[0]:g}"
        title = label if label == criterion else f"{criterion} — {label}"
        median = "–" if values["median"] is None else f"{values['median']:.4g}"
        ax.set_title(f"{title} {symbol} {shown}   (median {median}, {len(x)} seeds)", fontsize=8, loc="left")
        ax.tick_params(labelsize=7)
    axes[0, 0].legend(loc="upper right", fontsize=6, ncol=3)
    fig.suptitle(f"{claim_name}: each value over the seeds, its threshold (red line, failing side shaded) and "
                 f"its committed band (grey)", fontsize=9)
    fig.tight_layout()
    save(fig, path)
    return True
