"""smooth_curve convolving with the raw Kaiser window instead of the window divided by its sum (book §6.1.8)."""

import numpy as np

COMPONENT = "smooth_curve"
MISTAKE = "§6.1.8: np.convolve(w, s) instead of np.convolve(w / w.sum(), s): every value scaled by Σw ≈ 8.36"


def smooth_curve(x):
    x = np.asarray(x, dtype=np.float64)
    window = np.kaiser(11, 2)
    mirrored = np.r_[x[10:0:-1], x, x[-1:-11:-1]]
    smoothed = np.convolve(window, mirrored, mode="valid")
    return smoothed[5:len(smoothed) - 5]


REPLACES = {"smooth_curve": smooth_curve}
