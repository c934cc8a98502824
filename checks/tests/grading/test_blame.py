""""Blocked by prerequisite X" only when X ran on the failing path (issue 21, step 4).

A real grading run (the implementation in its own child process): softmax sums over the
whole batch, and TwoLayerNet's accuracy forgets one-hot targets. The network's checks that
reach softmax through its loss are blamed on softmax; its accuracy check, whose calls
never run softmax, is its own failure and says so.
"""

from checks.tests.fixtures.grading import REFERENCE, copy_package, stub_method
from checks.grading import grade

COMPONENTS = ["softmax", "cross_entropy_error", "Affine", "Relu", "SoftmaxWithLoss", "TwoLayerNet"]


def test_only_the_network_checks_that_ran_softmax_are_blocked_by_it(tmp_path):
    package = copy_package(REFERENCE, tmp_path / "submission")
    stub_method(package, "functions.py", "softmax", "x = np.asarray(x)\nreturn np.exp(x) / np.sum(np.exp(x))")
    stub_method(package, "two_layer_net.py", "TwoLayerNet.accuracy",
                "return np.sum(np.argmax(self.predict(x), axis=1) == t) / float(x.shape[0])")
    result = grade(str(package), workers=1, components=COMPONENTS)
    failing = {r.check: r for r in result.failures if r.component == "TwoLayerNet"}
    assert {r.component for r in result.failures} == {"softmax", "SoftmaxWithLoss", "TwoLayerNet"}

    accuracy = failing["check_accuracy_matches_predict"]  # raises comparing (N,) labels with (N, C) one-hot
    assert accuracy.outcome == "error" and not accuracy.blocked_by, accuracy.message
    assert "softmax" not in accuracy.on_path and {"TwoLayerNet", "Affine", "Relu"} <= set(accuracy.on_path)
    assert accuracy.message.startswith("TwoLayerNet.accuracy raised")

    loss = failing["check_loss_is_cross_entropy_of_predict"]
    assert loss.blocked_by == ("softmax",) and {"softmax", "SoftmaxWithLoss"} <= set(loss.on_path)
    assert loss.message.startswith("blocked: prerequisite softmax wrong")
    # the layer built on softmax is blamed on it too (its property checks earn nothing meanwhile: gated)
    layer = [r for r in result.failures if r.component == "SoftmaxWithLoss" and r.detail != "gated"]
    assert layer and all(r.blocked_by == ("softmax",) for r in layer)


def test_a_failure_of_a_learners_other_definition_blocks_nothing_else():
    """A batch-breaking softmax draft in ch3/ fails softmax's checks, but the network's checks run the softmax
    chosen first (common/functions.py): a network failure is its own, never "blocked: prerequisite softmax"."""
    from checks.grading.records import Record
    from checks.grading.scoring import score_records
    from checks.library.outcomes import Outcome

    def record(case, check, outcome, on_path=None, variant=None):
        return Record(nodeid=f"x[{case}-{check}]", check=check, case=case, outcome=outcome, message="WRONG: x",
                      on_path=on_path, variant=variant)

    records = [record("softmax(batch)", "check_softmax_each_row", Outcome.WRONG, ("softmax",), "ch3/softmax_func.py"),
               record("predict(random-network)", "check_three_layer_predict", Outcome.WRONG, ("predict", "softmax"))]
    scored = {r.component: r for r in score_records(records, "book") if r.outcome == "wrong"}
    assert scored["softmax"].variant == "ch3/softmax_func.py"
    assert scored["predict"].blocked_by == () and not scored["predict"].message.startswith("blocked")
    # PandaDrunkard's other predict (ch3/mnist_neuralnet.py) runs their other softmax: there it may block
    records[1] = record("predict(random-network)", "check_three_layer_predict", Outcome.WRONG, ("predict", "softmax"),
                        "ch3/mnist_neuralnet.py")
    scored = {r.component: r for r in score_records(records, "book") if r.outcome == "wrong"}
    assert scored["predict"].blocked_by == ("softmax",)
    records[:] = [record("softmax(batch)", "check_softmax_each_row", Outcome.WRONG, ("softmax",)),
                  record("predict(random-network)", "check_three_layer_predict", Outcome.WRONG, ("predict", "softmax"))]
    scored = {r.component: r for r in score_records(records, "book") if r.outcome == "wrong"}
    assert scored["predict"].blocked_by == ("softmax",)
