"""Paper 000 §4, exact: κ(λ), R̂λ and R̂0 (Eqs. 23-27) against their symbolic re-derivations and limits,
the printed Eq. (27) against its derivation and the paper's next sentence, and κ against high-precision
root finding of Eqs. (24)-(25) (numerics.ridge)."""

from __future__ import annotations


import mpmath
import numpy as np
import pytest
import sympy as sp

from numerics import ridge as nr
from theory import CLAIMS
from theory import ridge as tr
from theory.symbols import A, gamma, lam, rho, sigma2
from theory.symbols import SYMBOLS
from theory.symbols import d as d_sym

from .agreement import agree
from .ridge_common import PREC, SPOTS
from .symbolic import identity


# -- symbolic (the claim-equals-its-derivation checks are cases: verify/cases/ridge.py) ----------
def test_kappa_spiked_solves_eq25():
    eq = tr.kappa_equation_spiked
    identity("ridge.kappa_equation_spiked", sp.simplify((eq.rhs - eq.lhs).subs(tr.kappa, tr.kappa_spiked)), 0,
             spot_points=[{sigma2: 2, gamma: sp.Rational(1, 2), lam: sp.Rational(1, 3)},
                          {sigma2: 1, gamma: 3, lam: sp.Rational(1, 100)}],
             note="Eq. (25) residual at the closed-form root (any γ > 0, λ > 0)")


def test_R_lambda_tends_to_R0():
    """R̂λ → R̂0 as λ → 0⁺ (γ > 1): the ridge risk is continuous into the min-norm risk."""
    g = sp.Symbol("g", positive=True)
    lim = sp.limit(tr.R_lambda_hat.subs(gamma, 1 + g), lam, 0, "+").subs(g, gamma - 1)
    identity("ridge.R0_hat", lim, tr.R0_hat, spot_points=SPOTS, note="lim λ→0⁺ of Eq. (23)")


def test_isotropic_limit():
    identity("ridge.R0_isotropic", tr.R0_hat.subs(rho, 0), sigma2 * (1 - 1 / gamma), spot_points=SPOTS,
             note="ρ = 0 in R̂0 gives σ²(1 − 1/γ)")
    identity("ridge.R0_isotropic", tr.R0_hat.subs(A, 0), sigma2 * (1 - 1 / gamma), spot_points=SPOTS,
             note="A = 0 in R̂0 gives σ²(1 − 1/γ) for every ρ")


def test_finite_d_theory_tends_to_asymptotic():
    """R̂0 at finite d (Eq. 24 with the exact spectrum) → R̂0 of Eq. (27) as d → ∞."""
    e = sp.Symbol("e", positive=True)
    at = {sigma2: 1, rho: 20, A: sp.Rational(1, 2), gamma: 3}
    lim = sp.limit(tr.R0_hat_finite.subs(at).subs(d_sym, 1 / e), e, 0, "+")
    identity("ridge.R0_hat_finite", lim, tr.R0_hat.subs(at),
             note="d → ∞ at σ² = 1, ρ = 20, A = 1/2, γ = 3")


# -- the erratum: Eq. (27) as printed ----------------------------------------------------------------
def test_printed_eq27_differs_from_its_derivation():
    """Printed: σ²(1 − 1/γ)[1 − A²(1 − (1 + κ)/(1 + κ/γ)²)] with κ = κ(0⁺) = σ²(γ − 1). Derived from
    Eq. (23) with Eq. (26): ρ stands where κ is printed. The two differ as functions."""
    claim = CLAIMS["ridge.R0_hat"]  # (printed ≠ derivation: a case of verify/cases/ridge.py)
    identity("ridge.R0_hat", claim.as_printed.subs(tr.kappa0, rho), claim.expr,
             note="the printed form with κ(0⁺) replaced by ρ is the derived form")


#: 000 §4, the sentence after Eq. (27): "Note that this expression with ρ = 0 recovers previous
#: results for isotropic data (Mei & Montanari, 2022; Belkin et al., 2020)", i.e. σ²(1 − 1/γ)
ISOTROPIC_SENTENCE = "000 §4, sentence after Eq. (27): 'with ρ = 0 recovers previous results for isotropic data'"


def test_printed_eq27_at_rho0_is_refuted_by_the_next_sentence():
    """The paper's own check of Eq. (27): at ρ = 0 it must be the isotropic σ²(1 − 1/γ). Read
    literally (κ = κ(0⁺) = σ²(γ − 1), the only κ in scope) the printed form does not depend on ρ and
    at ρ = 0 keeps the A-term σ²(1 − 1/γ)·A²(1 − (1 + κ)/(1 + κ/γ)²) ≠ 0 (A > 0); the derived form
    (ρ for κ) gives σ²(1 − 1/γ) for every A. Spot points have A > 0 (at A = 0 both forms agree)."""
    claim = CLAIMS["ridge.R0_hat"]
    iso = sigma2 * (1 - 1 / gamma)
    spots = [{k: v for k, v in p.items() if k is not rho} for p in SPOTS]
    identity("ridge.R0_hat", claim.as_printed.subs(rho, 0), iso, spot_points=spots, expect="disagree",
             source=ISOTROPIC_SENTENCE, note="printed Eq. (27) at ρ = 0 vs σ²(1 − 1/γ): the misprint")
    identity("ridge.R0_hat", claim.expr.subs(rho, 0), iso, spot_points=spots, source=ISOTROPIC_SENTENCE,
             note="derived Eq. (27) (ρ for κ) at ρ = 0 is σ²(1 − 1/γ), as the sentence says")


# -- κ(λ) by root finding -------------------------------------------------------------------------
KAPPA_CASES = [dict(sigma2="1", gamma="3", lam="0.5"), dict(sigma2="2.5", gamma="0.5", lam="0.01"),
               dict(sigma2="0.3", gamma="1.5", lam="4")]


@pytest.mark.parametrize("point", KAPPA_CASES, ids=lambda p: "-".join(f"{k}={v}" for k, v in p.items()))
def test_kappa_spiked_matches_root_of_eq24_at_huge_d(point):
    """Eq. (25) is Eq. (24) with the spike dropped: at d = 10^30 (n = d/γ) the numeric root of Eq. (24)
    with the full spiked spectrum differs from the closed form by O(1/d) = 1e-30."""
    d = mpmath.mpf(10) ** 30
    with mpmath.workdps(PREC + 10):
        n = d / mpmath.mpf(point["gamma"])
        s2 = mpmath.mpf(point["sigma2"])
        numeric = nr.kappa_root([s2 * 21, s2], n, mpmath.mpf(point["lam"]), multiplicities=[1, int(d) - 1],
                                prec=PREC)
    agree("ridge.kappa_spiked", point, theory=CLAIMS["ridge.kappa_spiked"].evaluate(prec=PREC, **point),
          numeric=numeric, rtol=1e-27, seed=None, evidence="high-precision",
          why_tol="precision: 40 digits; the spike's weight in Eq. (24) is 1/n ~ 1e-30, so rtol 1e-27")


@pytest.mark.parametrize("g", ("1.5", "3", "10"))
def test_kappa0_and_dkappa0_match_root_finding(g):
    """Eq. (26): κ(0⁺) and κ'(0⁺) against the numeric root of Eq. (24) and its numeric derivative
    (spiked spectrum at d = 10^30, λ = 0)."""
    d = mpmath.mpf(10) ** 30
    with mpmath.workdps(PREC + 10):
        n = d / mpmath.mpf(g)
        spectrum, mult = [mpmath.mpf(2) * 6, mpmath.mpf(2)], [1, int(d) - 1]
        k = nr.kappa_root(spectrum, n, 0, multiplicities=mult, prec=PREC)
        dk = nr.kappa_derivative(spectrum, n, 0, multiplicities=mult, prec=PREC)
    why = "precision: 40 digits, spike weight 1/n ~ 1e-30, numeric derivative to ~1e-20"
    agree("ridge.kappa0", {"sigma2": 2, "gamma": g}, theory=CLAIMS["ridge.kappa0"].evaluate(
        prec=PREC, sigma2=2, gamma=g), numeric=k, rtol=1e-20, why_tol=why, evidence="high-precision")
    agree("ridge.dkappa0", {"gamma": g}, theory=CLAIMS["ridge.dkappa0"].evaluate(prec=PREC, gamma=g),
          numeric=dk, rtol=1e-15, why_tol=why, evidence="high-precision")


@pytest.mark.parametrize("d, g, r", [(30, "1.5", "20"), (500, "3", "100"), (3000, "2", "0")])
def test_kappa0_finite_matches_root_finding(d, g, r):
    with mpmath.workdps(PREC + 10):
        s2 = mpmath.mpf("0.7")
        n = mpmath.mpf(d) / mpmath.mpf(g)
        k = nr.kappa_root([s2 * (1 + mpmath.mpf(r)), s2], n, 0, multiplicities=[1, d - 1], prec=PREC)
    point = dict(sigma2="0.7", rho=r, gamma=g, d=d)
    agree("ridge.kappa0_finite", point, theory=CLAIMS["ridge.kappa0_finite"].evaluate(prec=PREC, **point),
          numeric=k, rtol=1e-30, why_tol="precision: both at >= 40 digits; rtol 1e-30", evidence="high-precision")


def test_kappa_equation_general_spectrum():
    """Eq. (24) for an arbitrary spectrum: the numeric root satisfies the encoded relation."""
    rng = np.random.default_rng(7)
    ev = [mpmath.mpf(float(x)) for x in rng.uniform(0.1, 10, 7)]
    for n_, lm in ((3, 0), (5, mpmath.mpf("0.25")), (20, mpmath.mpf(2))):
        k = nr.kappa_root(ev, n_, lm, prec=PREC)
        eq = tr.kappa_equation_general
        evb = tr._ev
        lhs = eq.rhs.subs({tr.kappa: sp.Float(k, PREC), lam: sp.Float(lm, PREC), tr._n: n_,
                           d_sym: len(ev)})
        lhs = lhs.doit().subs({evb[j + 1]: sp.Float(e, PREC) for j, e in enumerate(ev)})
        agree("ridge.kappa_equation", {"n": n_, "lam": float(lm), "spectrum": "7 random eigenvalues"},
              theory=1, numeric=sp.N(lhs, PREC), atol=1e-30, evidence="high-precision",
              why_tol="precision: root at 40 digits; residual of Eq. (24) below 1e-30")


@pytest.mark.parametrize("d, g, r, lm", [(40, "2", "20", "0.3"), (1000, "1.5", "100", "0"), (7, "0.5", "5", "2")])
def test_kappa_equation_at_finite_d(d, g, r, lm):
    """The registered Eq. (24) (exact spiked spectrum, n = d/γ) holds at the numeric root."""
    with mpmath.workdps(PREC + 10):
        s2 = mpmath.mpf("1.3")
        k = nr.kappa_root([s2 * (1 + mpmath.mpf(r)), s2], mpmath.mpf(d) / mpmath.mpf(g), mpmath.mpf(lm),
                          multiplicities=[1, d - 1], prec=PREC)
    eq = tr.kappa_equation
    point = dict(sigma2="1.3", rho=r, gamma=g, d=d, lam=lm)
    vals = {tr.kappa: sp.Float(k, PREC), **{SYMBOLS[name]: sp.Rational(v) for name, v in point.items()}}
    agree("ridge.kappa_equation", point, theory=1, numeric=sp.N(eq.rhs.subs(vals), PREC),
          atol=1e-30, why_tol="precision: root at 40 digits; residual of Eq. (24) below 1e-30",
          evidence="high-precision")
