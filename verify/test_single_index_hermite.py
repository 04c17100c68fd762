"""Papers 001/002, Hermite facts: the information exponent of the slide examples, the ReLU Hermite
coefficients, and the Hermite correlation series on three slides (derived vs printed), each decided by
quadrature (numerics.hermite, numerics.single_index_gradients)."""

from __future__ import annotations


import mpmath
import pytest
import sympy as sp

from numerics import hermite as nh
from numerics.single_index_gradients import (hermite_series, gaussian_pair_expectation_mp,
                                             relu_pair_expectation_mp, spiked_beta_coefficient_mp)
from theory import CLAIMS
from theory import single_index as si
from theory.symbols import omega, theta

from .agreement import agree
from .symbolic import identity


# Hermite expansion and information exponent (002 slide 'Limitation under Isotropic Data')
# ================================================================================================
def _mp_link(expr):
    f = sp.lambdify(si.z, expr, "mpmath")
    return lambda x: f(x)


def test_information_exponent_of_the_slide_examples():
    """Exact He-expansion (theory) and mpmath quadrature of E[f·Heᵢ]/i! (numerics) give the same
    coefficients and the slide's exponents 1, 3, 1, 2."""
    claim = CLAIMS["single_index.information_exponent"]
    for printed, derived in zip(claim.expr, claim.derivation()):
        identity(claim.id, printed, derived, note="slide value vs exact He-expansion")
    for (name, link), expected in zip(si.SLIDE_EXAMPLES.items(), claim.evaluate()):
        exact = si.hermite_coefficients(link, upto=4)
        for i, alpha in enumerate(exact):
            agree(claim.id, {"link": name, "i": i}, theory=sp.N(alpha, 40),
                  numeric=nh.hermite_coefficient(_mp_link(link), i, prec=20, kinks=()), atol=1e-15,
                  why_tol="mpmath quadrature at 20 digits of a polynomial times a Gaussian; 1e-15")

        agree(claim.id, {"link": name}, theory=expected,
              numeric=nh.information_exponent(_mp_link(link), prec=20, kinks=()), atol=0,
              why_tol="exact integer: first coefficient above the 1e-10 quadrature floor")


@pytest.mark.parametrize("order", range(1, 11))
def test_relu_hermite_coefficient(order):
    claim = CLAIMS["single_index.relu_hermite_coefficient"]
    agree(claim.id, {"k": order}, theory=claim.evaluate(prec=40, k=order),
          numeric=nh.hermite_coefficient(lambda x: max(x, 0), order, prec=30), atol=1e-25,
          why_tol="mpmath quadrature split at the kink, 30 digits; 1e-25")


GRAD_CASES = [  # (activation, link, omega) as He-coefficient lists
    ("He3", [0, 0, 0, 1], [0, 0, 0, 1], 0.3),
    ("He3", [0, 0, 0, 1], [0, 0, 0, 1], -0.7),
    ("poly5/He2+He3", [0, 1, 1 / 2, 1 / 6, 1 / 24, 1 / 120], [0, 0, 1, 1], 0.45),
]


@pytest.mark.parametrize("name, act, link, w", GRAD_CASES, ids=[f"{c[0]}-w={c[3]}" for c in GRAD_CASES])
def test_gradient_correlation_series_and_slide_erratum(name, act, link, w):
    """E[σ*'(u)σ'(v)] by Gauss–Hermite quadrature (exact for polynomials) against the re-derived
    series Σ(i+1)(i+1)!αα*ωⁱ — and against the slide's Σ(i+1)²αα*ωⁱ, which misses from i = 2 on."""
    claim = CLAIMS["single_index.gradient_correlation_series"]
    alpha = [sp.nsimplify(c) for c in act]
    alpha_star = [sp.nsimplify(c) for c in link]
    fa, fl = hermite_series(act).deriv(), hermite_series(link).deriv()
    numeric = nh.pair_expectation(fa, fl, 1.0, w)
    params = {"case": name, "omega": w}
    why = "Gauss–Hermite (40 nodes) is exact for these polynomials; float64 rounding, rtol 1e-12"
    derived = sp.N(si.stein_correlation(alpha, alpha_star).subs(omega, sp.nsimplify(w)), 30)
    printed = sp.N(si.stein_correlation_as_printed(alpha, alpha_star).subs(omega, sp.nsimplify(w)), 30)
    agree(claim.id, params, theory=derived, numeric=numeric, rtol=1e-12, atol=1e-14, why_tol=why)
    agree(claim.id, {**params, "form": "as printed"}, theory=printed, numeric=numeric, rtol=1e-12,
          atol=1e-14, why_tol=why, expect="disagree",
          note="slide drops i! in the Hermite series: terms i >= 2 off by i!")
    if name == "He3":
        assert claim.expr == si.stein_correlation(alpha, alpha_star)
        agree(claim.id, {**params, "via": "claim.evaluate"}, theory=claim.evaluate(omega=str(w)),
              numeric=numeric, rtol=1e-12, why_tol=why)


# ------------------------------------------------------------------------------------------------
# The Hermite series on three slides ('Limitation under Isotropic Data', 'Neural Network
# Learnability (sketch)', 'Beyond "Narrow" NNs: the Mean-field Regime'): every row below is decided
# at working precision by a Gaussian integral that uses no Hermite-coefficient algebra (tensor
# Gauss–Hermite at 40 digits, exact for the polynomials; ReLU: closed-form inner integral and
# mpmath.quad). Links are written as monomials and differentiated as such.
# ------------------------------------------------------------------------------------------------
HP_RTOL = 1e-25
HP_WHY = "mpmath at 40 digits: Gauss–Hermite exact for these polynomials / mpmath.quad; rtol 1e-25"
MF_LINK_MONOMIAL = si.z**4 + si.z**3 - 5 * si.z**2 - 3 * si.z + 2  # He2 + He3 + He4
OMEGAS_HP = ("0.3", "-0.6", "0.85")


def _mp(expr):
    return sp.lambdify(si.z, expr, "mpmath")


def _mpf(value):
    """A decimal string as an mpmath number at 50 digits (float() would round it to 53 bits)."""
    with mpmath.workdps(50):
        return mpmath.mpf(value)


def test_hermite_correlation_lemma_and_its_unnormalized_reading():
    """E[relu(v)σ*(u)], σ* = He2 + He3 + He4: Σ i!αα*ωⁱ (He-coefficients) is the quadrature value;
    the same sum without i! (He-coefficients treated as orthonormal) is refuted; the hᵢ form
    Σ cc*ωⁱ is the same function (exact)."""
    claim = CLAIMS["single_index.hermite_correlation"]
    relu_alpha = si.relu_coefficients(4)
    no_factorial = sp.expand(sum(a * b * omega**i for i, (a, b) in enumerate(zip(relu_alpha, si.MF_LINK))))
    h_form = sp.expand(sum(c * cs * omega**i for i, (c, cs) in enumerate(
        zip(si.normalized_coefficients(relu_alpha), si.normalized_coefficients(si.MF_LINK)))))
    identity(claim.id, claim.expr, h_form, note="Heᵢ form Σ i!αα*ωⁱ = hᵢ form Σ cc*ωⁱ, cᵢ = √i!·αᵢ")
    link = _mp(MF_LINK_MONOMIAL)
    for w in OMEGAS_HP:
        numeric = relu_pair_expectation_mp(link, _mpf(w), prec=40)
        agree(claim.id, {"omega": w}, theory=claim.evaluate(prec=40, omega=w), numeric=numeric,
              rtol=HP_RTOL, evidence="high-precision", why_tol=HP_WHY)
        agree(claim.id, {"omega": w, "reading": "He-coefficients without i!"},
              theory=sp.N(no_factorial.subs(omega, sp.Rational(w)), 40), numeric=numeric, rtol=HP_RTOL,
              evidence="high-precision", why_tol=HP_WHY, expect="disagree",
              note="dropping 1/i! of αᵢ = E[σHeᵢ]/i! (the slip behind the printed series)")


@pytest.mark.parametrize("w", OMEGAS_HP)
def test_gradient_series_isotropic_slide_in_both_conventions(w):
    """'Limitation under Isotropic Data', σ = σ* = He3: derived 18ω² at 40 digits; printed
    (i+1)²αα*ωⁱ (He) = 9ω² and the printed factor read with hᵢ-coefficients, (i+1)²cc*ωⁱ = 54ω²,
    are both refuted; the correct hᵢ form Σ (i+1)cc*ωⁱ is the derived one (exact)."""
    claim = CLAIMS["single_index.gradient_correlation_series"]
    c = si.normalized_coefficients(si._he3)
    identity(claim.id, claim.expr, si.stein_correlation_normalized(c, c),
             note="Heᵢ form Σ(i+1)(i+1)!αα*ωⁱ = hᵢ form Σ(i+1)cc*ωⁱ")
    printed_h = si.stein_correlation_as_printed(c, c)
    d_he3 = _mp(sp.diff(si.SLIDE_EXAMPLES["He3"], si.z))
    numeric = gaussian_pair_expectation_mp(d_he3, d_he3, _mpf(w), prec=40)
    agree(claim.id, {"omega": w, "method": "mpmath"}, theory=claim.evaluate(prec=40, omega=w), numeric=numeric,
          rtol=HP_RTOL, evidence="high-precision", why_tol=HP_WHY)
    agree(claim.id, {"omega": w, "form": "as printed, Heᵢ"}, theory=sp.N(claim.as_printed.subs(omega, sp.Rational(w)), 40),
          numeric=numeric, rtol=HP_RTOL, evidence="high-precision", why_tol=HP_WHY, expect="disagree",
          note="printed (i+1)² with the slide's Heᵢ: misses by i!")
    agree(claim.id, {"omega": w, "form": "as printed, read with hᵢ"}, theory=sp.N(printed_h.subs(omega, sp.Rational(w)), 40),
          numeric=numeric, rtol=HP_RTOL, evidence="high-precision", why_tol=HP_WHY, expect="disagree",
          note="printed (i+1)² with normalized hᵢ: misses by (i+1)")


@pytest.mark.parametrize("w", OMEGAS_HP)
def test_gradient_series_mean_field_slide(w):
    """'Beyond "Narrow" NNs: the Mean-field Regime', ReLU neurons, σ* = He2 + He3 + He4:
    E[σ*'(u)relu'(v)] at 40 digits against the derived (2ω − 4ω³)/√(2π) and the printed
    (2ω − (2/3)ω³)/√(2π)."""
    claim = CLAIMS["single_index.gradient_correlation_series_mean_field"]
    numeric = relu_pair_expectation_mp(_mp(sp.diff(MF_LINK_MONOMIAL, si.z)), _mpf(w), derivative=True, prec=40)
    agree(claim.id, {"omega": w}, theory=claim.evaluate(prec=40, omega=w), numeric=numeric, rtol=HP_RTOL,
          evidence="high-precision", why_tol=HP_WHY)
    agree(claim.id, {"omega": w, "form": "as printed"}, theory=sp.N(claim.as_printed.subs(omega, sp.Rational(w)), 40),
          numeric=numeric, rtol=HP_RTOL, evidence="high-precision", why_tol=HP_WHY, expect="disagree",
          note="printed (i+1)²: the i = 3 term (α₄ of ReLU) is off by 3! = 6")


@pytest.mark.parametrize("th, w", [("0", "0.5"), ("3", "0.2"), ("10", "0.1")])
def test_gradient_series_nn_learnability_slide(th, w):
    """'Neural Network Learnability (sketch)', Σ = I + θβ*β*ᵀ, σ = He3 with bias 1/2, σ* = He2 + He3,
    ⟨w, Σw⟩ = 1: the β*-coefficient from the explicit 2×2 covariance at 40 digits against the
    derived √(1+θ)Σ(i+1)(i+1)!α^bα*ω̃ⁱ and the printed (i+1)² form (θ = 0: the isotropic case)."""
    claim = CLAIMS["single_index.gradient_correlation_series_spiked"]
    dact = _mp(sp.diff(si.SLIDE_EXAMPLES["He3"], si.z))
    dlink = _mp(sp.diff(si.SLIDE_EXAMPLES["He2+He3"], si.z))
    numeric = spiked_beta_coefficient_mp(dact, dlink, _mpf(th), _mpf(w), _mpf("0.5"), prec=40)
    p = {"theta": th, "omega": w, "b": "1/2"}
    agree(claim.id, p, theory=claim.evaluate(prec=40, theta=th, omega=w), numeric=numeric, rtol=HP_RTOL,
          evidence="high-precision", why_tol=HP_WHY)
    printed = claim.as_printed.subs({theta: sp.Rational(th), omega: sp.Rational(w)})
    agree(claim.id, {**p, "form": "as printed"}, theory=sp.N(printed, 40), numeric=numeric, rtol=HP_RTOL,
          evidence="high-precision", why_tol=HP_WHY, expect="disagree",
          note="printed (i+1)²: the i = 2 term is off by 2! = 2")
    with pytest.raises(ValueError, match="omega"):
        spiked_beta_coefficient_mp(dact, dlink, 10.0, 0.5, 0.5)


# ================================================================================================
