"""Papers 001/002: single-index feature learning under a spike.

Setting (002 slide "Setting: Beyond Perfect Alignment?"): x ~ N(0, Σ), Σ = I + θμμᵀ, ‖μ‖ = 1,
f*(x) = σ*(⟨x, β⟩/‖Σ^{1/2}β‖), ⟨μ, β⟩ ≍ d^{−γ1}, θ ≍ d^{γ2}, γ1 ∈ [0, 1/2], γ2 ∈ [0, 1]. Links are
expanded in probabilists' Hermite polynomials, σ = Σ αᵢ Heᵢ (002 slide "Limitation under Isotropic
Data"); the information exponent k is the smallest i ≥ 1 with α*ᵢ ≠ 0.

Where the slides write ≍ or ≳ we encode exponents of d (lim log(·)/log d with θ = d^{γ2},
⟨μ, β⟩ = d^{−γ1} exactly). The slides give the rates on open regimes (γ2 < γ1, γ1 < γ2 < 2γ1,
2γ1 < γ2); the expressions here close each regime on the right, and since every rate is continuous
across the boundaries (checked in the audit) a point exactly on a boundary gets the common limit.

Re-derived closed forms that the slides only state as orders (δ0's second moment, the overlap ODE of
the preconditioned flow and its hitting time, the spherical-flow balance) carry a ``derivation`` or a
``conditions`` note saying how they follow.
"""

from __future__ import annotations

import math

import sympy as sp

from .claims import Claim, register
from .symbols import A, Domain, d, eps, gamma1, gamma2, k, n, omega, theta

#: Gaussian argument of a link function
z = sp.Symbol("z", real=True)
#: integration variables of the closed forms below (not parameters)
_m = sp.Symbol("m", positive=True)

_SLIDE_ISO = "002 slide 'Limitation under Isotropic Data (continued)'"
_SLIDE_RATES = "002 slide 'Sample & Runtime Complexity' (Theorem [MWS+23])"


# -- Hermite expansion and information exponent ---------------------------------------------------
def hermite_coefficients(link, upto: int | None = None) -> tuple[sp.Expr, ...]:
    """Coefficients α_0, …, α_deg of a polynomial link in probabilists' Hermite polynomials,
    link(z) = Σ αᵢ Heᵢ(z) (002 slide 'Limitation under Isotropic Data'); exact, by peeling the
    leading monomial (Heᵢ is monic). ``upto`` pads with zeros."""
    poly = sp.Poly(sp.expand(sp.sympify(link)), z)
    if poly.is_zero:
        raise ValueError("link must be a nonzero polynomial in z")
    deg = poly.degree()
    coeffs = [sp.Integer(0)] * (deg + 1)
    rest = poly
    for i in range(deg, -1, -1):
        c = rest.coeff_monomial(z**i)
        coeffs[i] = sp.nsimplify(c)
        rest = rest - sp.Poly(c * sp.hermite_prob(i, z), z)
    if not rest.is_zero:
        raise ArithmeticError("Hermite peeling left a remainder")
    if upto is not None:
        coeffs += [sp.Integer(0)] * max(0, upto + 1 - len(coeffs))
    return tuple(coeffs)


def information_exponent(coeffs) -> int:
    """Smallest i >= 1 with αᵢ ≠ 0 (002 slide 'Limitation under Isotropic Data')."""
    for i, c in enumerate(coeffs):
        if i >= 1 and c != 0:
            return i
    raise ValueError("link has no nonconstant Hermite component: information exponent undefined")


#: the slide's four examples, written as monomials so the expansion is a real computation
SLIDE_EXAMPLES = {
    "He1": z,
    "He3": z**3 - 3 * z,
    "He1+He3": z**3 - 2 * z,
    "He2+He3": z**3 + z**2 - 3 * z - 1,
}
SLIDE_EXPONENTS = (1, 3, 1, 2)

register(Claim(
    id="single_index.information_exponent", expr=tuple(sp.Integer(v) for v in SLIDE_EXPONENTS),
    params=(), source=_SLIDE_ISO,
    statement="Information exponents of the slide's examples He1, He3, He1+He3, He2+He3: 1, 3, 1, 2.",
    derivation=lambda: tuple(sp.Integer(information_exponent(hermite_coefficients(f)))
                             for f in SLIDE_EXAMPLES.values()),
))

#: ReLU in the Heᵢ basis: α1 = 1/2 and, for i >= 2, αᵢ = φ(0)He_{i−2}(0)/i! (two Gaussian
#: integrations by parts put relu'' = δ against He_{i−2}); He_j(0) = cos(πj/2)(j − 1)!!.
relu_hermite_coefficient = sp.Piecewise(
    (sp.Rational(1, 2), sp.Eq(k, 1)),
    (sp.cos(sp.pi * (k - 2) / 2) * sp.factorial2(k - 3) / (sp.sqrt(2 * sp.pi) * sp.factorial(k)), True),
)
RELU_ALPHA0 = 1 / sp.sqrt(2 * sp.pi)

register(Claim(
    id="single_index.relu_hermite_coefficient", expr=relu_hermite_coefficient, params=("k",),
    source="001 §2.1 (ReLU activation), 002 slide 'Limitation under Isotropic Data'",
    statement="He-coefficient αₖ of ReLU: 1/2 for k = 1, φ(0)He_{k−2}(0)/k! for k ≥ 2 — zero for "
    "every odd k ≥ 3, so a ReLU neuron has no degree-k correlation with an odd link of exponent k ≥ 3.",
    conditions="Re-derived here (the papers use ReLU without listing its coefficients); α0 = 1/√(2π). "
    "Consequence used below: assumption ζ(ω) ≥ cω^{k−1} of the runtime theorem fails for ReLU and "
    "odd k ≥ 3, and for even k ≥ 4 it needs α*ₖ of the sign of αₖ (αₖ < 0 for k = 4, 8, …).",
))


def stein_correlation(alpha, alpha_star, w=omega):
    """E[σ*'(u)σ'(v)] for standard Gaussians with corr(u, v) = ω, from He-coefficients:
    Σᵢ (i+1)·(i+1)!·α_{i+1}α*_{i+1}·ωⁱ (E[Heₐ(u)He_b(v)] = δ_ab a! ωᵃ, He'ₐ = a He_{a−1})."""
    size = min(len(alpha), len(alpha_star))
    return sp.expand(sum((i + 1) * sp.factorial(i + 1) * alpha[i + 1] * alpha_star[i + 1] * w**i
                         for i in range(size - 1)))


def stein_correlation_as_printed(alpha, alpha_star, w=omega):
    """The slide's series Σᵢ (i+1)²·α_{i+1}α*_{i+1}·ωⁱ (drops the factor i!)."""
    size = min(len(alpha), len(alpha_star))
    return sp.expand(sum((i + 1) ** 2 * alpha[i + 1] * alpha_star[i + 1] * w**i
                         for i in range(size - 1)))


_he3 = hermite_coefficients(SLIDE_EXAMPLES["He3"])
register(Claim(
    id="single_index.gradient_correlation_series", expr=stein_correlation(_he3, _he3),
    as_printed=stein_correlation_as_printed(_he3, _he3), params=("omega",),
    source="002 slide 'Limitation under Isotropic Data' (Stein's lemma + Hermite expansion)",
    statement="β-coefficient of the isotropic population gradient, E[σ*'(⟨x,β⟩)σ'(⟨x,w⟩)], for "
    "σ = σ* = He3 and ⟨w, β⟩ = ω: derived 18ω², printed (i+1)²α α ωⁱ gives 9ω².",
    conditions="With αᵢ the coefficients of the un-normalized Heᵢ (the slide's own convention), "
    "E[He'ₐ He'_b] = a²(a−1)! ω^{a−1} δ_ab, so the i-th term is (i+1)(i+1)! α α* ωⁱ. The printed "
    "(i+1)² agrees for i ∈ {0, 1} and misses by the factor i! from i = 2 (k = 3) on. The leading "
    "order ωᵏ⁻¹ — all the slide uses — is unaffected. Read with normalized hᵢ instead "
    "(cᵢ = √i!·αᵢ) the correct factor is (i+1), and the printed (i+1)² misses from i = 1 on: no "
    "convention makes the printed series right. The same series is printed on two more slides: "
    "single_index.gradient_correlation_series_spiked, _mean_field; the lemma behind all three is "
    "single_index.hermite_correlation.",
))


# The same Hermite series stands on three slides (the isotropic-limitation slide above, the NN
# learnability sketch, the mean-field slide), each printed with (i+1)². Re-derived: with
# E[Heₐ(u)He_b(v)] = a!·ωᵃ·δ_ab (u, v standard, corr ω) and He'ₐ = a·He_{a−1},
#   E[σ(v)σ*(u)]   = Σ i!·αᵢα*ᵢ·ωⁱ = Σ E[σHeᵢ]E[σ*Heᵢ]·ωⁱ/i!      (αᵢ = E[σHeᵢ]/i!),
#   E[σ'(v)σ*'(u)] = Σ (i+1)²·i!·α_{i+1}α*_{i+1}·ωⁱ;
# with normalized hᵢ = Heᵢ/√i! (σ = Σ cᵢhᵢ, cᵢ = √i!·αᵢ, h'ₐ = √a·h_{a−1}) the first is Σ cᵢc*ᵢωⁱ
# (no factor) and the second Σ (i+1)·c_{i+1}c*_{i+1}·ωⁱ. The printed (i+1)² is right in neither
# convention: it takes He's derivative rule with hᵢ's orthonormality. Read with the slides' own
# Heᵢ it misses by i! (first at i = 2); read with hᵢ it misses by (i+1) (first at i = 1).
_SLIDE_NN = "002 slide 'Neural Network Learnability (sketch)'"
_SLIDE_MF = "002 slide 'Beyond \"Narrow\" NNs: the Mean-field Regime'"
_CONVENTION = ("Convention: the slides expand in probabilists' Heᵢ ('σ(z) = Σ αᵢHeᵢ(z)', 002 slide "
               "'Limitation under Isotropic Data'); the footnote of slide 'Setting' (text garbled in "
               "the seed: 'eta_{*}' is \\beta_* and 'angle' is \\rangle, their '\\b' and '\\r' eaten as "
               "escapes) reads 'β* is normalized such that E⟨x, β*⟩² = 1, and σ* is dimension-free': "
               "it makes the argument a standard Gaussian, the weight of probabilists' Heᵢ, but does "
               "not normalize the polynomials. So αᵢ = E[σHeᵢ]/i!, and the correct series carries "
               "i!: (i+1)²·i! = (i+1)·(i+1)!. In the normalized convention hᵢ the factor is (i+1), "
               "not (i+1)²: the printed form is wrong in both.")


def hermite_correlation(alpha, alpha_star, w=omega):
    """E[σ(v)σ*(u)] for standard Gaussians with corr ω, from He-coefficients: Σ i!·αᵢα*ᵢ·ωⁱ."""
    size = min(len(alpha), len(alpha_star))
    return sp.expand(sum(sp.factorial(i) * alpha[i] * alpha_star[i] * w**i for i in range(size)))


def normalized_coefficients(alpha):
    """cᵢ = √i!·αᵢ: the coefficients of the same function in hᵢ = Heᵢ/√i!."""
    return tuple(sp.sqrt(sp.factorial(i)) * a for i, a in enumerate(alpha))


def stein_correlation_normalized(c, c_star, w=omega):
    """E[σ'(v)σ*'(u)] from hᵢ-coefficients: Σ (i+1)·c_{i+1}c*_{i+1}·ωⁱ."""
    size = min(len(c), len(c_star))
    return sp.expand(sum((i + 1) * c[i + 1] * c_star[i + 1] * w**i for i in range(size - 1)))


def relu_coefficients(upto: int) -> tuple[sp.Expr, ...]:
    """α₀ … α_upto of ReLU in Heᵢ, from single_index.relu_hermite_coefficient (exact)."""
    return (RELU_ALPHA0,) + tuple(sp.simplify(relu_hermite_coefficient.subs(k, i)) for i in range(1, upto + 1))


#: the mean-field example: ReLU neurons, link He2 + He3 + He4 (information exponent 2, α₄(ReLU) ≠ 0)
MF_LINK = hermite_coefficients(z**4 + z**3 - 5 * z**2 - 3 * z + 2)  # = He2 + He3 + He4
_relu4 = relu_coefficients(4)
register(Claim(
    id="single_index.hermite_correlation", expr=hermite_correlation(_relu4, MF_LINK),
    params=("omega",), source=f"002 slide 'Limitation under Isotropic Data', {_SLIDE_NN}, {_SLIDE_MF} "
    "(the lemma behind their series); re-derived",
    statement="E[σ(v)σ*(u)] = Σ i!·αᵢα*ᵢ·ωⁱ = Σ E[σHeᵢ]E[σ*Heᵢ]ωⁱ/i! (Heᵢ), = Σ cᵢc*ᵢωⁱ (hᵢ); for "
    "σ = ReLU, σ* = He2 + He3 + He4: (ω² − ω⁴)/√(2π).",
    conditions=_CONVENTION + " Not printed on the slides; encoded because the three printed series "
    "are its derivative (Stein's lemma). The reading without the i! (He-coefficients treated as "
    "orthonormal) gives (ω²/2 − ω⁴/24)/√(2π).",
))

register(Claim(
    id="single_index.gradient_correlation_series_mean_field", expr=stein_correlation(_relu4, MF_LINK),
    as_printed=stein_correlation_as_printed(_relu4, MF_LINK), params=("omega",), source=_SLIDE_MF,
    statement="'E[∇_{wᵢ}L] ≈ β*·Σ (i+1)²α_{i+1}α*_{i+1}⟨wᵢ, β*⟩ⁱ': the β*-coefficient "
    "E[σ*'(u)σ'(v)] for ReLU neurons and σ* = He2 + He3 + He4 is, re-derived, "
    "Σ (i+1)(i+1)!αα*ωⁱ = (2ω − 4ω³)/√(2π); printed (2ω − (2/3)ω³)/√(2π).",
    conditions=_CONVENTION + " Here α₃(ReLU) = 0, so the first term that tells the forms apart is "
    "i = 3 (factor 3! = 6). The slide's use (a wide network has some wᵢ with ⟨wᵢ, β*⟩ ≫ d^{−1/2}) "
    "rests on the leading order only and is unaffected.",
))

# NN learnability sketch: Σ = I + θβ*β*ᵀ (unit β*), f* = σ*((1+θ)^{−1/2}⟨x, β*⟩) (the footnote's
# E⟨x, β⟩² = 1), neuron σ(⟨x, w⟩ + b). Stein under Σ: the β*-part is (1+θ)^{−1/2}Σβ*·E[σ*'(u)σ'(v+b)]
# = √(1+θ)β*·E[…], with u = (1+θ)^{−1/2}⟨x, β*⟩ ~ N(0, 1) and Cov(u, v) = √(1+θ)⟨w, β*⟩; the series
# needs Var v = ⟨w, Σw⟩ = 1 (unstated on the slide; ≈ 1 at ‖w‖ = 1, ⟨w, β*⟩² ≪ 1/θ).
NN_BIAS = sp.Rational(1, 2)
_he3_biased = hermite_coefficients(SLIDE_EXAMPLES["He3"].subs(z, z + NN_BIAS))  # α^b: He3(z + b)
_he2_he3 = hermite_coefficients(SLIDE_EXAMPLES["He2+He3"])
_omega_nn = sp.sqrt(1 + theta) * omega
register(Claim(
    id="single_index.gradient_correlation_series_spiked",
    expr=sp.sqrt(1 + theta) * stein_correlation(_he3_biased, _he2_he3, _omega_nn),
    as_printed=sp.sqrt(1 + theta) * stein_correlation_as_printed(_he3_biased, _he2_he3, _omega_nn),
    params=("theta", "omega"), source=_SLIDE_NN,
    statement="β*-coefficient of E[xσ'(⟨x,w⟩ + b)f*(x)] under Σ = I + θβ*β*ᵀ: "
    "√(1+θ)·Σ (i+1)(i+1)!α^b_{i+1}α*_{i+1}(√(1+θ)ω)ⁱ re-derived, printed with (i+1)²; for "
    "σ = He3, b = 1/2 (α^b = He-coefficients of He3(z + 1/2) = (1/8, 3/4, 3/2, 1)), σ* = He2 + He3, "
    "ω = ⟨w, β*⟩, ⟨w, Σw⟩ = 1: √(1+θ)(6ω̃ + 18ω̃²) vs printed √(1+θ)(6ω̃ + 9ω̃²), ω̃ = √(1+θ)ω.",
    conditions=_CONVENTION + " The overlap √(1+θ)ω and the prefactor √(1+θ) are as printed and "
    "re-derived; only the series' factor is off. Needs ⟨w, Σw⟩ = 1, i.e. (1+θ)ω² < 1 for a real w "
    "(a joint condition the expression itself does not need). The slide's second term 'w·E[…]' is "
    "Σw·E[σ''σ*] under Stein (as for single_index.first_step_cosine).",
))


# -- three-regime rates -----------------------------------------------------------------------------
#: exponent e(γ1, γ2) of d^{(k−1)e} in the sample complexity; regimes closed on the right
alignment_gain = sp.Piecewise(
    (sp.Integer(1), gamma2 <= gamma1),
    (1 - 2 * (gamma2 - gamma1), gamma2 <= 2 * gamma1),
    (1 - gamma2, True),
)
#: lim log δ0 / log d
delta0_exponent = sp.Piecewise(
    (-sp.Rational(1, 2), gamma2 <= gamma1),
    (gamma2 - gamma1 - sp.Rational(1, 2), gamma2 <= 2 * gamma1),
    ((gamma2 - 1) / 2, True),
)
sample_complexity_exponent = 1 + (k - 1) * alignment_gain
sample_complexity = d * sp.Max(d ** ((k - 1) * alignment_gain), eps**-2)

_BOUNDARY = ("The slide states open regimes γ2 < γ1, γ1 < γ2 < 2γ1, 2γ1 < γ2 < 1; the expression "
             "closes each on the right. The rate is continuous at γ2 = γ1 and γ2 = 2γ1 (checked), "
             "so a boundary point gets the common limit. For γ1 = 0 only the third regime is "
             "non-empty; for γ1 = 1/2 the third regime is empty.")

register(Claim(
    id="single_index.alignment_gain", expr=alignment_gain, params=("gamma1", "gamma2"),
    source=_SLIDE_RATES, statement="e(γ1, γ2) = 1, 1 − 2(γ2 − γ1), 1 − γ2 in the three regimes.",
    conditions=_BOUNDARY,
))
register(Claim(
    id="single_index.sample_complexity_exponent", expr=sample_complexity_exponent,
    params=("k", "gamma1", "gamma2"), source=_SLIDE_RATES,
    statement="Exponent of d in the sample complexity n ≳ d·d^{(k−1)e(γ1,γ2)} at fixed ε: 1 + (k−1)e.",
    derived_from=("single_index.alignment_gain", "single_index.delta0_exponent"),
    derivation=lambda: sp.piecewise_fold(1 - 2 * (k - 1) * delta0_exponent),
    conditions=_BOUNDARY + " It equals 1 − 2(k−1)·(δ0 exponent), i.e. n ≍ d·δ0^{−2(k−1)}: the "
    "isotropic d^k with d^{−1/2} replaced by the normalized initial overlap δ0 (checked "
    "symbolically). An upper bound: the theorem says this many samples suffice.",
))
register(Claim(
    id="single_index.sample_complexity", expr=sample_complexity,
    params=("k", "gamma1", "gamma2", "d", "eps"), source=_SLIDE_RATES,
    statement="n ≳ d·(d^{(k−1)e(γ1,γ2)} ∨ ε⁻²), constants dropped.",
    derived_from=("single_index.alignment_gain",), conditions=_BOUNDARY,
))
register(Claim(
    id="single_index.delta0_exponent", expr=delta0_exponent, params=("gamma1", "gamma2"),
    source=_SLIDE_RATES,
    statement="δ0 ≍ d^{−1/2}, d^{γ2−γ1−1/2}, d^{(γ2−1)/2}: the exponent of the initial overlap "
    "after covariance normalization.",
    conditions=_BOUNDARY + " Read as δ0 = rms of m0 = ⟨w, Σβ⟩/(‖Σ^{1/2}w‖‖Σ^{1/2}β‖) for w uniform "
    "on the sphere (the overlap of the whitened neuron and target, which is what the normalized "
    "flow evolves). Re-derived: E m0² ≈ ‖Σβ‖²/(d·βᵀΣβ) = (1 + (2θ + θ²)a²)/(d(1 + θa²)), a = ⟨μ, β⟩, "
    "whose three dominant terms give the three regimes.",
    derived_from=("single_index.delta0_second_moment",),
))

# E m0² exactly: scale-invariance lets w ~ N(0, I); 1/q = ∫ e^{−tq} dt and the Gaussian integral
# E[(gᵀv)² e^{−t gᵀΣg}] = det(I + 2tΣ)^{−1/2} vᵀ(I + 2tΣ)^{−1}v with v = Σβ, split along μ and ⊥.
_theta_d, _a_d = d**gamma2, d**-gamma1
# substituted 2t = x/d so the integrand has unit width in x at every d
_x = sp.Symbol("x", positive=True)
delta0_integrand = ((1 + _x / d) ** (-(d - 1) / 2) * (1 + _x * (1 + _theta_d) / d) ** sp.Rational(-1, 2)
                    * ((1 + _theta_d) ** 2 * _a_d**2 / (1 + _x * (1 + _theta_d) / d)
                       + (1 - _a_d**2) / (1 + _x / d)) / (2 * d * (1 + _theta_d * _a_d**2)))
delta0_second_moment = sp.Integral(delta0_integrand, (_x, 0, sp.oo))
delta0_second_moment_leading = (1 + (2 * _theta_d + _theta_d**2) * _a_d**2) / (d * (1 + _theta_d * _a_d**2))

register(Claim(
    id="single_index.delta0_second_moment", expr=delta0_second_moment,
    params=("gamma1", "gamma2", "d"), source=_SLIDE_RATES + "; re-derived",
    statement="E[m0²] at finite d with θ = d^{γ2}, ⟨μ, β⟩ = d^{−γ1}: a one-dimensional integral "
    "(exact), whose leading behaviour is (1 + (2θ + θ²)a²)/(d(1 + θa²)).",
    conditions="m0 as in single_index.delta0_exponent; w uniform on S^{d−1}. Exact for every d >= 2.",
))

tau_k = sp.Lambda(_m, sp.Piecewise((sp.Integer(1), sp.Eq(k, 1)), (sp.log(1 / _m), sp.Eq(k, 2)),
                                   (_m ** (2 - k), True)))
runtime = tau_k(d**delta0_exponent) + sp.log(1 / eps)

register(Claim(
    id="single_index.runtime", expr=runtime, params=("k", "gamma1", "gamma2", "d", "eps"),
    source=_SLIDE_RATES, statement="T ≍ τ_k(δ0) + ln(1/ε), τ_k(z) = 1, ln(1/z), z^{−(k−2)} for "
    "k = 1, 2, > 2; constants dropped.",
    derived_from=("single_index.delta0_exponent", "single_index.preconditioned_hitting_time"),
    conditions="Order statement. Its exact counterpart for σ = σ* = hₖ is "
    "single_index.preconditioned_hitting_time, whose asymptotics in ω → 0 and ε → 0 are checked "
    "to be τ_k(ω)/(k(k−2)) (k > 2), ln(1/ω)/k (k = 2), O(1) (k = 1), plus ln(1/ε)/(2k).",
))

# Preconditioned flow (Algorithm 1 with Σ̂ = Σ): with v = Σ^{1/2}w the risk depends on w only
# through m = ⟨v̂, β̃⟩; dw = η Σ⁻¹ Φ'(m)∇m dt gives dv̂/dt = Φ'(m)(β̃ − m v̂), so dm/dt = Φ'(m)(1 − m²).
hitting_time_integrand = 1 / (k * _m ** (k - 1) * (1 - _m**2))
preconditioned_hitting_time = sp.Integral(hitting_time_integrand, (_m, omega, 1 - eps))

register(Claim(
    id="single_index.preconditioned_hitting_time", expr=preconditioned_hitting_time,
    params=("k", "omega", "eps"), source="001 §4.1 (preconditioned flow); 002 slide 'Algorithm: "
    "Normalized Gradient Flow' (Algorithm 1); re-derived",
    statement="Time for the population preconditioned flow to take the whitened overlap m from ω to "
    "1 − ε: ∫ dm/(Φ'(m)(1 − m²)) with Φ(m) = mᵏ (σ = σ* = hₖ = Heₖ/√k!, loss ½E(f − y)²).",
    domains={"omega": Domain(0, 1, lo_open=True, hi_open=True)},
    conditions="Overlap ODE dm/dt = Φ'(m)(1 − m²), independent of θ and d (001 §4.1: 'd⟨w,u⟩/dt ∝ "
    "E[φ'g']‖u⊥‖²'). Population gradient, Σ known. The slides' loss E(f − y)² without ½ halves "
    "all times. Needs ω < 1 − ε.",
))

# -- gradient at initialization ------------------------------------------------------------------
gradient_norm_exponent = -(k - 1) / sp.Integer(2)
register(Claim(
    id="single_index.gradient_norm_exponent", expr=gradient_norm_exponent, params=("k",),
    source=_SLIDE_ISO,
    statement="‖E[xσ'(⟨x,w⟩)f*(x)]‖ = Θ̃(d^{−(k−1)/2}) at random initialization (isotropic x).",
    conditions="Needs the activation's αₖ ≠ 0 (for ReLU: k = 1, 2 or even). Read as: the rms of the "
    "norm over w uniform on the sphere scales as d^{−(k−1)/2}.",
))
concentration_bound = sp.sqrt(d / n)
register(Claim(
    id="single_index.gradient_concentration", expr=concentration_bound, params=("d", "n"),
    source=_SLIDE_ISO,
    statement="‖E[xσ'(⟨x,w⟩)f*(x)] − (1/n)Σ xᵢσ'(⟨xᵢ,w⟩)f*(xᵢ)‖ ≲ √(d/n).",
    conditions="Read as a rate in d and n (exponents 1/2 and −1/2 of the rms error); the constant "
    "is √E[σ'(v)²f*²] up to O(1/d).",
))

first_step_cosine = (1 + theta * A**2) / sp.sqrt(1 + (2 * theta + theta**2) * A**2)
register(Claim(
    id="single_index.first_step_cosine", expr=first_step_cosine, params=("theta", "A"),
    source="002 slide 'Insufficiency of One Gradient Step'",
    statement="The first gradient step points along Σβ = β + θ⟨β, μ⟩μ; its cosine with β is "
    "(1 + θA²)/√(1 + (2θ + θ²)A²) < 1 unless A ∈ {0, 1} or θ = 0.",
    conditions="A = ⟨μ, β⟩ (the shared alignment name). Stein's lemma under Σ gives E[xg(x)] = "
    "ΣE[∇g], so the gradient is Σβ̂·E[σ*'σ'] + Σw·E[σ*σ'']; the slide writes the second term as "
    "'w·E[…]', which holds only when ⟨w, μ⟩ = 0. The audit checks the β-part with w ⊥ {μ, β}.",
))

condition_number = 1 + theta
register(Claim(
    id="single_index.condition_number", expr=condition_number, params=("theta",),
    source="001 'Foundational Learning' (quick check), §4.1",
    statement="κ(Σ) = 1 + θ for Σ = I + θμμᵀ; the (κ, u)-spiked model of 001 has κ(Σ) = 1 + κ.",
    conditions="001 prints the model as 'Σ = Id + κθθ⊤/(1+κ)'; read as (I + κθθᵀ)/(1 + κ), whose "
    "condition number 1 + κ makes the quick-check question meaningful (the other reading has "
    "κ(Σ) < 2). Up to the scale 1/(1 + κ) it is the slides' Σ with θ = κ.",
))

relu_spherical_second_moment = (1 + theta * omega**2) / 2
register(Claim(
    id="single_index.spherical_repulsion", expr=relu_spherical_second_moment,
    params=("theta", "omega"), source="001 §2.1; 002 slide 'Algorithm: Spherical Gradient Flow?'",
    statement="Repulsion term of the spherical flow: E[relu(⟨x,w⟩)²] = (1 + θω²)/2 for unit w, "
    "Σ = I + θμμᵀ, ω = ⟨w, μ⟩; it grows with the alignment, whereas the normalized neuron has "
    "E[relu(⟨x,w⟩/‖Σ^{1/2}w‖)²] = 1/2 for every w.",
))


def spherical_balance_exponent(scaled: bool):
    """Exponent of d in (attraction/repulsion) of the spherical ReLU flow at u = ⟨w, μ⟩ = d^{−1/2},
    β = μ, link of exponent k, θ = d^{γ2} (re-derived). Repulsion ∂_u ½E[σ²] = θu/2 (Σ = I + θμμᵀ)
    or θu/(2(1 + θ)) (Σ = (I + θμμᵀ)/(1 + θ), ``scaled``); attraction ∂_u[sΦ(m)] with s = ‖Σ^{1/2}w‖,
    m = √(1+θ)u/√(1+θu²)·…, Φ(m) ∝ mᵏ: ∝ θ^{k/2}u^{k−1}, or θ^{(k−1)/2}u^{k−1} scaled."""
    u = -sp.Rational(1, 2)
    if scaled:
        return (k - 1) * gamma2 / 2 + (k - 1) * u - u
    return k * gamma2 / 2 + (k - 1) * u - (gamma2 + u)


spherical_failure_threshold = 1 - 1 / (k - 1)
register(Claim(
    id="single_index.spherical_failure_threshold", expr=spherical_failure_threshold, params=("k",),
    source="002 slide 'Algorithm: Spherical Gradient Flow?' (Proposition [MWS+23]); 001 §2.1",
    statement="Perfect alignment β = μ, ReLU, link of exponent k ≥ 3: population spherical flow "
    "keeps sup_t |⟨w_t, β⟩| ≲ d^{−1/2} for θ ≍ d^{γ2}, γ2 < 1 − 1/(k − 1).",
    domains={"k": Domain(3, math.inf, integer=True)},
    derivation=lambda: sp.solve(spherical_balance_exponent(True), gamma2)[0],
    conditions="The slide prints 'γ2 ∈ (0, d^{1−1/(k−1)})', a d inside an exponent range; read as "
    "γ2 ∈ (0, 1 − 1/(k−1)). Re-derived from the balance of attraction and repulsion at "
    "u = d^{−1/2}, this threshold holds for the paper's normalization Σ = (I + θμμᵀ)/(1 + θ) (001's "
    "(κ, u)-model); with the slides' Σ = I + θμμᵀ the same balance gives γ2 < 1 for every k ≥ 3 "
    "(single_index.spherical_failure_threshold_unscaled). For ReLU, k must be even with α*ₖαₖ > 0 "
    "(odd k ≥ 3: αₖ = 0).",
))
register(Claim(
    id="single_index.spherical_failure_threshold_unscaled", expr=sp.Integer(1), params=("k",),
    source="002 slides 'Setting: Beyond Perfect Alignment?' + 'Algorithm: Spherical Gradient Flow?'; "
    "re-derived",
    statement="With Σ = I + θμμᵀ (no 1/(1 + θ)), the same balance puts the spherical-failure "
    "threshold at γ2 = 1 for every k ≥ 3.",
    domains={"k": Domain(3, math.inf, integer=True)},
    derivation=lambda: sp.solve(spherical_balance_exponent(False), gamma2)[0],
    conditions="Balance at u = d^{−1/2}: ratio ∝ (θ/d)^{(k−2)/2}.",
))

# -- thresholds of the perfectly aligned setting (BES+23) ----------------------------------------
nn_threshold_exponent = 1 - 1 / k
register(Claim(
    id="single_index.nn_threshold_exponent", expr=nn_threshold_exponent, params=("k",),
    source="002 slide 'Theorem ([BES+23] Sufficient Condition for NN+GD)'",
    statement="NN + one GD step learns f* of exponent k in the proportional regime if θ = ω(d^{1−1/k}).",
    conditions="Checked at the level of the slide's 'Gradient concentration' sketch: with n = d, the "
    "β-component of the population gradient at a random w beats the rms sampling error exactly "
    "when θ ≫ d^{1−1/k} (signal ≍ θ^{k/2}d^{−(k−1)/2}, noise ≍ 1). The learned network's test "
    "error (width N = d^ε, one large step, ridge on the second layer) is not simulated.",
))
krr_learnable_degree = sp.floor(1 / (1 - gamma2))
register(Claim(
    id="single_index.krr_learnable_degree", expr=krr_learnable_degree, params=("gamma2",),
    source="002 slide 'Theorem ([BES+23] Necessary and Sufficient Conditions for KRR)'",
    statement="With θ ≍ d^γ, γ ∈ (1 − 1/ℓ, 1 − 1/(ℓ + 1)), KRR learns exactly the degree-≤ ℓ part: "
    "ℓ = ⌊1/(1 − γ)⌋.",
    domains={"gamma2": Domain(0, 1, hi_open=True)},
    conditions="The slide's γ is the spike exponent, here gamma2. The theorem is silent at γ = 1 − 1/ℓ; "
    "the floor assigns such a boundary point to the upper interval (ℓ), a convention, not a "
    "claim of the paper. Checked as exact floor arithmetic only (evidence: symbolic); the learning "
    "statement — KRR's risk plateaus at ‖P_{>ℓ}f*‖² — is issue 11's simulation check (proportional-"
    "limit plateaus need n, d ≫ 10³).",
))


# -- exact finite-d helpers for the gradient at initialization (used by the audit) -----------------
def gradient_components(alpha, alpha_star, w=omega):
    """(β-coefficient, w-coefficient) of E[xσ'(⟨x,w⟩)σ*(⟨x,β⟩)] for isotropic x, unit w, β,
    ⟨w, β⟩ = ω (Stein: E[xh] = E[∇h]): Σ (i+1)(i+1)! α_{i+1}α*_{i+1} ωⁱ and
    Σ_j (j+2)(j+1) j! α_{j+2}α*_j ωʲ."""
    size = min(len(alpha), len(alpha_star))
    b_coef = stein_correlation(alpha, alpha_star, w)
    w_coef = sp.expand(sum((j + 2) * (j + 1) * sp.factorial(j) * alpha[j + 2] * alpha_star[j] * w**j
                           for j in range(len(alpha) - 2) if j < size))
    return b_coef, w_coef


def gradient_norm_sq(alpha, alpha_star, w=omega):
    """‖g‖² = B² + W² + 2BWω for g = B·β + W·w."""
    b_coef, w_coef = gradient_components(alpha, alpha_star, w)
    return sp.expand(b_coef**2 + w_coef**2 + 2 * b_coef * w_coef * w)


def sphere_overlap_moment(power: int, dim=d):
    """E[ωᵖ] for ω = ⟨w, β⟩, w uniform on S^{d−1}: 0 for odd p, (p−1)!!/(d(d+2)…(d+p−2)) for even."""
    if power % 2:
        return sp.Integer(0)
    out = sp.Integer(1)
    for j in range(power // 2):
        out *= sp.Integer(2 * j + 1) / (dim + 2 * j)
    return out


def gradient_norm_mean_sq(alpha, alpha_star, dim=d):
    """E‖g‖² over w uniform on S^{d−1}, exact in d (a rational function)."""
    poly = sp.Poly(gradient_norm_sq(alpha, alpha_star, omega), omega)
    return sp.together(sum(c * sphere_overlap_moment(p, dim) for (p,), c in poly.terms()))
