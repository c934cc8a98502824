"""The report's figure of a claim over seeds: each measured value's distribution beside its threshold and band.

One row per criterion value (results.json's ``distribution``), three layers on one axis:

- the seeds: a point per seed (green where the criterion held, a red cross where it did not);
- the threshold: a red vertical line (two for an interval), the failing side shaded;
- the committed band (bands.json: the values measured over seeds that justify the
  threshold): a grey bar from its min to its max with its median marked, named in the
  row's title with its seed count. A value without a committed band says so in its title,
  so a missing band is seen, not mistaken for a narrow one.

``distribution_figure`` builds the figure (the tests read its layers), ``draw_distribution``
saves it.
"""

import numpy as np

from .plotting import plt, save

__all__ = ["draw_distribution", "distribution_figure", "distribution_file", "BAND_COLOR", "THRESHOLD_COLOR"]

BAND_COLOR = "#bbbbbb"
BAND_MEDIAN_COLOR = "#555555"
THRESHOLD_COLOR = "#b00020"
HELD_COLOR = "#1a7f37"
_LEGEND_ORDER = ["seed: held", "seed: failed", "threshold", "committed band (bands.json)", "band median"]
_SYMBOLS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "in": "∈"}


def distribution_file(claim_name):
    return f"{claim_name}_seeds.png"


def _rows(distribution):
    for criterion, row in distribution.items():
        for label, values in row["values"].items():
            yield criterion, label, values, row


def _measured(band):
    """The band if it holds numbers, else None (a band of a criterion that never applied has min None)."""
    return band if band and band.get("min") is not None else None


def _draw_row(ax, criterion, label, values, row, band):
    x = np.array([np.nan if v is None else v for v in values["per_seed"]], dtype=float)
    held = np.array(row["held"], dtype=bool)
    y = np.random.default_rng(0).uniform(-0.25, 0.25, size=x.size)  # the same jitter in every redraw
    thresholds = values["threshold"] if values["op"] == "in" else [values["threshold"]]
    reach = [v for v in [*x[np.isfinite(x)], *thresholds, *([band["min"], band["max"]] if band else [])]
             if v is not None]
    if reach and all(v > 0 for v in reach) and max(reach) / min(reach) > 100:
        ax.set_xscale("log")
    if band:
        # the band as a bar between its min and its max, behind the seeds, and its median as a tick
        ax.fill_betweenx([-0.32, 0.32], band["min"], band["max"], color=BAND_COLOR, zorder=1, linewidth=0,
                         label="committed band (bands.json)", gid="band")
        # its ends as lines whose width is in points, taller than the seeds' jitter: a band narrower than a
        # pixel (a rounding-level spread on a wide axis) still shows as a grey tick above and below the seeds
        for end in (band["min"], band["max"]):
            ax.plot([end, end], [-0.46, 0.46], color=BAND_COLOR, linewidth=3, zorder=1, solid_capstyle="butt",
                    gid="band-end")
        if band.get("median") is not None:
            ax.plot([band["median"]] * 2, [-0.32, 0.32], color=BAND_MEDIAN_COLOR, linewidth=1.5, zorder=2,
                    label="band median", gid="band-median")
    ax.scatter(x[held], y[held], s=18, color=HELD_COLOR, zorder=4, label="seed: held")
    ax.scatter(x[~held], y[~held], s=24, color=THRESHOLD_COLOR, marker="x", zorder=4, label="seed: failed")
    for t in thresholds:
        ax.axvline(t, color=THRESHOLD_COLOR, linewidth=1.4, zorder=3, label="threshold", gid="threshold")
    low, high = ax.get_xlim()
    failing = {">=": [(low, thresholds[0])], ">": [(low, thresholds[0])], "<=": [(thresholds[0], high)],
               "<": [(thresholds[0], high)], "in": [(low, thresholds[0]), (thresholds[-1], high)]}
    for start, end in failing.get(values["op"], []):
        ax.axvspan(start, end, color=THRESHOLD_COLOR, alpha=0.06, zorder=0)
    ax.set_xlim(low, high)
    ax.set_ylim(-0.5, 0.5)
    ax.set_yticks([])
    symbol = _SYMBOLS.get(values["op"], values["op"])
    shown = f"[{thresholds[0]:g}, {thresholds[1]:g}]" if values["op"] == "in" else f"{thresholds[0]:g}"
    title = label if label == criterion else f"{criterion} — {label}"
    median = "–" if values["median"] is None else f"{values['median']:.4g}"
    seeds = f"median {median} over {len(x)} seeds"
    measured = (f"band {band['min']:.4g} to {band['max']:.4g} over {len(band['per_seed'])} seeds" if band
                else "no committed band")
    ax.set_title(f"{title} {symbol} {shown}   ({seeds}; {measured})", fontsize=8, loc="left")
    ax.tick_params(labelsize=7)
    if ax.get_xscale() == "linear":  # plain tick labels: no "1e−6" offset text running into the next title
        from matplotlib.ticker import FuncFormatter  # with pyplot, when a figure is drawn (plotting.py)

        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))


def distribution_figure(claim_name, distribution, bands):
    """The figure of ``distribution`` (results.json's, of ``claim_name``) with ``bands`` ({(criterion, label): band}).

    One axis per criterion value, in the distribution's order; None when no criterion compares a number.
    """
    rows = list(_rows(distribution))
    if not rows:
        return None
    fig, axes = plt.subplots(len(rows), 1, figsize=(9, 0.95 * len(rows) + 1.1), squeeze=False)
    for ax, (criterion, label, values, row) in zip(axes[:, 0], rows):
        _draw_row(ax, criterion, label, values, row, _measured(bands.get((criterion, label))))
    # one legend for the figure: every layer named, also the ones the first row lacks
    handles = {}
    for ax in axes[:, 0]:
        for handle, name in zip(*ax.get_legend_handles_labels()):
            handles.setdefault(name, handle)
    names = sorted(handles, key=_LEGEND_ORDER.index)
    height = fig.get_figheight()
    fig.legend([handles[n] for n in names], names, loc="upper center", fontsize=7, ncol=len(names),
               bbox_to_anchor=(0.5, 1 - 0.28 / height), frameon=False)
    fig.suptitle(f"{claim_name}: each value over the seeds, beside its threshold (red line, failing side shaded) "
                 f"and its committed band (grey bar, median tick)", fontsize=9, y=1.0)
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.5 / height))
    return fig


def draw_distribution(claim_name, distribution, bands, path):
    """Draw ``distribution_figure`` into ``path``; False (and nothing drawn) when no criterion compares a number."""
    fig = distribution_figure(claim_name, distribution, bands)
    if fig is None:
        return False
    save(fig, path)
    return True
