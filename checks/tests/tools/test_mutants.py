"""The bug corpus (checks/tools/mutants/): every variant well-formed, and every one caught.

The fast tests read each module; the slow one grades the whole corpus through the
same machinery as `make grade` (see checks/tools/mutants/_runner.py) and asserts a 100%
kill rate, a failure message naming the broken component, a pristine reference that
loses no points, and misconception signatures (checks/grading/misconception_signatures.py)
that are those of the corpus as graded now.
"""

from collections import Counter

import pytest

import reference
from checks.library.catalog import all_checks
from checks.tools.mutants import mutant_names
from checks.tools.mutants._runner import checks_catching_nothing, load_variant, run_corpus
from checks.tools.mutants._signatures import SIGNATURES_PATH, render_signatures

NAMES = mutant_names()


def _exported(component):
    """Whether the reference package exports `component` (a dotted id is a path: ch04.TwoLayerNet)."""
    found = reference
    for part in component.split("."):
        if not hasattr(found, part):
            return False
        found = getattr(found, part)
    return True
# Every layer, loss, optimizer and network the issue lists has at least two variants.
REQUIRED_TWICE = (
    "MulLayer", "AddLayer", "Relu", "Sigmoid", "Affine", "SoftmaxWithLoss",
    "Dropout", "BatchNormalization", "Convolution", "Pooling",
    "cross_entropy_error", "mean_squared_error",
    "SGD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam",
    "TwoLayerNet", "MultiLayerNet", "MultiLayerNetExtend", "SimpleConvNet", "DeepConvNet",
    "ch04.TwoLayerNet", "Trainer",
)


@pytest.mark.parametrize("name", NAMES)
def test_variant_is_well_formed(name):
    variant = load_variant(name)  # imports it; raises on a missing COMPONENT, MISTAKE, REPLACES or docstring
    assert variant.replaces, f"{name}: REPLACES is empty"
    assert variant.component in variant.replaces, f"{name}: COMPONENT {variant.component!r} is not replaced"
    assert variant.mistake.strip(), f"{name}: MISTAKE is empty"
    for component in variant.replaces:
        assert _exported(component), f"{name}: reference exports no {component!r}"
    checked = {case.component for _, case in all_checks()}
    unchecked = set(variant.replaces) - checked
    assert not unchecked, f"{name}: no check exercises {sorted(unchecked)}, so the variant could never be caught"


def test_corpus_covers_every_component():
    assert len(NAMES) >= 40
    counts = Counter(load_variant(name).component for name in NAMES)
    thin = {component: counts[component] for component in REQUIRED_TWICE if counts[component] < 2}
    assert not thin, f"components with fewer than two variants: {thin}"


@pytest.mark.slow
def test_every_variant_is_caught_and_the_reference_is_not():
    results, baseline = run_corpus(workers=2)
    assert baseline.crash is None, baseline.crash
    assert not baseline.failing, "the pristine reference fails checks: " + ", ".join(
        record["name"] for record in baseline.failing)
    assert baseline.score == baseline.max_score > 0, f"the reference scores {baseline.score} / {baseline.max_score}"
    survivors = [r.name for r in results if r.equivalent is None and not r.caught]
    assert not survivors, f"variants no check catches: {survivors}"
    idle = checks_catching_nothing(results, baseline)
    assert not idle, f"named checks that catch no variant (a check that cannot fail is a defect): {idle}"
    equivalent_caught = [r.name for r in results if r.equivalent is not None and r.caught]
    assert not equivalent_caught, f"variants declared equivalent but caught: {equivalent_caught}"
    # the misconception signatures grading recognises mistakes by are those of this corpus, as graded now
    assert render_signatures(results) == SIGNATURES_PATH.read_text(encoding="utf-8"), (
        "checks/grading/misconception_signatures.py is stale: run `make mutants`")
    for result in results:
        assert result.crash is None, f"{result.name}: {result.crash}"
        assert not result.broken, f"{result.name} fails on its own code, not on the checks:\n" + "\n".join(
            record["message"].split("\n", 1)[0] for record in result.broken)
        for record in result.failing:
            assert result.component in record["message"], (
                f"{result.name}: the message of {record['name']} does not name {result.component}:\n"
                f"{record['message']}")
