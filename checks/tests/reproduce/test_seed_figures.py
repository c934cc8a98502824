"""The figure of a claim over seeds draws each value's distribution beside its threshold AND its committed band.

Read from the figure's layers (each tagged with a gid) and from the rendered pixels: a
figure that drops the band, or the threshold, fails here.
"""

import numpy as np
import pytest

from checks.reproduce.seed_figures import BAND_COLOR, distribution_figure, draw_distribution
from checks.reproduce.plotting import plt

SEEDS = [0, 1, 2, 3]
DISTRIBUTION = {
    "Xavier learning": {"rule": "Xavier loss ≤ 2.26", "seeds": SEEDS, "held": [True, True, True, False],
                        "values": {"Xavier loss": {"op": "<=", "threshold": 2.26, "per_seed": [2.10, 2.15, 2.2, 2.3],
                                                   "min": 2.10, "median": 2.175, "max": 2.3}}},
    "ratio": {"rule": "ratio ∈ [0.5, 2]", "seeds": SEEDS, "held": [True] * 4,
              "values": {"ratio": {"op": "in", "threshold": [0.5, 2.0], "per_seed": [0.9, 1.0, 1.1, 1.0],
                                   "min": 0.9, "median": 1.0, "max": 1.1}}},
    # a rounding-level spread on an axis spanning decades: its band is narrower than a pixel
    "rounding": {"rule": "max |diff| ≤ 1e-4", "seeds": SEEDS, "held": [True] * 4,
                 "values": {"max |diff|": {"op": "<=", "threshold": 1e-4, "per_seed": [1.0e-6, 1.001e-6, 1.002e-6,
                                                                                         1.0e-6],
                                           "min": 1.0e-6, "median": 1.0005e-6, "max": 1.002e-6}}},
}
BANDS = {
    ("Xavier learning", "Xavier loss"): {"per_seed": [2.05, 2.12, 2.21], "min": 2.05, "median": 2.12, "max": 2.21},
    ("rounding", "max |diff|"): {"per_seed": [0.999e-6, 1.003e-6], "min": 0.999e-6, "median": 1.001e-6,
                                 "max": 1.003e-6},
    # ("ratio", "ratio") has no committed band
}


def _layers(ax, gid):
    return [artist for artist in ax.get_children() if artist.get_gid() == gid]


@pytest.fixture
def figure():
    fig = distribution_figure("ch06_weight_init", DISTRIBUTION, BANDS)
    yield fig
    plt.close(fig)


def test_each_value_is_drawn_beside_its_threshold_and_its_band(figure):
    from matplotlib.collections import PathCollection  # in the test: collecting this module loads no matplotlib

    axes = figure.axes
    assert len(axes) == 3
    for ax, (criterion, row) in zip(axes, DISTRIBUTION.items()):
        label, values = next(iter(row["values"].items()))
        thresholds = values["threshold"] if values["op"] == "in" else [values["threshold"]]
        assert sorted(line.get_xdata()[0] for line in _layers(ax, "threshold")) == thresholds, criterion
        seeds = np.concatenate([c.get_offsets()[:, 0] for c in ax.collections
                                if isinstance(c, PathCollection) and c.get_offsets().size])
        assert sorted(seeds) == sorted(values["per_seed"]), criterion
        band = BANDS.get((criterion, label))
        if band is None:
            assert not _layers(ax, "band") and not _layers(ax, "band-end")
            assert "no committed band" in ax.get_title(loc="left")
            continue
        (bar,) = _layers(ax, "band")
        extent = bar.get_paths()[0].vertices[:, 0]
        assert (extent.min(), extent.max()) == pytest.approx((band["min"], band["max"]), rel=1e-12), criterion
        assert sorted(line.get_xdata()[0] for line in _layers(ax, "band-end")) == [band["min"], band["max"]]
        (median,) = _layers(ax, "band-median")
        assert median.get_xdata()[0] == band["median"]
        assert f"band {band['min']:.4g} to {band['max']:.4g} over {len(band['per_seed'])} seeds" in ax.get_title(
            loc="left")
        low, high = ax.get_xlim()
        assert low <= band["min"] and band["max"] <= high, "the band lies inside the drawn axis"
    legend = [text.get_text() for text in figure.legends[0].get_texts()]
    assert {"threshold", "committed band (bands.json)", "seed: held", "seed: failed"} <= set(legend)


def band_pixels(path):
    """How many pixels of ``path`` have the band's grey."""
    import matplotlib.image
    from matplotlib.colors import to_rgb

    image = matplotlib.image.imread(path)[..., :3]
    return int(np.all(np.abs(image - np.array(to_rgb(BAND_COLOR))) < 1.5 / 255, axis=-1).sum())


def test_the_band_is_seen_in_the_png_even_narrower_than_a_pixel(tmp_path):
    with_bands, without = tmp_path / "bands.png", tmp_path / "none.png"
    assert draw_distribution("x", DISTRIBUTION, BANDS, with_bands)
    assert draw_distribution("x", DISTRIBUTION, {}, without)
    only_narrow = {key: band for key, band in BANDS.items() if key[0] == "rounding"}
    narrow = tmp_path / "narrow.png"
    draw_distribution("x", DISTRIBUTION, only_narrow, narrow)
    # the narrow band's two end ticks alone are a few hundred grey pixels the band-less figure lacks
    assert band_pixels(narrow) >= band_pixels(without) + 100
    assert band_pixels(with_bands) >= band_pixels(narrow) + 1000
