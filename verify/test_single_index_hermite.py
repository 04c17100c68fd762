"""Papers 001/002, Hermite facts: the information exponent of the slide examples, the ReLU Hermite
coefficients, and the Hermite correlation series on three slides (derived vs printed), each decided by
quadrature (numerics.hermite, numerics.single_index_gradients)."""

from __future__ import annotations


import pytest
import sympy as sp

from numerics import hermite as nh
from numerics.single_index_gradients import hermite_series, spiked_beta_coefficient_mp
from theory import CLAIMS
from theory import single_index as si
from theory.symbols import omega

from .agreement import agree
from .cases.single_index import HIGH_PRECISION, OMEGAS_HP, he3_gradient, relu_times_mf_link
from .symbolic import identity


# Hermite expansion and information exponent (002 slide 'Limitation under Isotropic Data')
# ================================================================================================
def _mp_link(expr):
    f = sp.lambdify(si.z, expr, "mpmath")
    return lambda x: f(x)


def test_information_exponent_of_the_slide_examples():
    """Exact He-expansion (theory) and mpmath quadrature of E[f·Heᵢ]/i! (numerics) give the same
    coefficients and the slide's exponents 1, 3, 1, 2."""
    claim = CLAIMS["single_index.information_exponent"]  # (= its derivation: verify/cases/single_index.py)
    for (name, link), expected in zip(si.SLIDE_EXAMPLES.items(), claim.evaluate()):
        exact = si.hermite_coefficients(link, upto=4)
        for i, alpha in enumerate(exact):
            agree(claim.id, {"link": name, "i": i}, theory=sp.N(alpha, 40),
                  numeric=nh.hermite_coefficient(_mp_link(link), i, prec=20, kinks=()), atol=1e-15,
                  why_tol="mpmath quadrature at 20 digits of a polynomial times a Gaussian; 1e-15")

        agree(claim.id, {"link": name}, theory=expected,
              numeric=nh.information_exponent(_mp_link(link), prec=20, kinks=()), atol=0,
              why_tol="exact integer: first coefficient above the 1e-10 quadrature floor")


# the ReLU Hermite coefficients k = 1..10 against quadrature: cases of verify/cases/single_index.py


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
HP_RTOL, HP_WHY = HIGH_PRECISION.rtol, HIGH_PRECISION.why_tol
# The claims' own values at these points (derived and printed) are cases of verify/cases/single_index.py;
# the rows below check the other readings of the slides' series.


def test_hermite_correlation_lemma_and_its_unnormalized_reading():
    """E[relu(v)σ*(u)], σ* = He2 + He3 + He4: the same sum without i! (He-coefficients treated as
    orthonormal) is refuted by the quadrature value; the hᵢ form Σ cc*ωⁱ is the claim's function (exact)."""
    claim = CLAIMS["single_index.hermite_correlation"]
    relu_alpha = si.relu_coefficients(4)
    no_factorial = sp.expand(sum(a * b * omega**i for i, (a, b) in enumerate(zip(relu_alpha, si.MF_LINK))))
    h_form = sp.expand(sum(c * cs * omega**i for i, (c, cs) in enumerate(
        zip(si.normalized_coefficients(relu_alpha), si.normalized_coefficients(si.MF_LINK)))))
    identity(claim.id, claim.expr, h_form, note="Heᵢ form Σ i!αα*ωⁱ = hᵢ form Σ cc*ωⁱ, cᵢ = √i!·αᵢ")
    for w in OMEGAS_HP:
        agree(claim.id, {"omega": w, "reading": "He-coefficients without i!"},
              theory=sp.N(no_factorial.subs(omega, sp.Rational(w)), 40), numeric=relu_times_mf_link(w),
              rtol=HP_RTOL, evidence="high-precision", why_tol=HP_WHY, expect="disagree",
              note="dropping 1/i! of αᵢ = E[σHeᵢ]/i! (the slip behind the printed series)")


@pytest.mark.parametrize("w", OMEGAS_HP)
def test_gradient_series_isotropic_slide_read_with_normalized_hermite(w):
    """'Limitation under Isotropic Data', σ = σ* = He3: the printed factor read with hᵢ-coefficients,
    (i+1)²cc*ωⁱ = 54ω², is refuted as well; the correct hᵢ form Σ (i+1)cc*ωⁱ is the derived one (exact)."""
    claim = CLAIMS["single_index.gradient_correlation_series"]
    c = si.normalized_coefficients(si._he3)
    identity(claim.id, claim.expr, si.stein_correlation_normalized(c, c),
             note="Heᵢ form Σ(i+1)(i+1)!αα*ωⁱ = hᵢ form Σ(i+1)cc*ωⁱ")
    printed_h = si.stein_correlation_as_printed(c, c)
    agree(claim.id, {"omega": w, "form": "as printed, read with hᵢ"}, theory=sp.N(printed_h.subs(omega, sp.Rational(w)), 40),
          numeric=he3_gradient(w), rtol=HP_RTOL, evidence="high-precision", why_tol=HP_WHY, expect="disagree",
          note="printed (i+1)² with normalized hᵢ: misses by (i+1)")


def test_spiked_coefficient_rejects_an_omega_outside_the_unit_sphere():
    with pytest.raises(ValueError, match="omega"):
        spiked_beta_coefficient_mp(lambda x: x, lambda x: x, 10.0, 0.5, 0.5)


# ================================================================================================
