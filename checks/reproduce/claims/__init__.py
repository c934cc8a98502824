"""The table of the book's claims that ``make reproduce`` checks: one module per chapter, one row per experiment.

Each chapter's module (``ch03`` … ``ch08``) holds its ``Claim``s — where the claim comes
from (chapter, section, the book's script), what the book shows, how it is measured, the
experiment calls that produce the data (by function name, with their arguments for each
tier) — beside the claim's judge (its criteria, each threshold written once through
``verdict.Verdict``) and the functions drawing its figures. ``bands.json`` beside them
holds the values measured over seeds that justify the stochastic thresholds.

The table is the single source of every caller: ``make reproduce`` (``runner``), the
regression tests (``checks/suite/test_claims.py``: the ``quick`` tier in ``make check``,
the ``book`` tier under the ``slow`` marker) and ``make margins`` all run a claim's calls
with ``calls.run_calls`` and judge the data with the claim's judge.
"""

from . import ch03, ch04, ch05, ch06, ch07, ch08

__all__ = ["CLAIMS", "claim_names", "select_claims", "claim_named"]

# Report order: chapter by chapter, the opt-in trainings (hours of CPU) last.
CLAIMS = tuple(sorted(ch03.CLAIMS + ch04.CLAIMS + ch05.CLAIMS + ch06.CLAIMS + ch07.CLAIMS + ch08.CLAIMS,
                      key=lambda claim: claim.opt_in is not None))


def claim_names():
    """Names of every claim, in report order."""
    return [c.name for c in CLAIMS]


def select_claims(only=None):
    """The claims named in ``only`` (all when None), in report order; ValueError on an unknown name."""
    if not only:
        return list(CLAIMS)
    unknown = sorted(set(only) - set(claim_names()))
    if unknown:
        raise ValueError(f"unknown experiment(s) {', '.join(unknown)}; known: {', '.join(claim_names())}")
    return [c for c in CLAIMS if c.name in set(only)]


def claim_named(name):
    """The claim called ``name``; ValueError naming the known ones otherwise."""
    for claim in CLAIMS:
        if claim.name == name:
            return claim
    raise ValueError(f"unknown experiment {name!r}; known: {', '.join(claim_names())}")
