"""Each test's share of a point total, summing to it exactly (largest-remainder apportionment).

Used by results.json as the grader writes it (report.py: shares of the exact score's
maximum) and as an assignment fits it (gradescope.py: shares of the assignment's total).
"""

import math
from fractions import Fraction

__all__ = ["apportion", "exact_shares", "share_tests"]


def apportion(weights, total, decimals=2):
    """Shares of `total` proportional to `weights`, in units of 10**-decimals, summing to `total`.

    Largest-remainder method (Hamilton's): every share gets the floor of its exact quota,
    and the units left over go to the largest fractional remainders (ties: the earlier
    share). Returns floats rounded to `decimals`; with all weights 0, equal shares.
    """
    weights = [Fraction(w).limit_denominator(10**9) for w in weights]
    if not weights:
        return []
    if any(w < 0 for w in weights):
        raise ValueError(f"apportion: weights must be >= 0, got {min(weights)}")
    if sum(weights) == 0:
        weights = [Fraction(1)] * len(weights)
    units = round(Fraction(total).limit_denominator(10**9) * 10**decimals)
    whole = sum(weights)
    quotas = [w * units / whole for w in weights]
    shares = [math.floor(q) for q in quotas]
    left = units - sum(shares)
    order = sorted(range(len(quotas)), key=lambda i: (-(quotas[i] - shares[i]), i))
    for i in order[:left]:
        shares[i] += 1
    return [round(s / 10**decimals, decimals) for s in shares]


def share_tests(tests, total, decimals=2):
    """Copies of results.json's `tests`, each `max_score` its share of `total` and `score` scaled with it."""
    tests = [dict(test) for test in tests]
    shares = apportion([test.get("max_score", 0) for test in tests], total, decimals)
    for test, share in zip(tests, shares):
        old_max, old_score = Fraction(test.get("max_score", 0)), Fraction(test.get("score", 0))
        earned = share if old_max == 0 else round(float(Fraction(share) * old_score / old_max), decimals)
        test["max_score"], test["score"] = share, min(share, earned)
    return tests


def exact_shares(results, total, decimals=4):
    """`results` (a results.json dict) with each test's max_score a largest-remainder share of `total`;
    the top-level score stays the exact score, rounded once (not a sum of rounded shares)."""
    if not total or not results.get("tests"):
        return results
    return {**results, "tests": share_tests(results["tests"], total, decimals)}
