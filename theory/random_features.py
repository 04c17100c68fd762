"""Paper 002, isotropic baselines and the one-step spike in W (slides 'Prior Results: Isotropic
Data', 'A Spiked Model for the Weight Matrix', 'Beyond "Narrow" NNs: the Mean-field Regime').

- The kernel floor ‖P>1 f*‖² = E[σ*²] − μ0*² − μ1*² for f* = σ*(⟨x, β*⟩), x ~ N(0, I): the part of
  f* orthogonal to constants and linear functions in L²(N(0, I)) (μ0* = Eσ*, μ1* = Eσ*' by Stein).
- BBP for a rectangular Gaussian plus rank one (Benaych-Georges & Nadakuditi 2012, §3.1): X n×m,
  n <= m, entries N(0, 1/m), c = n/m, P = θuvᵀ with unit u ∈ Rⁿ, v ∈ Rᵐ. For θ > c^{1/4} the top
  singular value → √((1+θ²)(c+θ²))/θ, ⟨ũ, u⟩² → 1 − c(1+θ²)/(θ²(θ²+c)) (short side),
  ⟨ṽ, v⟩² → 1 − (c+θ²)/(θ²(θ²+1)) (long side); for θ <= c^{1/4}, the top singular value → 1 + √c.
- The maximum of N overlaps ⟨w_i, β*⟩ of independent uniform unit vectors: ≈ √(2 ln N/d) to leading
  order; exact expectation as a one-dimensional integral over the Beta law of ⟨w, β*⟩².
Symbols: ``ratio_c`` = c, ``theta`` = θ (the rank-one strength here, not the data spike), ``m`` = N
(width), ``d``.
"""

from __future__ import annotations

import sympy as sp

from .claims import Claim, register
from .symbols import POSITIVE, d, m, ratio_c, theta

z = sp.Symbol("z", real=True)
_SLIDE_ISO = "002 slide 'Prior Results: Isotropic Data'"
_SLIDE_SPIKE = "002 slide 'A Spiked Model for the Weight Matrix'; BGN 2012 §3.1"
_SLIDE_MF = "002 slide 'Beyond \"Narrow\" NNs: the Mean-field Regime'"


def gaussian_mean(f):
    """E f(z), z ~ N(0, 1), by exact integration."""
    return sp.simplify(sp.integrate(f * sp.exp(-z**2 / 2) / sp.sqrt(2 * sp.pi), (z, -sp.oo, sp.oo)))


def linear_floor(link):
    """‖P>1 σ*(z)‖² = E σ*² − (E σ*)² − (E zσ*)² (Hermite: α0* = Eσ*, α1* = E[zσ*] = E σ*')."""
    return sp.simplify(gaussian_mean(link**2) - gaussian_mean(link) ** 2 - gaussian_mean(z * link) ** 2)


RELU = sp.Piecewise((z, z > 0), (0, True))
relu_floor = sp.Rational(1, 4) - 1 / (2 * sp.pi)
register(Claim(
    id="random_features.relu_linear_floor", expr=relu_floor, params=(), source=_SLIDE_ISO,
    statement="‖P>1 ReLU(⟨x, β*⟩)‖² = 1/2 − 1/(2π) − 1/4 = 1/4 − 1/(2π): the floor that random-features "
    "ridge and inner-product kernel ridge cannot go below as n/d → ψ (min{R_RF, R_ker} >= floor − o(1)).",
    derivation=lambda: linear_floor(RELU),
    conditions="Read the garbled 'min{R_RF(λ), R_ker(λ)} >= ‖P>1 f*‖² + o(1)' as a lower bound up to "
    "o(1), for every λ; μ0 + μ1⟨x, β*⟩ is the constant-and-linear part, μ1 = E σ*'.",
))
relu_floor_wrong = sp.Rational(1, 2) - 1 / (2 * sp.pi)   # ‖P>0 f*‖²: forgets the linear part (mutant)

_BA22 = (" Ba et al. 2022 (BES+22): one GD step on W (W0 columns uniform on the sphere, a ~ N(0, I/N)) on n "
         "samples, then ridge on a with fresh samples, n, N ≍ d.")
register(Claim(
    id="random_features.one_step_large_lr", expr=relu_floor, params=(), source=_SLIDE_ISO + " (second theorem)",
    statement="If E σ'(z) = μ1 ≠ 0 and E σ*'(z) = μ1* ≠ 0, regression on the features after one GD step "
    "with a large learning rate η = Θ(√N) can learn nonlinear f*: its risk goes below the kernel floor "
    "‖P>1 f*‖² (= 1/4 − 1/(2π) for σ = tanh, f* = ReLU); with a small step η = Θ(1) the trained kernel "
    "improves on the initial random features but the model stays linear (risk >= ‖P>1 f*‖² − o(1)).",
    derivation=lambda: linear_floor(RELU),
    conditions="Read 'Small lr … remains \"linear\"' as R >= ‖P>1 f*‖² − o(1) and 'Large lr … can learn "
    "nonlinear f*' as R < ‖P>1 f*‖² for η = c√N with c large enough (the slide states no rate)." + _BA22,
))
HE2 = (z**2 - 1) / sp.sqrt(2)
register(Claim(
    id="random_features.one_step_degenerate_floor", expr=sp.Integer(1), params=(), source=_SLIDE_ISO
    + " (non-degeneracy condition); slide 'Limitation under Isotropic Data'",
    statement="For μ1* = 0 (f* = He2(⟨x, β*⟩)/√2) the floor ‖P>1 f*‖² = 1 is the whole variance, and "
    "the one-step gradient has no rank-one part along β*: the large step gives no benefit (control).",
    derivation=lambda: linear_floor(HE2),
    conditions="μ1* = E[z·He2(z)]/√2 = 0; the claim encoded is the floor value of the control target."
    + _BA22,
))

bbp_outlier = sp.sqrt((1 + theta**2) * (ratio_c + theta**2)) / theta
bbp_overlap_long = 1 - (ratio_c + theta**2) / (theta**2 * (theta**2 + 1))
bbp_overlap_short = 1 - ratio_c * (1 + theta**2) / (theta**2 * (theta**2 + ratio_c))
bbp_threshold = ratio_c ** sp.Rational(1, 4)
mp_edge = 1 + sp.sqrt(ratio_c)
_THETA_POS = {"theta": POSITIVE}  # the rank-one strength: the formulas divide by θ
_BGN = "X n×m, n <= m, iid N(0, 1/m) entries, c = n/m; P = θuvᵀ, ‖u‖ = ‖v‖ = 1; valid for θ > c^{1/4}."
register(Claim(id="random_features.bbp_outlier", expr=bbp_outlier, params=("theta", "ratio_c"), domains=_THETA_POS,
               source=_SLIDE_SPIKE, statement="Top singular value of X + θuvᵀ: √((1+θ²)(c+θ²))/θ.",
               conditions=_BGN))
register(Claim(id="random_features.bbp_overlap_long", expr=bbp_overlap_long, params=("theta", "ratio_c"), domains=_THETA_POS,
               source=_SLIDE_SPIKE, statement="⟨ṽ, v⟩² (long side, dimension m) → 1 − (c+θ²)/(θ²(θ²+1)).",
               conditions=_BGN))
register(Claim(id="random_features.bbp_overlap_short", expr=bbp_overlap_short, params=("theta", "ratio_c"), domains=_THETA_POS,
               source=_SLIDE_SPIKE, statement="⟨ũ, u⟩² (short side, dimension n) → 1 − c(1+θ²)/(θ²(θ²+c)).",
               conditions=_BGN))
register(Claim(
    id="random_features.bbp_threshold_edge", expr=mp_edge**2, params=("ratio_c",), source=_SLIDE_SPIKE,
    statement="At the threshold θ = c^{1/4} the outlier meets the Marchenko–Pastur edge: its square "
    "is (1 + √c)².",
    derivation=lambda: sp.expand(bbp_outlier.subs(theta, bbp_threshold) ** 2),
    derived_from=("random_features.bbp_outlier",), conditions=_BGN))
register(Claim(
    id="random_features.bbp_threshold_overlap", expr=sp.Integer(0), params=("ratio_c",), source=_SLIDE_SPIKE,
    statement="Both squared overlaps vanish at θ = c^{1/4} (the transition is continuous).",
    derivation=lambda: sp.simplify(bbp_overlap_long.subs(theta, bbp_threshold)),
    derived_from=("random_features.bbp_overlap_long",), conditions=_BGN))

max_overlap_leading = sp.sqrt(2 * sp.log(m) / d)
register(Claim(
    id="random_features.max_overlap_leading", expr=max_overlap_leading, params=("m", "d"), source=_SLIDE_MF,
    statement="A width-N network has max_i ⟨w_i, β*⟩ ≈ √(2 ln N/d) ≫ d^{−1/2} (w_i uniform on S^{d−1}).",
    conditions="Leading order as N → ∞ with ln N = o(d). Its error is the Gumbel second-order term "
    "−(ln ln N + ln 4π − 2γ_E)/(2√(2 ln N))/√d of the Gaussian maximum (E max_N g = a_N − (ln ln N + "
    "ln 4π)/(2a_N) + γ_E/a_N + o(1/a_N), a_N = √(2 ln N)), used as the allowance.",
))
_t = sp.Symbol("t", positive=True)
_half_cdf = sp.betainc_regularized(sp.Rational(1, 2), (d - 1) / 2, 0, _t**2) / 2  # P(0 < ⟨w,β⟩ < t)
#: E max = ∫_0^1 (1 − F(t)^N) dt − ∫_0^1 F(−t)^N dt with F(±t) = 1/2 ± P(0 < ⟨w, β⟩ < t)
max_overlap_integrand = (1 - (sp.Rational(1, 2) + _half_cdf) ** m) - (sp.Rational(1, 2) - _half_cdf) ** m
max_overlap_mean = sp.Integral(max_overlap_integrand, (_t, 0, 1))
register(Claim(
    id="random_features.max_overlap_mean", expr=max_overlap_mean, params=("m", "d"), source=_SLIDE_MF + "; re-derived",
    statement="E max_i ⟨w_i, β*⟩ exactly: ⟨w, β*⟩² ~ Beta(1/2, (d−1)/2), symmetric; the expectation of "
    "the maximum of N iid copies as an integral of the CDF.",
))
register(Claim(
    id="random_features.mp_edge", expr=mp_edge, params=("ratio_c",), source=_SLIDE_SPIKE,
    statement="Below the threshold (θ <= c^{1/4}) there is no outlier: the top singular value tends to "
    "the Marchenko–Pastur edge 1 + √c; the bulk of W1 is that of W0.",
    conditions=_BGN + " Applied to Wᵀ (N×d, N = d/2, columns of W on the sphere ≈ N(0, I/d))."))

from .symbols import gamma1, gamma2  # noqa: E402  (kept beside the claim that uses them)

warm_start_gain_exponent = sp.Rational(1, 2) - gamma1 + 0 * gamma2
register(Claim(
    id="random_features.warm_start_gain_exponent", expr=warm_start_gain_exponent, params=("gamma1", "gamma2"),
    source="002 slide 'Insufficiency of One Gradient Step'; 001 §2-3 (γ1, γ2 as in 002 'Setting: Beyond "
    "Perfect Alignment?')",
    statement="When ⟨μ, β*⟩ ≍ d^{−γ1} with γ1 < 1/2 the first GD step is a warm start: its cosine with β* "
    "is ≍ d^{−γ1}, so its gain over a random direction (d^{−1/2}) grows like d^{1/2 − γ1}.",
    conditions="Read in the regime 2γ1 < γ2 (θ⟨μ, β*⟩² → ∞), where the step Σβ* = β* + θ⟨μ, β*⟩μ is "
    "dominated by the μ part whose overlap with β* is ⟨μ, β*⟩; from single_index.first_step_cosine "
    "(1 + θA²)/√(1 + (2θ + θ²)A²) → A. Exponent of d in √d·cos(step, β*).",
    derived_from=("single_index.first_step_cosine",),
))
