"""shuffle_dataset shuffling x and t with two different permutations (book §6.5.1)."""

import numpy as np

COMPONENT = "shuffle_dataset"
MISTAKE = "§6.5.1: np.random.shuffle(x); np.random.shuffle(t): two independent permutations break the (image, label) pairs"


def shuffle_dataset(x, t):
    x, t = x.copy(), t.copy()
    np.random.shuffle(x)
    np.random.shuffle(t)
    return x, t


REPLACES = {"shuffle_dataset": shuffle_dataset}
