"""Paper 000 §3 and Appendices A-C: closed forms against explicit d-dimensional constructions.

Appendix A (Eqs. 28-33). The theory side evaluates each printed closed form at 50 digits; the
numeric side builds μ, β ∈ R^8 in a random orthonormal frame, the matrix Σ, Σxy = Σβ and the basis
v1, v2 of §3.2 at 65 working digits, and takes plain inner products. Neither side sees the other.
"""

from __future__ import annotations

import itertools
from functools import lru_cache

import mpmath
import pytest
import sympy as sp

from numerics.spiked import GUARD_DIGITS, appendix_a
from theory import CLAIMS
from theory.linear_dynamics import derive_appendix_a, nu
from theory.symbols import A, rho, sigma2

from .agreement import agree
from .symbolic import identity

PREC = 50
#: σ² ≠ 1 included; ρ from isotropic to 10⁴; A at both ends, 10⁻⁸ from both ends, and inside
SIGMA2 = ("1", "0.25", "3.7")
RHO = ("0", "0.5", "20", "10000")
ALIGN = ("0", "1e-8", "0.3", "0.5", "0.99999999", "1")
GRID = [dict(sigma2=s2, rho=r, A=a) for s2, r, a in itertools.product(SIGMA2, RHO, ALIGN)]

APPENDIX_A = {  # claim id -> attribute of numerics.spiked.AppendixA
    "linear_dynamics.sigma_xy_norm": "sigma_xy_norm",
    "linear_dynamics.mu_dot_v1": "mu_dot_v1",
    "linear_dynamics.mu_dot_v2": "mu_dot_v2",
    "linear_dynamics.lambda1": "lambda1",
    "linear_dynamics.lambda2": "lambda2",
    "linear_dynamics.nu": "nu",
}

# Both sides carry >= 50 significant digits (SymPy's evalf is adaptive; the construction runs at
# 50 + 15 guard digits). The construction's inner products cancel terms of size up to σ²(1 + ρ)
# against results as small as 10⁻⁸·ρ-scaled values: at most 12 digits lost on this grid.
RTOL = 10.0 ** -(PREC - GUARD_DIGITS)
WHY_RTOL = (f"precision: both sides at >= {PREC} digits, <= 12 digits lost to cancellation in the "
            f"construction (ρ <= 1e4, A >= 1e-8); rtol = 1e-{PREC - GUARD_DIGITS}")
WHY_ATOL = (f"exact zeros (ν, μᵀv1, μᵀv2 in the parallel case) are matched to 1e-{PREC} relative "
            "to the largest entry σ²(1 + ρ) of Σ")


def _atol(point) -> float:
    return 10.0 ** -PREC * float(mpmath.mpf(point["sigma2"]) * (1 + mpmath.mpf(point["rho"])))


@lru_cache(maxsize=None)
def _construction(sigma2_, rho_, A_, v2_choice="span", seed=0):
    return appendix_a(sigma2_, rho_, A_, d=8, seed=seed, prec=PREC, v2_choice=v2_choice)


def _id(point) -> str:
    return "-".join(f"{k}={v}" for k, v in point.items())


def check_against_construction(claim, point, *, v2_choice="span", expect="agree", note=""):
    """One Appendix A claim at one parameter point: closed form vs explicit construction."""
    built = _construction(point["sigma2"], point["rho"], point["A"], v2_choice)
    theory_value = claim.evaluate(prec=PREC, **point)
    numeric_value = getattr(built, APPENDIX_A[claim.id])
    return agree(claim.id, point, theory=theory_value, numeric=numeric_value, rtol=RTOL,
                 atol=_atol(point), why_tol=WHY_RTOL + "; " + WHY_ATOL, seed=0, expect=expect,
                 note=note or ("parallel case, v2 = continuous extension" if built.parallel else ""))


@pytest.mark.parametrize("point", GRID, ids=_id)
@pytest.mark.parametrize("claim_id", list(APPENDIX_A))
def test_appendix_a_closed_form_matches_construction(claim_id, point):
    check_against_construction(CLAIMS[claim_id], point)


@pytest.mark.parametrize("point", GRID, ids=_id)
def test_covariance_block_trace_and_determinant(point):
    """[[λ1, −ν], [−ν, λ2]] has trace σ²(2 + ρ) and determinant σ⁴(1 + ρ)."""
    claim = CLAIMS["linear_dynamics.covariance_block"]
    built = _construction(point["sigma2"], point["rho"], point["A"])
    trace, det = claim.evaluate(prec=PREC, **point)
    scale = float(mpmath.mpf(point["sigma2"]) * (1 + mpmath.mpf(point["rho"])))
    for name, th, num, size in (("trace", trace, built.block_trace, scale),
                                ("determinant", det, built.block_det, scale**2)):
        agree(claim.id, {**point, "entry": name}, theory=th, numeric=num, rtol=RTOL,
              atol=10.0 ** -PREC * size, why_tol=WHY_RTOL, seed=0)


# -- the choice the paper leaves free -----------------------------------------------------------
# In the parallel case §3.2 allows any unit v2 ⊥ v1. Eqs. (30) and (32) then hold only for the
# continuous extension; with a random admissible v2 they miss, while (28), (29), (31), (33) hold.
CHOICE_CASES = [
    # point, claim, expected outcome with a random admissible v2
    (dict(sigma2="1", rho="20", A="0"), "linear_dynamics.mu_dot_v2", "disagree"),
    (dict(sigma2="1", rho="20", A="0"), "linear_dynamics.lambda2", "disagree"),
    (dict(sigma2="1", rho="20", A="0"), "linear_dynamics.nu", "agree"),
    (dict(sigma2="1", rho="20", A="0"), "linear_dynamics.lambda1", "agree"),
    (dict(sigma2="1", rho="0", A="0.3"), "linear_dynamics.mu_dot_v2", "disagree"),
    (dict(sigma2="1", rho="0", A="0.3"), "linear_dynamics.lambda2", "agree"),
    (dict(sigma2="1", rho="0", A="0.3"), "linear_dynamics.nu", "agree"),
    (dict(sigma2="1", rho="3", A="1"), "linear_dynamics.mu_dot_v2", "agree"),
    (dict(sigma2="1", rho="3", A="1"), "linear_dynamics.lambda2", "agree"),
]


@pytest.mark.parametrize("point, claim_id, expect", CHOICE_CASES,
                         ids=[f"{c.split('.')[1]}-{_id(p)}" for p, c, _ in CHOICE_CASES])
def test_parallel_case_depends_on_the_choice_of_v2(point, claim_id, expect):
    check_against_construction(CLAIMS[claim_id], point, v2_choice="random", expect=expect,
                               note="parallel case, v2 a random unit vector orthogonal to v1")


# -- symbolic: re-derivation and identities ---------------------------------------------------
SPOTS = [{sigma2: sp.Rational(37, 10), rho: 20, A: sp.Rational(3, 10)},
         {sigma2: 1, rho: sp.Rational(1, 2), A: sp.Rational(9, 10)}]


@pytest.mark.parametrize("claim_id", [*APPENDIX_A, "linear_dynamics.covariance_block"])
def test_printed_form_equals_its_derivation(claim_id):
    """Eqs. (28)-(33) re-derived from Eq. (1), Eq. (3) and the §3.2 basis (theory.linear_dynamics
    .derive_appendix_a) equal the printed closed forms."""
    claim = CLAIMS[claim_id]
    derived = claim.derivation()
    pairs = zip(claim.expr, derived) if isinstance(claim.expr, tuple) else [(claim.expr, derived)]
    for printed, rederived in pairs:
        identity(claim_id, printed, rederived, spot_points=SPOTS, note="printed vs re-derived")


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
