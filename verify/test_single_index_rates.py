"""Paper 002 'Sample & Runtime Complexity': the three-regime rates, exact symbolic checks (continuity,
monotonicity, landmarks, identities), the runtime against the hitting-time asymptotics, and the
thresholds of the aligned setting (symbolic consistency only)."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
import sympy as sp

from theory import CLAIMS
from theory import single_index as si
from theory.symbols import eps, gamma1, gamma2, k, omega

from .agreement import agree, bound
from .single_index_common import _branches
from .symbolic import identity


# Three-regime rates (002 slide 'Sample & Runtime Complexity'): exact symbolic checks
# ================================================================================================
BOUNDARIES = {"gamma2 = gamma1": {gamma2: gamma1}, "gamma2 = 2 gamma1": {gamma2: 2 * gamma1}}


@pytest.mark.parametrize("claim_id", ["single_index.alignment_gain", "single_index.delta0_exponent"])
def test_rates_are_continuous_at_the_regime_boundaries(claim_id):
    """Adjacent branches agree on the boundary line, so the closed-on-the-right encoding gives a
    boundary point the common limit of both regimes."""
    first, second, third = _branches(CLAIMS[claim_id].expr)
    identity(claim_id, first.subs(BOUNDARIES["gamma2 = gamma1"]), second.subs(BOUNDARIES["gamma2 = gamma1"]),
             note="regimes 1|2 at γ2 = γ1")
    identity(claim_id, second.subs(BOUNDARIES["gamma2 = 2 gamma1"]), third.subs(BOUNDARIES["gamma2 = 2 gamma1"]),
             note="regimes 2|3 at γ2 = 2γ1")
    claim = CLAIMS[claim_id]
    for g1 in ("0.1", "0.25", "0.5"):
        for factor, (left, right) in ((1, (first, second)), (2, (second, third))):
            g2 = str(Fraction(g1) * factor)
            val = claim.evaluate(gamma1=g1, gamma2=g2)
            for side in (left, right):
                agree(claim_id, {"gamma1": g1, "gamma2": g2, "boundary": f"γ2 = {factor}γ1"}, theory=val,
                      numeric=sp.N(side.subs({gamma1: sp.Rational(g1), gamma2: sp.Rational(g2)}), 40),
                      atol=1e-40, why_tol="exact rationals; boundary value equals both branch limits")



@pytest.mark.parametrize("claim_id, var, sense", [
    ("single_index.alignment_gain", gamma2, "<="), ("single_index.alignment_gain", gamma1, ">="),
    ("single_index.delta0_exponent", gamma2, ">="), ("single_index.delta0_exponent", gamma1, "<="),
])
def test_rates_are_monotone(claim_id, var, sense):
    """Each branch is linear with a derivative of fixed sign; with continuity this makes the rate
    monotone on the whole domain: larger spike (γ2) → smaller e and larger δ0, weaker alignment
    (γ1) → the opposite ('problem gets easier for larger γ2')."""
    for i, branch in enumerate(_branches(CLAIMS[claim_id].expr)):
        slope = sp.diff(branch, var)
        assert slope.is_number
        bound(claim_id, {"branch": i + 1, "d/d": str(var)}, value=slope, limit=0, sense=sense,
              why_tol="exact derivative of a linear branch")


@pytest.mark.parametrize("claim_id, params, name", [
    ("single_index.sample_complexity_exponent", dict(k=0, gamma1="0.1", gamma2="0.1"), "k"),
    ("single_index.sample_complexity_exponent", dict(k=2, gamma1="0.6", gamma2="0.1"), "gamma1"),
    ("single_index.sample_complexity_exponent", dict(k=2, gamma1="-0.1", gamma2="0.1"), "gamma1"),
    ("single_index.sample_complexity_exponent", dict(k=2, gamma1="0.1", gamma2="1.5"), "gamma2"),
    ("single_index.delta0_exponent", dict(gamma1="0.1", gamma2="-0.01"), "gamma2"),
    ("single_index.runtime", dict(k=2, gamma1="0.1", gamma2="0.1", d=100, eps="1"), "eps"),
    ("single_index.runtime", dict(k=2, gamma1="0.1", gamma2="0.1", d=100, eps="0"), "eps"),
    ("single_index.sample_complexity_exponent", dict(k="2.5", gamma1="0.1", gamma2="0.1"), "k"),
    ("single_index.spherical_failure_threshold", dict(k=2), "k"),
    ("single_index.krr_learnable_degree", dict(gamma2="1"), "gamma2"),
])
def test_out_of_domain_input_raises_naming_the_parameter(claim_id, params, name):
    with pytest.raises(ValueError, match=rf"parameter {name} = "):
        CLAIMS[claim_id].evaluate(**params)


def test_runtime_matches_the_hitting_time_asymptotics():
    """T ≍ τ_k(δ0) + ln(1/ε) from the exact hitting time of the overlap ODE: by l'Hôpital (both
    sides diverge) lim_{ω→0} T/τ_k(ω) = 1/(k(k−2)) for k > 2 and 1/k for k = 2 (general symbolic
    k), lim_{ε→0} T/ln(1/ε) = 1/(2k); for k = 1, T stays bounded as ω → 0."""
    claim = CLAIMS["single_index.preconditioned_hitting_time"]
    f = si.hitting_time_integrand
    m = f.free_symbols - {k}
    (m,) = m
    at_omega = f.subs(m, omega)
    ratio_k = sp.limit(sp.simplify(-at_omega / sp.diff(omega ** (2 - k), omega)), omega, 0, "+")
    identity(claim.id, ratio_k, 1 / (k * (k - 2)), note="lim ω→0 T/ω^{−(k−2)}, k > 2")
    ratio_2 = sp.limit(sp.simplify((-at_omega / sp.diff(sp.log(1 / omega), omega)).subs(k, 2)), omega, 0, "+")
    identity(claim.id, ratio_2, sp.Rational(1, 2), note="lim ω→0 T/ln(1/ω), k = 2")
    ratio_eps = sp.limit(sp.simplify(-f.subs(m, 1 - eps) / sp.diff(sp.log(1 / eps), eps)), eps, 0, "+")
    identity(claim.id, ratio_eps, 1 / (2 * k), note="lim ε→0 T/ln(1/ε)")
    t1 = sp.integrate(f.subs(k, 1), (m, 0, sp.Rational(1, 2)))
    bound(claim.id, {"k": 1, "check": "T(0 → 1/2) finite"}, value=sp.N(t1), limit=1, sense="<=",
          why_tol="exact: atanh(1/2) = 0.549")
    rt = CLAIMS["single_index.runtime"]
    for kk, const in ((2, sp.Rational(1, 2)), (3, sp.Rational(1, 3)), (4, sp.Rational(1, 8)), (5, sp.Rational(1, 15))):
        tau = si.tau_k(omega).subs(k, kk)  # the runtime claim's own τ_k
        lim = sp.limit(sp.simplify(-f.subs({k: kk, m: omega}) / sp.diff(tau, omega)), omega, 0, "+")
        identity(rt.id, lim, const, note=f"lim ω→0 T/τ_k(ω) with the claim's τ_k, k = {kk}: finite, nonzero")
    for kk, expected in ((1, 1 + math.log(10)), (2, 0.5 * math.log(1e4) + math.log(10)),
                         (4, 1e4 + math.log(10))):
        p = dict(k=kk, gamma1="0.5", gamma2="0", d=10**4, eps="0.1")
        agree(rt.id, p, theory=rt.evaluate(**p), numeric=expected, rtol=1e-14,
              why_tol="exact; δ0 = d^{−1/2} in regime 1")


def test_thresholds_of_the_aligned_setting_are_consistent():
    """NN one-step needs θ = ω(d^{1−1/k}), KRR learns degree ℓ = ⌊1/(1−γ)⌋: since k ≤ p, the NN
    threshold is never above the KRR threshold for degree p (002 slide 'Comparing KRR and NN'), and
    inside (1 − 1/ℓ, 1 − 1/(ℓ+1)) the KRR degree is ℓ."""
    nn = CLAIMS["single_index.nn_threshold_exponent"]
    p = sp.Symbol("p", positive=True, integer=True)
    gap = sp.simplify((1 - 1 / p) - nn.expr)
    identity(nn.id, gap, (p - k) / (k * p), note="KRR exponent − NN exponent = (p − k)/(kp) >= 0 for p >= k")
    krr = CLAIMS["single_index.krr_learnable_degree"]
    for ell in range(1, 6):
        # 1/(1 − γ) is increasing and maps the slide's interval onto (ℓ, ℓ + 1), so ⌊·⌋ = ℓ on all
        # of it (the midpoint values are Pointwise cases in verify/cases/single_index.py)
        lo, hi = sp.Rational(ell - 1, ell), sp.Rational(ell, ell + 1)
        identity(krr.id, (1 / (1 - gamma2)).subs(gamma2, lo), sp.Integer(ell), note=f"γ = 1 − 1/ℓ ↦ ℓ, ℓ = {ell}")
        identity(krr.id, (1 / (1 - gamma2)).subs(gamma2, hi), sp.Integer(ell + 1), note=f"γ = 1 − 1/(ℓ+1) ↦ ℓ + 1, ℓ = {ell}")


# ================================================================================================
