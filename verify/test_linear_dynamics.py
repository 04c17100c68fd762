"""Paper 000 §3 and Appendix A: the identities of Eqs. (31)-(33) that are not one claim against one
construction. The pointwise checks of Eqs. (28)-(33) against the explicit d-dimensional
construction, the parallel-case choice of v2 and the printed-vs-derived identities are cases in
verify/cases/linear_dynamics.py, run by verify/test_cases.py.
"""

from __future__ import annotations

import sympy as sp

from theory import CLAIMS
from theory.linear_dynamics import derive_appendix_a, nu
from theory.symbols import A, rho, sigma2

from .agreement import agree
from .cases.linear_dynamics import SPOTS
from .symbolic import identity


def test_block_trace_and_determinant_identities():
    d = derive_appendix_a()
    lam1, lam2, nu_ = CLAIMS["linear_dynamics.lambda1"].expr, CLAIMS["linear_dynamics.lambda2"].expr, nu
    identity("linear_dynamics.covariance_block", lam1 + lam2, sigma2 * (2 + rho), spot_points=SPOTS,
             note="trace of [[λ1, −ν], [−ν, λ2]] from Eqs. (31)-(32)")
    identity("linear_dynamics.covariance_block", lam1 * lam2 - nu_**2, sigma2**2 * (1 + rho),
             spot_points=SPOTS, note="determinant of [[λ1, −ν], [−ν, λ2]] from Eqs. (31)-(33)")
    assert d["covariance_block"] == CLAIMS["linear_dynamics.covariance_block"].expr


def test_nu_vanishes_exactly_when_aligned_orthogonal_or_isotropic():
    """ν = 0 ⇔ A ∈ {0, 1} or ρ = 0 (σ² > 0): the numerator of Eq. (33) factors into σ²ρ(1 + ρ)A√(1 − A²)
    and the denominator 1 + ρ(ρ + 2)A² is at least 1 on the domain."""
    num, den = sp.fraction(sp.together(nu))
    identity("linear_dynamics.nu", den - 1, rho * (rho + 2) * A**2,
             note="denominator of Eq. (33) is 1 + ρ(ρ + 2)A² >= 1")
    zeros = set()
    for factor in sp.Mul.make_args(sp.factor(num)):
        for sym, dom in ((A, sp.Interval(0, 1)), (rho, sp.Interval(0, sp.oo)),
                         (sigma2, sp.Interval.open(0, sp.oo))):
            if factor.has(sym):
                zeros |= {(str(sym), sol) for sol in sp.solveset(factor, sym, dom)}
    expected = {("A", 0), ("A", 1), ("rho", 0)}
    agree("linear_dynamics.nu", {"check": "zero set"}, theory=len(expected),
          numeric=len(zeros & expected) if zeros == expected else -1, atol=0.0,
          why_tol="exact: the zero set found by solveset must be {A=0, A=1, ρ=0}",
          note=f"zero set {sorted(map(str, zeros))}")
