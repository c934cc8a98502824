"""What a call ran, as the implementation's side reports it: the definitions entered (for blaming only
what is on the failing path) and the removed NumPy aliases answered (a tolerated deviation)."""

import numpy as np

from checks.isolation.adapters import open_implementation
from checks.isolation.child.sandboxed.trace import restore_numpy_aliases, take_alias_uses
from checks.library.outcomes import tracing


def test_a_traced_check_learns_which_components_each_call_entered():
    impl = open_implementation("reference")
    with tracing() as trace:
        net = impl.get("TwoLayerNet")(input_size=4, hidden_size=3, output_size=2)
        x, t = np.ones((2, 4)), np.array([0, 1])
        net.predict(x)
        assert trace.ran == {"TwoLayerNet", "Affine", "Relu"}  # constructors are not counted
        net.loss(x, t)
    assert trace.ran == {"TwoLayerNet", "Affine", "Relu", "SoftmaxWithLoss", "softmax", "cross_entropy_error"}
    assert trace.failing_call is None
    with tracing() as trace:
        try:
            net.loss(x, "not labels")
        except Exception:  # noqa: BLE001 - the implementation's error, reported with its path
            pass
    assert trace.failing_call is not None and "SoftmaxWithLoss" in trace.failing_call
    net.predict(x)  # untraced: the server stops following, and a later traced check starts afresh
    with tracing() as trace:
        net.predict(x)
    assert trace.ran == {"TwoLayerNet", "Affine", "Relu"}


def test_a_restored_numpy_alias_is_answered_and_its_use_noted():
    take_alias_uses()
    restore_numpy_aliases({"int": int, "float": float})
    name = "int"
    if name in np.__dict__:  # a NumPy that has the name again: nothing to restore
        return
    value = getattr(np, name)  # the line noted below
    assert value is int
    uses = take_alias_uses()
    assert [(alias, line) for alias, _file, line in uses] == [("int", value_line())] and not take_alias_uses()


def value_line():
    import inspect

    source, start = inspect.getsourcelines(test_a_restored_numpy_alias_is_answered_and_its_use_noted)
    return start + next(i for i, line in enumerate(source) if "getattr(np, name)" in line)
