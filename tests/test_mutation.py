"""Rule 2, automated: each Appendix A check goes red when its formula is broken.

Each mutant is a plausible typo (a sign, a constant, a power, a swapped symbol). The check driver
(the Pointwise cases of verify/cases/linear_dynamics.py) runs over its grid against the unchanged construction; the
mutant must fail at least one grid point. The comparison rows of these runs are kept out of the
tolerance report.
"""

import dataclasses

import pytest
import sympy as sp

from theory import CLAIMS
from theory.symbols import A, rho, sigma2
from verify import agreement
from verify.cases import Pointwise, run
from verify.cases.linear_dynamics import GRID


def _cases(claim_id, points):
    return [c for c in Pointwise_cases() if c.claim == claim_id and c.point in points and not c.label]


def Pointwise_cases():
    from verify.cases.linear_dynamics import CASES
    return [c for c in CASES if isinstance(c, Pointwise)]

D = 1 + ((1 + rho) ** 2 - 1) * A**2
MUTANTS = {
    "linear_dynamics.sigma_xy_norm": [sigma2 * sp.sqrt(1 + ((1 + rho) ** 2 + 1) * A**2),
                                      sigma2 * sp.sqrt(1 + 2 * rho * A**2 + rho**2 * A),
                                      sigma2**2 * sp.sqrt(D)],
    "linear_dynamics.mu_dot_v1": [(1 + rho) * A / D, rho * A / sp.sqrt(D), -(1 + rho) * A / sp.sqrt(D)],
    "linear_dynamics.mu_dot_v2": [sp.sqrt(1 - (1 + rho) ** 2 * A**2 / D),
                                  -sp.sqrt(1 - (1 + rho) * A**2 / D)],
    "linear_dynamics.lambda1": [sigma2 * (1 + rho * (1 + rho) * A**2 / D),
                                sigma2 * (1 - rho * (1 + rho) ** 2 * A**2 / D)],
    "linear_dynamics.lambda2": [sigma2 * (1 + rho * (1 + (1 + rho) ** 2 * A**2 / D)),
                                sigma2 * (1 + rho * (1 - (1 + rho) ** 2 * A**2 / D)) ** 2],
    "linear_dynamics.nu": [-sigma2 * rho * (1 + rho) * A * sp.sqrt(1 - A**2) / D,
                           sigma2 * rho * (1 + rho) * A * sp.sqrt(1 - A**2) / sp.sqrt(D),
                           sigma2 * rho * A * sp.sqrt(1 - A**2) / D],
}
CASES = [(cid, i) for cid, muts in MUTANTS.items() for i in range(len(muts))]


@pytest.mark.parametrize("claim_id, index", CASES, ids=[f"{c.split('.')[1]}-{i}" for c, i in CASES])
def test_broken_formula_turns_its_check_red(claim_id, index, monkeypatch):
    monkeypatch.setattr(agreement, "ROWS", [])
    mutant = dataclasses.replace(CLAIMS[claim_id], expr=MUTANTS[claim_id][index], derivation=None)
    monkeypatch.setitem(CLAIMS, claim_id, mutant)
    failures = 0
    for case in _cases(claim_id, GRID):
        try:
            run(case, 0)
        except AssertionError:
            failures += 1
    assert failures > 0, f"mutant {MUTANTS[claim_id][index]} of {claim_id} passed every grid point"


def test_unbroken_formulas_pass_the_same_driver(monkeypatch):
    monkeypatch.setattr(agreement, "ROWS", [])
    for claim_id in MUTANTS:
        for case in _cases(claim_id, GRID[::7]):
            run(case, 0)
