"""The book's claims, judged on the implementation under test (``--impl``), book §3–§8.

One test per row of the claims table (checks/reproduce/claims/) and tier: each runs
the claim's experiment calls on ``lib`` and asks the claim's judge (in its chapter's
module, checks/reproduce/claims/chNN.py), the very judge of ``make reproduce``. The ``quick``
tier (short budgets, ``make check``) is unmarked; the ``book`` tier (the book's sizes,
what ``make reproduce`` runs, hours for the convnets) is marked ``slow``. Thresholds and
their measured margins live in the judges only.
"""

import pytest

from checks.isolation.intake import Form
from checks.reproduce import bands
from checks.reproduce.calls import missing_component, run_calls
from checks.reproduce.claims import CLAIMS
from checks.reproduce.model import Options

# Seed 0, every claim (the convnet trainings too: --train-convnets).
QUICK = Options(seed=0, quick=True, train_convnets=True)
BOOK = Options(seed=0, train_convnets=True)


@pytest.fixture(scope="module")
def shared_calls():
    """Experiment results by call, for this module: a call two claims make runs once."""
    return {}


def _where(claim, opts):
    return (f"{claim.name} (chapter {claim.chapter}, {claim.section}, {', '.join(claim.scripts)}; "
            f"{opts.tier} tier, seed {opts.seed})")


def failure_message(claim, opts, verdict):
    """The verdict's criteria, ✔/✘ each with its measured value and threshold, and the hints of the failed ones."""
    lines = [f"{_where(claim, opts)}: the book: {claim.book}", f"measured: {verdict.summary}"]
    for criterion in verdict.criteria:
        lines.append(f"  {'✔' if criterion.ok else '✘'} {criterion.text}")
        if not criterion.ok and criterion.hint:
            lines.append(f"      hint: {criterion.hint}")
    return "\n".join(lines)


def judge_claim(claim, opts, lib, cache, justify=False):
    """Run ``claim``'s calls for ``opts`` on ``lib`` and fail with its criteria unless the verdict passes.

    With ``justify`` (the reference), the thresholds of a claim depending on a seed must also be
    justified by the committed bands over seeds (checks/reproduce/claims/bands.json): every
    measured seed meets them.
    """
    try:
        data = run_calls(claim.calls(opts), lib, cache=cache)
    except (NotImplementedError, AttributeError) as error:
        reason = missing_component(error, lib)
        if reason is None:
            raise
        # As make reproduce reports it: NOT RUN, naming the component, without a traceback.
        pytest.fail(f"{_where(claim, opts)}: NOT RUN: {reason}", pytrace=False)
    verdict = claim.judge(data, opts)
    assert verdict.criteria, f"{_where(claim, opts)}: the judge checked nothing"
    if not verdict.passed:
        pytest.fail(failure_message(claim, opts, verdict), pytrace=False)
    if justify and claim.seeded(opts):
        problems = bands.unjustified(bands.load(), opts.tier, claim.name, verdict)
        assert not problems, "thresholds not justified by the bands over seeds:\n" + "\n".join(problems)


@pytest.mark.parametrize("claim", CLAIMS, ids=[c.name for c in CLAIMS])
def test_claim_quick(claim, lib, impl_spec, shared_calls):
    judge_claim(claim, QUICK, lib, shared_calls, justify=impl_spec.form is Form.REFERENCE)


@pytest.mark.slow
@pytest.mark.parametrize("claim", CLAIMS, ids=[c.name for c in CLAIMS])
def test_claim_book(claim, lib, impl_spec, shared_calls):
    judge_claim(claim, BOOK, lib, shared_calls, justify=impl_spec.form is Form.REFERENCE)
