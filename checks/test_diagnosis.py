"""The checks fail on realistic broken layers, with a diagnosis a learner can act on.

Each row: a variant from the bug corpus (checks/mutants/), the check that must
catch it, and what its message must say. Messages must name the check, the
component, the implementation, the seed and the tolerance, and give the hint for
the bug's known signature.
"""

import pytest

from checks.errors import CheckFailure
from checks.generate import all_checks
from checks.impl import open_implementation

CAUGHT_WITH_HINT = [
    ("affine_dw_transposed", "Affine(2d)", "check_backward_gradient_params", "transposed"),
    ("affine_dx_not_reshaped", "Affine(4d-input)", "check_backward_gradient_dx", "reshape"),
    ("relu_backward_no_mask", "Relu(2d)", "check_backward_gradient_dx", "zero the masked positions"),
    ("softmax_with_loss_no_batch_division", "SoftmaxWithLoss(labels)", "check_backward_gradient_dx",
     "divide by the batch size"),
    ("sigmoid_backward_uses_y", "Sigmoid(2d)", "check_backward_gradient_dx", "y(1 − y)"),
]


def _find(case_id, check_name):
    for check, case in all_checks():
        if case.id == case_id and check.__name__ == check_name:
            return check, case
    raise LookupError(f"no check {check_name} for {case_id}")


@pytest.mark.parametrize(("mutant", "case_id", "check_name", "hint"), CAUGHT_WITH_HINT,
                         ids=[row[0] for row in CAUGHT_WITH_HINT])
def test_broken_layer_fails_with_diagnosis(mutant, case_id, check_name, hint):
    check, case = _find(case_id, check_name)
    implementation = open_implementation(f"mutant:{mutant}")
    with pytest.raises(CheckFailure) as failure:
        check(implementation, case)
    message = str(failure.value)
    for required in (check_name, case_id, f"impl: mutant:{mutant}", "hint:", hint):
        assert required in message, f"diagnosis lacks {required!r}:\n{message}"
    if "shape" not in message.splitlines()[-2]:
        for required in ("seed 0", "h=1e-06", "tolerance", "mismatches", "max abs diff", "expected"):
            assert required in message, f"diagnosis lacks {required!r}:\n{message}"


@pytest.mark.parametrize(("mutant", "case_id", "check_name", "hint"), CAUGHT_WITH_HINT,
                         ids=[row[0] for row in CAUGHT_WITH_HINT])
def test_same_check_passes_on_reference(mutant, case_id, check_name, hint):
    check, case = _find(case_id, check_name)
    check(open_implementation("reference"), case)
