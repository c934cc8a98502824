"""MNIST for the experiments, loaded once per process and sliced for subsets.

All experiments read MNIST through ``mnist()`` so that a process running many of
them (the report, a pytest worker) decodes the files once per variant. The arrays
handed out are read-only views of the cached ones: a component that writes into
its input would otherwise silently corrupt every later experiment in the process;
read-only, it fails at the faulty line instead.
"""

import functools

__all__ = ["mnist"]


@functools.lru_cache(maxsize=None)
def _load(normalize, flatten, one_hot_label):
    from data import load_mnist  # imported late: experiments import without data/

    (x_train, t_train), (x_test, t_test) = load_mnist(
        normalize=normalize, flatten=flatten, one_hot_label=one_hot_label)
    views = []
    for array in (x_train, t_train, x_test, t_test):
        view = array.view()
        view.flags.writeable = False
        views.append(view)
    return (views[0], views[1]), (views[2], views[3])


def mnist(normalize=True, flatten=True, one_hot_label=False):
    """``data.load_mnist`` with the same arguments, memoized for the process.

    Returns:
        ((x_train, t_train), (x_test, t_test)), read-only arrays shared between callers.
    """
    return _load(bool(normalize), bool(flatten), bool(one_hot_label))
